// Issue 10 item 3, end to end through the built CLI and the real SDK clients against the sandbox's
// three-region demo world: after an unplanned failover Aurora rebuilds every other secondary, not only
// the old primary (Aurora user guide, aurora-global-database-disaster-recovery.html). `mr status`,
// gate.lag and the region chooser say "rebuilding", and a rebuilding cluster is never a target.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inWorld, mr, mutating, type World } from './steps-helpers.js';

// A rebuild of ten simulated hours: it stays under way for the whole test at the tests' time scale.
const slowRebuild = {
  worldOverrides: (wf: { durations?: Record<string, number> }) => void (wf.durations = { ...wf.durations, auroraRebuild: 36_000 }),
};

async function failedOverToEuw1(w: World): Promise<void> {
  w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
  const r = await mr(w, ['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
  assert.equal(r.code, 0, r.stderr);
}

const mutationsAfter = (w: World, n: number) => mutating(w).slice(n);

describe('an unplanned failover rebuilds every other secondary (item 3)', { concurrency: 2 }, () => {
  test('status says us-west-2 is rebuilding; neither an unplanned nor a planned failover may go there', () =>
    inWorld(async (w) => {
      await failedOverToEuw1(w);
      const status = await mr(w, ['--json', 'status']);
      const doc = JSON.parse(status.stdout) as {
        aurora: { global: { value: { members: { region: string; syncStatus?: string }[] } } };
        findings: { severity: string; region?: string; message: string }[];
      };
      const sync = Object.fromEntries(doc.aurora.global.value.members.map((m) => [m.region, m.syncStatus]));
      assert.deepEqual(sync, { 'us-east-1': 'pending-resync', 'eu-west-1': 'connected', 'us-west-2': 'pending-resync' });
      assert.ok(
        doc.findings.some((f) => f.region === 'us-west-2' && /aurora demo-usw2 is rebuilding \(pending-resync\)/.test(f.message)),
        JSON.stringify(doc.findings),
      );
      // The table says it in words, in the sync and lag rows.
      const table = await mr(w, ['status']);
      assert.match(table.stdout, /sync .*rebuilding \(pending-resync\)/);

      const before = mutating(w).length;
      const unplanned = await mr(w, ['failover', 'us-west-2', '--unplanned', '--yes', '--allow-data-loss']);
      assert.equal(unplanned.code, 3, unplanned.stderr);
      assert.match(unplanned.stderr, /demo-usw2 in us-west-2 is rebuilding \(pending-resync\) after an unplanned failover: Aurora cannot promote it/);

      const planned = await mr(w, ['failover', 'us-west-2', '--yes', '--skip-lag-check', '--var', 'bake=0s']);
      assert.equal(planned.code, 3, planned.stderr);
      // gate.lag says why there is no lag, and --skip-lag-check does not override it.
      assert.match(
        planned.stderr,
        /demo-usw2 in us-west-2 is rebuilding \(pending-resync\) after an unplanned failover: no replication lag until it is in sync/,
      );
      assert.deepEqual(mutationsAfter(w, before), [], 'nothing was sent toward a rebuilding cluster');
    }, slowRebuild));

  test('the chooser counts a rebuilding region out, naming why', () =>
    inWorld(async (w) => {
      await failedOverToEuw1(w);
      w.sb.control.setFaults({ regionsDown: [] });
      // On a terminal with no region typed: eu-west-1 is current, us-east-1 (the old primary) and us-west-2
      // are both being rebuilt, so there is nothing to choose: refused, each region with its reason.
      const r = await mr(w, ['failover', '--dry-run'], { tty: true, input: '\r' });
      assert.equal(r.code, 3, r.stdout);
      assert.match(r.stdout, /no region to fail over to: us-east-1 rebuilding, eu-west-1 current, us-west-2 rebuilding/);
      assert.deepEqual(
        mutating(w).filter((m) => m.includes('rds')),
        ['rds eu-west-1 FailoverGlobalCluster'],
      );
    }, slowRebuild));
});
