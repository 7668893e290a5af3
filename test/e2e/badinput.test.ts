// Bad input, the quick part (npm test): 30 cases spread over every generator (topology files,
// command lines, playbooks, saved plans). The full set (250+) runs in test/reliability.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSandbox, type SandboxHandle } from '../helpers/sandbox.js';
import { failures, runCases, savedPlan, spread, type BadInputCase } from './badinput-run.js';
import { topologyCases } from './badinput-topology.js';
import { flagCases, runFlagCases } from './badinput-flags.js';
import { planCases, playbookCases } from './badinput-docs.js';

describe('bad input (representative 30)', () => {
  let sb: SandboxHandle;
  let root: string;
  before(async () => {
    sb = await withSandbox();
    root = await mkdtemp(join(tmpdir(), 'mr-badinput-'));
  });
  after(async () => {
    await sb.stop();
    await rm(root, { recursive: true, force: true });
  });

  test('each exits 2 with one line naming the problem, no stack trace, no mutating call', async () => {
    const base = await savedPlan(sb, join(root, 'base'));
    const cases: BadInputCase[] = [
      ...spread(topologyCases(), 9),
      ...spread(flagCases(), 7),
      ...spread(runFlagCases(), 4),
      ...spread(playbookCases(), 6),
      ...spread(planCases(base), 4),
    ];
    assert.equal(cases.length, 30);
    const outcomes = await runCases(cases, root, sb);
    assert.equal(outcomes.length, 30);
    assert.equal(failures(outcomes), '');
    // Nothing at all changed in the world: the sandbox never saw a mutating call.
    assert.equal(sb.control.calls().filter((c) => c.mutating).length, 0);
  });
});
