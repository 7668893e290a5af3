// Bad input, the full generated set (250+ cases): topology files, command lines, playbooks and
// saved plans, each broken in one way. Two mr processes at a time against one sandbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSandbox, type SandboxHandle } from '../helpers/sandbox.js';
import { failures, runCases, savedPlan, type BadInputCase } from '../e2e/badinput-run.js';
import { topologyCases } from '../e2e/badinput-topology.js';
import { flagCases, runFlagCases } from '../e2e/badinput-flags.js';
import { planCases, playbookCases } from '../e2e/badinput-docs.js';

describe('bad input (every generated case)', () => {
  let sb: SandboxHandle;
  let root: string;
  let base: Record<string, unknown>;
  before(async () => {
    sb = await withSandbox();
    root = await mkdtemp(join(tmpdir(), 'mr-badinput-full-'));
    base = await savedPlan(sb, join(root, 'base'));
  });
  after(async () => {
    await sb.stop();
    await rm(root, { recursive: true, force: true });
  });

  const groups: [string, () => BadInputCase[]][] = [
    ['topology files', topologyCases],
    ['command lines', flagCases],
    ['playbook command lines', runFlagCases],
    ['playbooks', playbookCases],
    ['saved plans', () => planCases(base)],
  ];
  let total = 0;
  for (const [label, make] of groups) {
    test(`${label}: each exits 2 with one line naming the problem, no stack trace, no mutating call`, async () => {
      const cases = make();
      total += cases.length;
      const outcomes = await runCases(cases, join(root, label.replace(/\s+/g, '-')), sb);
      assert.equal(outcomes.length, cases.length);
      assert.equal(failures(outcomes), '');
    });
  }

  test('at least 200 cases ran, and the world never changed', () => {
    assert.ok(total >= 200, `only ${total} cases`);
    assert.equal(sb.control.calls().filter((c) => c.mutating).length, 0);
    const rds = sb.control.snapshot().services.aurora as { globalClusters?: { members: { writer?: boolean; region: string }[] }[] } | undefined;
    const writer = rds?.globalClusters?.[0]?.members.find((m) => m.writer)?.region;
    if (rds?.globalClusters) assert.equal(writer, 'us-east-1');
  });
});
