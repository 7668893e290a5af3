// Crash matrix over the latency world's planned failover (issue 12): `mr failover eu-west-1` killed with
// SIGKILL at a subset of its boundaries, then `mr resume <run-id>`. The subset (kept small for runtime,
// about 30 s a point): the first change of each step that changes something (switch-db, promote-cache,
// point-data, drain-others; scale-target is a no-op here, every region already runs its capacity), and
// the start of point-data (the boundary between the data and the DNS steps). The whole set (also the lock
// taken, every step start and drain-others' success) passed once when this was written, in 6 minutes.
// Every time: Aurora and the datastore primary in eu-west-1, the db/cache CNAMEs pointed, the other
// regions' control checks inverted and TestDNSAnswer answering eu-west-1 to a client near us-east-1, the
// audit log verifying, the lock free, and no mutation accepted twice on the wire (lib/crash-loop.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { boundary, crashMatrix, firstChangeOf, type CrashRun, type KillPoint } from './lib/crash-loop.js';
import { LATENCY_FAILED_OVER, latencyState, sameAs } from './lib/end-states.js';
import { bundled, openWorld, type RWorld } from './lib/world.js';

const MUTATING_STEPS = ['switch-db', 'promote-cache', 'point-data', 'drain-others'];
const FAILOVER: CrashRun = {
  args: ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'],
  endState: sameAs(latencyState, () => LATENCY_FAILED_OVER),
};

describe('crash matrix over the latency world: SIGKILL at the boundaries of the planned failover, then resume', () => {
  let world: RWorld;
  let points: KillPoint[] = [];

  before(async () => {
    // 50 ms on every call: the work after a boundary takes long enough for the kill to land before it.
    world = await openWorld({ ...bundled('latency'), worldOverrides: (w) => void (w.faults.latencyMs = 50) });
    const ref = await world.mr(FAILOVER.args);
    assert.equal(ref.code, 0, ref.stderr);
    assert.deepEqual(await latencyState(world), LATENCY_FAILED_OVER, 'the uninterrupted failover');
    const events = await world.events();
    points = MUTATING_STEPS.filter((step) => events.some((e) => e.type === 'intent' && e.data?.step === step)).map(firstChangeOf);
    points.push(boundary('step.started', 'point-data'));
  });

  after(async () => {
    await world.close();
    assert.deepEqual(world.leaks, [], 'a credential reached an output or a file');
  });

  test('the kill points cover a change of every mutating step', () => {
    const labels = points.map((p) => p.label);
    for (const step of MUTATING_STEPS) assert.ok(labels.includes(`first change of ${step}`), `no change of ${step} in ${labels.join(', ')}`);
  });

  test('each kill point: resume finishes the failover without repeating a change', async () => {
    assert.equal(await crashMatrix(world, FAILOVER, points), '');
  });
});
