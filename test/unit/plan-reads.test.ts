// The reads one plan's steps share (src/aws/read-cache.ts): one call per question within a plan,
// a fresh read for every plan (the stale check under the lock), failures not kept, copies not shared.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forgetPlanReads, GATE_REUSE_MS, planReadsForGate, sharedReads } from '../../src/aws/read-cache.js';
import { AwsCallError } from '../../src/aws/errors.js';
import type { GlobalClusterInfo } from '../../src/aws/types.js';
import { planSpec } from '../../src/engine/planner.js';
import { preparePlaybook } from '../../src/playbooks/prepare.js';
import { bundledPlaybook } from '../../src/playbooks/resolve.js';
import { stepImpls } from '../../src/steps/index.js';
import { fakeAws } from '../helpers/fake-aws.js';
import { demo, FakeState } from './steps-fake-aws.js';

const count = (calls: string[]) => calls.reduce<Record<string, number>>((m, c) => ((m[c] = (m[c] ?? 0) + 1), m), {});

describe('sharedReads', () => {
  test('the same read asked at once and again is one call; other arguments or regions are their own', async () => {
    let calls: string[] = [];
    const global: GlobalClusterInfo = { id: 'g', arn: 'arn:g', status: 'available', members: [] };
    const shared = sharedReads(
      fakeAws({
        rds: (region) => ({
          readGlobalCluster: async (id: string) => (calls.push(`${region} ${id}`), { ...global, id }),
        }),
      }),
    );
    const [a, b] = await Promise.all([shared.aws.rds('eu-west-1').readGlobalCluster('g'), shared.aws.rds('eu-west-1').readGlobalCluster('g')]);
    await shared.aws.rds('eu-west-1').readGlobalCluster('g');
    await shared.aws.rds('us-east-1').readGlobalCluster('g');
    await shared.aws.rds('eu-west-1').readGlobalCluster('other');
    assert.deepEqual(calls, ['eu-west-1 g', 'us-east-1 g', 'eu-west-1 other']);
    assert.equal(shared.calls, 3);
    // Each caller has its own copy: one step changing its answer does not change another's.
    a.members.push({ clusterArn: 'x', clusterId: 'x', region: 'x', isWriter: true, syncStatus: 'connected', readers: [] });
    assert.equal(b.members.length, 0);
    assert.equal((await shared.aws.rds('eu-west-1').readGlobalCluster('g')).members.length, 0);
    calls = [];
  });

  test('a read that failed is asked again by the next step', async () => {
    let n = 0;
    const shared = sharedReads(
      fakeAws({
        route53: () => ({
          getHealthCheckStatus: async () => {
            n++;
            if (n === 1)
              throw new AwsCallError('route53', 'us-east-1', 'GetHealthCheckStatus', 'Throttling', 'Rate exceeded', { unreachable: false, throttled: true });
            return [{ checkerRegion: 'us-east-1', status: 'Success', healthy: true }];
          },
        }),
      }),
    );
    await assert.rejects(shared.aws.route53().getHealthCheckStatus('hc'), /Rate exceeded/);
    assert.equal((await shared.aws.route53().getHealthCheckStatus('hc')).length, 1);
    assert.equal((await shared.aws.route53().getHealthCheckStatus('hc')).length, 1);
    assert.equal(n, 2);
  });
});

