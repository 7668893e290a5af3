// Crash matrix over the single-run failback of the active-passive world (after an unplanned failover to
// eu-west-1): `mr run failback --var target=us-east-1` killed with SIGKILL at a SUBSET of its points, then
// `mr resume <run-id>`. The points are the ones the failback's own mechanisms answer for: the rebuild's
// first change (the replica still creating), the deferred promotion planned on reaching it, its first
// change (the promotion under way), and its success (the rebuilt replica now standalone, found by its
// mr:replica-of tag). Every time: us-east-1's rebuilt replica is the writable primary, DNS answers us-east-1,
// the audit log verifies, the lock is free and the sandbox accepted no mutation twice (lib/crash-loop.ts).
//
// Killed while the rebuilt replica is still creating, the resume plans it as under way; by the re-read under
// the lock it has usually finished creating. That is the world moving toward the plan: the resume goes on
// (a plan.progressed event says so) instead of refusing as stale (src/engine/under-lock.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { boundary, crashMatrix, firstChangeOf, type CrashRun } from './lib/crash-loop.js';
import { activePassiveState } from './lib/end-states.js';
import { bundled, openWorld, type RWorld } from './lib/world.js';

const POINTS = [
  firstChangeOf('rebuild-replica'),
  boundary('step.planned', 'promote-db'),
  firstChangeOf('promote-db'),
  boundary('step.succeeded', 'promote-db'),
];

const FAILED_BACK = {
  'ap-db-use1-r': 'available, standalone',
  db: ['ap-db-use1-r.c0ffee.us-east-1.rds.amazonaws.com'],
  api: ['192.0.2.10'],
};

const FAILBACK: CrashRun = {
  args: ['run', 'failback', '--var', 'target=us-east-1', '--yes'],
  // The return trip starts from an unplanned failover to eu-west-1 made while us-east-1 was down.
  async setup(w) {
    w.sandbox.control.setFaults({ regionsDown: ['us-east-1'] });
    const down = await w.mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(down.code, 0, down.stderr);
    w.sandbox.control.setFaults({ regionsDown: [] });
  },
  async endState(w) {
    const s = await activePassiveState(w);
    const dns = s.dns as { api: string[]; db: string[] };
    const got = { 'ap-db-use1-r': s['ap-db-use1-r'], db: dns.db, api: dns.api };
    return JSON.stringify(got) === JSON.stringify(FAILED_BACK) ? '' : `world is ${JSON.stringify(got)}`;
  },
};

describe('crash matrix: SIGKILL during the single-run failback (a subset of points), then resume', () => {
  let world: RWorld;

  before(async () => {
    world = await openWorld({ ...bundled('active-passive'), timeScale: 600 });
  });
  after(async () => {
    await world.close();
    assert.deepEqual(world.leaks, [], 'a credential reached an output or a file');
  });

  test('each point: resume finishes the return trip without repeating a change', async () => {
    assert.equal(await crashMatrix(world, FAILBACK, POINTS), '');
  });
});
