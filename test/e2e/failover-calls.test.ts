// What a planned failover of the demo world costs in calls, from the sandbox's call log (issue 14:
// the AWS CLI runbook makes 38; the target is at most twice that at real durations). Planning reads
// are fixed by the world, so they are counted exactly; polls depend on the machine, so they are bounded.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { CallLogEntry } from '../../src/sandbox/server.js';
import { useWorld, type World } from './playbook-harness.js';

let world: World;
useWorld((w) => (world = w));

const byOperation = (calls: CallLogEntry[]) => calls.reduce<Record<string, number>>((m, c) => ((m[c.operation] = (m[c.operation] ?? 0) + 1), m), {});

/** The waits' reads: the writer and the datastore primary moving, the tasks starting, the changes propagating. */
const POLLS = new Set(['DescribeGlobalClusters', 'DescribeGlobalReplicationGroups', 'DescribeServices', 'GetChange']);

describe('calls of a planned failover', () => {
  test('mr failover eu-west-1: each planning question asked once per plan, the gates once each', async () => {
    await world.reset();
    // A second run of the operator's: the hosted zone's name is in the cache dir (src/aws/route53-zones.ts).
    assert.equal((await world.mr(['status'])).code, 0);
    world.sandbox.control.clearCalls();
    const r = await world.mr(['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
    assert.equal(r.code, 0, r.stderr);
    const calls = world.sandbox.control.calls();
    const lockAt = calls.findIndex((c) => c.mutating);
    assert.equal(calls[lockAt].operation, 'ChangeResourceRecordSets', 'the lock is the first change');
    // Before the lock: the "already primary" check (the weights: traffic is not all in eu-west-1, so
    // nothing more), the plan (each question once: 21 reads on main before, with a full status read
    // first), then the lock's own read (its record; the zone's name is known, so no GetHostedZone).
    assert.equal(calls[0].operation, 'ListResourceRecordSets');
    assert.deepEqual(byOperation(calls.slice(0, lockAt)), {
      ListResourceRecordSets: 3,
      GetCallerIdentity: 1,
      GetHealthCheck: 2,
      GetHealthCheckStatus: 2,
      DescribeGlobalClusters: 1,
      GetMetricData: 2,
      DescribeServices: 1,
      DescribeScalableTargets: 2,
      DescribeDBClusters: 2,
      DescribeGlobalReplicationGroups: 1,
      DescribeReplicationGroups: 1,
    });
    const all = byOperation(calls);
    // The health check status: eu-west-1's and us-east-1's in each of the two plans (before and under
    // the lock), then one gate per traffic step (3) and the final gate: 8, not 16. The preflight gate,
    // reached right after the plan under the lock with nothing changed since, takes that plan's read
    // (src/aws/read-cache.ts) when it was sent less than 2 s before, as the lag gate takes its lag and
    // global cluster reads; on a machine so loaded that the gates come later they read again (9 and 5).
    const lateGates = all.GetHealthCheckStatus - 8;
    assert.ok(lateGates === 0 || lateGates === 1, JSON.stringify(all));
    // The lag: the Aurora and the datastore lag in each plan: 4, not 10. The cache promotion's cut-lag
    // recheck, reached more than the plan cache's 2 s after the plan, reads the datastore's lag again,
    // and with it its replication group (the cluster list the metric needs).
    const lateLag = all.GetMetricData - 4;
    assert.ok(lateLag === 0 || lateLag === 1, JSON.stringify(all));
    const lateGroups = all.DescribeReplicationGroups - 2;
    assert.ok(lateGroups === 0 || lateGroups === lateLag, JSON.stringify(all));
    assert.equal(all.ChangeResourceRecordSets, 5, 'the lock, three weight steps, the release');
    const polls = calls.filter((c) => POLLS.has(c.operation)).length;
    const others = calls.length - polls;
    // 49: the pre-scale also raises the two standby services' MinCapacity (2 RegisterScalableTarget)
    // and its verify reads those bounds back (2 DescribeScalableTargets); no GetHostedZone (one more
    // cold), and the lock's TXT record, read in the same tick as records of the demo zone, is found in
    // their listing's page (its slack reaches past db.demo.example.com), not listed on its own.
    assert.equal(others - lateGates - lateLag - lateGroups, 49, JSON.stringify(all));
    assert.equal(all.GetHostedZone, undefined, JSON.stringify(all));
    assert.equal(all.RegisterScalableTarget, 2, JSON.stringify(all));
    assert.ok(calls.length <= 75, `${calls.length} calls: ${JSON.stringify(all)}`);
  });

  test('with a cold cache the lock asks for the zone name once: one GetHostedZone more, nothing else', async () => {
    await world.reset();
    world.sandbox.control.clearCalls();
    const r = await world.mr(['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
    assert.equal(r.code, 0, r.stderr);
    const all = byOperation(world.sandbox.control.calls());
    assert.equal(all.GetHostedZone, 1, JSON.stringify(all));
    assert.ok(world.sandbox.control.calls().length <= 76, JSON.stringify(all));
  });

  test('mr failover us-east-1 (already primary): three reads, where each role is, and nothing else', async () => {
    await world.reset();
    world.sandbox.control.clearCalls();
    const r = await world.mr(['failover', 'us-east-1', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /us-east-1 is already primary/);
    assert.deepEqual(byOperation(world.sandbox.control.calls()), { ListResourceRecordSets: 1, DescribeGlobalClusters: 1, DescribeGlobalReplicationGroups: 1 });
  });
});