describe('planSpec reads', () => {
  test('the failover plan asks each question once, and a second plan (the re-read under the lock) asks them all again', async () => {
    const s = new FakeState();
    const topology = demo();
    const { spec } = await preparePlaybook(bundledPlaybook('failover'), { vars: { target: 'eu-west-1' }, topology, command: 'failover eu-west-1' });
    const ctx = s.ctx(topology);
    const first = await planSpec(spec, stepImpls, ctx, { id: 'r1', createdAt: new Date() });
    const once = count(s.calls);
    // Three gates read eu-west-1's health check (preflight, the shift's gate, the final one), the lag
    // gate and the switchover read the global cluster and the target's Aurora lag: one call each.
    assert.equal(once['rds eu-west-1 DescribeGlobalClusters'], 1, JSON.stringify(once));
    assert.equal(once['route53 us-east-1 GetHealthCheckStatus'], 2, "eu-west-1's check, and us-east-1's (the shift's source)");
    assert.equal(once['monitoring eu-west-1 GetMetricData'], 2, 'the Aurora lag once, the datastore lag once');
    // The same steps planned each on its own: 6 more calls (2 health check statuses, the global cluster,
    // the lag, and 2 health check configurations, which the real adapter also keeps for the process).
    s.calls = [];
    for (const stage of spec.stages) for (const st of stage.steps) await stepImpls[st.kind as keyof typeof stepImpls].plan(st.id, st.params, ctx);
    assert.equal(s.calls.length, Object.values(once).reduce((a, b) => a + b, 0) + 6, JSON.stringify(count(s.calls)));
    s.calls = [];
    const again = await planSpec(spec, stepImpls, ctx, { id: 'r1', createdAt: new Date() });
    assert.deepEqual(count(s.calls), once, 'the second plan reads everything again');
    assert.equal(again.fingerprint, first.fingerprint);
    // What a later read sees is the world then, not the first plan's answer.
    s.healthy['eu-west-1'] = false;
    s.calls = [];
    const third = await planSpec(spec, stepImpls, ctx, { id: 'r1', createdAt: new Date() });
    assert.notEqual(third.fingerprint, first.fingerprint);
    assert.ok(third.stages[0].steps[0].checks.some((c) => !c.passed));
  });
});

describe('a gate right after the plan', () => {
  const world = () => {
    const asked: string[] = [];
    const aws = fakeAws({
      route53: () => ({
        getHealthCheckStatus: async (id: string) => (asked.push(id), [{ checkerRegion: 'us-east-1', status: 'Success', healthy: true }]),
      }),
      rds: () => ({ readGlobalCluster: async (id: string) => (asked.push(id), { id, arn: 'arn', status: 'available', members: [] }) }),
    });
    return { aws, asked };
  };

  test("takes the latest plan's read of its question once; its next read, and other questions, go to AWS", async () => {
    const { aws, asked } = world();
    await sharedReads(aws, aws).aws.route53().getHealthCheckStatus('hc');
    const gate = planReadsForGate(aws, aws);
    await gate.route53().getHealthCheckStatus('hc');
    assert.deepEqual(asked, ['hc'], 'answered from the plan');
    await gate.route53().getHealthCheckStatus('hc');
    await gate.route53().getHealthCheckStatus('other');
    await gate.rds('eu-west-1').readGlobalCluster('g');
    assert.deepEqual(asked, ['hc', 'hc', 'other', 'g']);
  });

  test('not a read older than GATE_REUSE_MS, not one from before a change, not one from an earlier plan', async () => {
    const { aws, asked } = world();
    await sharedReads(aws, aws).aws.route53().getHealthCheckStatus('hc');
    let clock = Date.now();
    await planReadsForGate(aws, aws, () => clock + GATE_REUSE_MS)
      .route53()
      .getHealthCheckStatus('hc');
    assert.equal(asked.length, 2, 'too old: read again');

    await sharedReads(aws, aws).aws.route53().getHealthCheckStatus('hc');
    forgetPlanReads(aws);
    await planReadsForGate(aws, aws).route53().getHealthCheckStatus('hc');
    assert.equal(asked.length, 4, 'a step changed something since: read again');

    await sharedReads(aws, aws).aws.route53().getHealthCheckStatus('hc');
    sharedReads(aws, aws); // the plan under the lock starts, and has not asked yet
    clock = Date.now();
    await planReadsForGate(aws, aws, () => clock)
      .route53()
      .getHealthCheckStatus('hc');
    assert.equal(asked.length, 6, 'the earlier plan is not the latest: read again');
  });
});
