// Lock trials: two runs of the same topology started at the same moment, 50 times: exactly one runs,
// the other is refused (exit 3) naming the holder's run, and the lock is free afterwards. The 50 use
// a cheap playbook (one ECS worker scaled, then a 1 s wait); Route 53 changes answer 0.8 s late, so
// the loser has planned its change before the winner makes it, and must be stopped by the lock alone.
// Three more race two real `mr failover` runs: the world fails over exactly once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MrResult } from '../helpers/run-mr.js';
import { auditEvents } from '../e2e/playbook-harness.js';
import { notMoved } from './lib/outcome.js';
import { openWorld, type RWorld } from './lib/world.js';

const TRIALS = 50;
// A change is needed: a plan of waits and checks only takes no lock.
const HOLD = `version: 1
name: hold
stages:
  - name: hold
    steps:
      - { id: scale, kind: ecs.scale, with: { region: us-west-2, to: 2, services: [worker] } }
      - { id: hold, kind: wait, with: { duration: 1s } }
`;

/** Both started in the same tick; resolves with both results. */
async function race(world: RWorld, args: string[]): Promise<[MrResult, MrResult]> {
  const a = world.start(args, { killAfterMs: 120_000 });
  const b = world.start(args, { killAfterMs: 120_000 });
  return Promise.all([a.done, b.done]);
}

/** Problems with one race: not exactly one exit 0 and one exit 3 naming the winner. */
function judgeRace(rs: [MrResult, MrResult], winnerRunIds: string[]): string[] {
  const codes = rs.map((r) => r.code).sort();
  if (codes[0] !== 0 || codes[1] !== 3)
    return [`exits ${codes.join(' and ')}, expected 0 and 3: ${rs.map((r) => r.stderr.trim().split('\n').pop()).join(' / ')}`];
  const loser = rs.find((r) => r.code === 3)!;
  if (winnerRunIds.length !== 1) return [`${winnerRunIds.length} runs started a step`];
  if (!loser.stderr.includes(`another run holds the lock`) || !loser.stderr.includes(winnerRunIds[0]))
    return [`the refused run does not name the holder ${winnerRunIds[0]}: ${loser.stderr}`];
  return [];
}

describe('lock: two runs at once, exactly one runs', () => {
  let world: RWorld;
  before(async () => {
    world = await openWorld({ timeScale: 600 });
  });
  after(async () => {
    await world.close();
    assert.deepEqual(world.leaks, []);
  });

  test(`${TRIALS} races of a cheap playbook`, async () => {
    const playbook = join(world.stateDir, '..', `hold-${process.pid}.yaml`);
    await writeFile(playbook, HOLD);
    const problems: string[] = [];
    let seen = 0;
    for (let i = 0; i < TRIALS; i++) {
      // Back to one worker, so each race has its change to make (the audit log and state dir stay).
      world.sandbox.control.reset();
      world.sandbox.control.setFaults({ latency: { ChangeResourceRecordSets: 800 } });
      const rs = await race(world, ['run', playbook, '--yes']);
      const events = (await auditEvents(world.stateDir)).slice(seen);
      seen += events.length;
      const winners = [...new Set(events.filter((e) => e.type === 'step.started').map((e) => e.runId))];
      const locks = events.filter((e) => e.type === 'lock.acquired').length;
      if (locks !== 1) problems.push(`trial ${i + 1}: the lock was acquired ${locks} times`);
      problems.push(...judgeRace(rs, winners).map((p) => `trial ${i + 1}: ${p}`));
    }
    assert.equal(problems.join('\n'), '');
    // 100 runs appended to one audit log from pairs of processes: the chain holds, the lock is free.
    const verify = await world.mr(['audit', 'verify']);
    assert.equal(verify.code, 0, verify.stderr);
    const lock = await world.mr(['lock', 'status']);
    assert.match(lock.stdout, /not locked/);
  });

  test('three races of two real failovers: one fails over, once', async () => {
    const problems: string[] = [];
    for (let i = 0; i < 3; i++) {
      await world.reset();
      const rs = await race(world, ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
      const events = await auditEvents(world.stateDir);
      const winners = [...new Set(events.filter((e) => e.type === 'step.started').map((e) => e.runId))];
      problems.push(...judgeRace(rs, winners).map((p) => `failover race ${i + 1}: ${p}`));
      const moved = await notMoved(world);
      if (moved) problems.push(`failover race ${i + 1}: ${moved}`);
      const switchovers = world.sandbox.control.calls().filter((c) => c.operation === 'SwitchoverGlobalCluster' && c.status === 200).length;
      if (switchovers !== 1) problems.push(`failover race ${i + 1}: ${switchovers} switchovers accepted`);
    }
    assert.equal(problems.join('\n'), '');
  });
});
