// Crash matrix over the active-passive world's failovers (issue 13): the planned one (`mr failover eu-west-1`:
// pre-scale, fence us-east-1's writers, promote the replica at lag 0 and the cache, point the data names,
// drain the PRIMARY) and the unplanned one with us-east-1 down (`--unplanned --allow-data-loss`: no fence,
// no drain), each killed with SIGKILL at a SUBSET of its boundaries, then `mr resume <run-id>`. The subset,
// for runtime (about 30 s a point): planned, the first change of fence-source, promote-db and drain-others;
// unplanned, of scale-target, promote-db and point-data (each asserted to change something in an
// uninterrupted run); and in both the success of promote-db (between the data and the DNS stages). The
// first change of every mutating step (planned also scale-target, promote-cache, point-data; unplanned
// promote-cache) passed once when this was written, 12 points in 7 minutes. Every time:
// the same end state as the uninterrupted run (each instance's role, ECS in both regions, the datastore
// primary, TestDNSAnswer for the API, the db and cache names), no mutation accepted twice on the wire, the
// audit log verifying, the lock free; unplanned, no call to any us-east-1 regional endpoint (lib/crash-loop.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { boundary, crashMatrix, firstChangeOf, type CrashRun, type KillPoint } from './lib/crash-loop.js';
import { activePassiveState, regionalCalls, sameAs } from './lib/end-states.js';
import { bundled, openWorld, type RWorld } from './lib/world.js';

const EUW1_DNS = {
  api: ['198.51.100.10'],
  db: ['ap-db-euw1.c0ffee.eu-west-1.rds.amazonaws.com'],
};

interface Variant {
  name: string;
  run: CrashRun;
  down: string[];
  /** Steps killed at their first change: each must change something in the uninterrupted run. */
  mutating: string[];
  /** The uninterrupted run's end state: the one every resume must reach. */
  reference: { state?: unknown };
}

function variant(name: string, args: string[], down: string[], mutating: string[], resumeFlags: string[] = []): Variant {
  const reference: Variant['reference'] = {};
  const run: CrashRun = {
    args,
    resumeFlags,
    setup: async (w) => void (down.length && w.sandbox.control.setFaults({ regionsDown: down })),
    endState: sameAs(
      (w) => activePassiveState(w, down),
      () => reference.state,
    ),
    extra: (w) => down.flatMap((r) => regionalCalls(w, r).map((c) => `called ${c} in ${r}, which is down`)),
  };
  return { name, run, down, mutating, reference };
}

const VARIANTS = [
  variant('planned failover', ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'], [], ['fence-source', 'promote-db', 'drain-others']),
  variant(
    'unplanned failover, us-east-1 down',
    ['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss'],
    ['us-east-1'],
    ['scale-target', 'promote-db', 'point-data'],
    ['--allow-data-loss'],
  ),
];

for (const v of VARIANTS) {
  describe(`crash matrix over the active-passive ${v.name}: SIGKILL at a subset of boundaries, then resume`, () => {
    let world: RWorld;
    let points: KillPoint[] = [];

    before(async () => {
      // 50 ms on every call: the work after a boundary takes long enough for the kill to land before it.
      world = await openWorld({ ...bundled('active-passive'), timeScale: 600, worldOverrides: (w) => void (w.faults.latencyMs = 50) });
      await v.run.setup!(world);
      const ref = await world.mr(v.run.args);
      assert.equal(ref.code, 0, ref.stderr);
      const state = await activePassiveState(world, v.down);
      assert.equal(state['ap-db-euw1'], 'available, standalone', 'the uninterrupted failover promoted the replica');
      assert.equal(state['ecs eu-west-1'], 'api 6/6, worker 4/4');
      assert.deepEqual({ api: (state.dns as typeof EUW1_DNS).api, db: (state.dns as typeof EUW1_DNS).db }, EUW1_DNS);
      v.reference.state = state;
      const events = await world.events();
      points = v.mutating.filter((step) => events.some((e) => e.type === 'intent' && e.data?.step === step)).map(firstChangeOf);
      points.push(boundary('step.succeeded', 'promote-db'));
    });

    after(async () => {
      await world.close();
      assert.deepEqual(world.leaks, [], 'a credential reached an output or a file');
    });

    test('each step killed at its first change makes one in an uninterrupted run', () => {
      const labels = points.map((p) => p.label);
      for (const step of v.mutating) assert.ok(labels.includes(`first change of ${step}`), `no change of ${step} in ${labels.join(', ')}`);
    });

    test('each kill point: resume finishes the failover without repeating a change', async () => {
      assert.equal(await crashMatrix(world, v.run, points), '');
    });
  });
}
