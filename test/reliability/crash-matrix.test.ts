// Crash matrix: `mr failover eu-west-1` killed with SIGKILL at every step boundary of failover.yaml
// (each step.started / step.succeeded / step.skipped, the lock taken, and each step's first change
// sent), then `mr resume <run-id>`. Every time: the world ends failed over, the audit log verifies,
// the lock is free, and the sandbox accepted no mutation twice (same operation, target and
// parameters, compared on the wire). The loop is lib/crash-loop.ts, shared with the other worlds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { boundaryPoints, crashMatrix, type CrashRun, type KillPoint } from './lib/crash-loop.js';
import { notMoved } from './lib/outcome.js';
import { openWorld, type RWorld } from './lib/world.js';

const FAILOVER: CrashRun = { args: ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'], endState: notMoved };

describe('crash matrix: SIGKILL at every step boundary of the planned failover, then resume', () => {
  let world: RWorld;
  let points: KillPoint[] = [];

  before(async () => {
    // 50 ms on every call: the work after a boundary takes long enough for the kill to land before it.
    world = await openWorld({ worldOverrides: (w) => void (w.faults.latencyMs = 50) });
    const ref = await world.mr(FAILOVER.args);
    assert.equal(ref.code, 0, ref.stderr);
    points = boundaryPoints(await world.events());
  });

  after(async () => {
    await world.close();
    assert.deepEqual(world.leaks, [], 'a credential reached an output or a file');
  });

  test('the uninterrupted failover has a boundary for every step of failover.yaml', () => {
    const labels = points.map((p) => p.label);
    for (const step of ['scale-target', 'switch-db', 'promote-cache', 'shift-traffic']) {
      assert.ok(labels.includes(`step.started ${step}`), `no start of ${step} in ${labels.join(', ')}`);
      assert.ok(labels.includes(`step.succeeded ${step}`));
      assert.ok(labels.includes(`first change of ${step}`));
    }
    assert.ok(labels.includes('lock.acquired'));
    assert.ok(
      labels.some((l) => / target-healthy$/.test(l)),
      'the health gate has a boundary',
    );
    assert.ok(points.length >= 13, `only ${points.length} kill points`);
  });

  test('each kill point: resume finishes the failover without repeating a change', async () => {
    assert.equal(await crashMatrix(world, FAILOVER, points), '');
  });
});
