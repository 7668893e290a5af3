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

/** What a failover would move: the writer, the datastore primary, every weight and desired count. */
function keyState(sb: SandboxHandle) {
  const s = sb.control.snapshot().services as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    writer: s.aurora.globalClusters[0].writer as string,
    primary: s.elasticache.globalDatastores[0].primary as string,
    weights: (s.route53.zones[0].records as { name: string; setIdentifier?: string; weight?: number }[])
      .filter((r) => r.weight !== undefined)
      .map((r) => `${r.name} ${r.setIdentifier} ${r.weight}`),
    desired: (s.ecs.clusters as { region: string; services: { name: string; desired: number }[] }[]).flatMap((c) =>
      c.services.map((x) => `${c.region} ${x.name} ${x.desired}`),
    ),
  };
}

describe('bad input (every generated case)', () => {
  let sb: SandboxHandle;
  let root: string;
  let base: Record<string, unknown>;
  let initial: ReturnType<typeof keyState>;
  before(async () => {
    sb = await withSandbox();
    initial = keyState(sb);
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
    assert.deepEqual(keyState(sb), initial);
  });
});
