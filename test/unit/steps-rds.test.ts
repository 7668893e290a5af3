// rds.promote-replica and rds.create-replica planning from given states (a hand-fed Aws), and the
// status findings for RDS read replicas. Where the reads go, what the plan risks, what it refuses.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AwsCallError } from '../../src/aws/errors.js';
import type { DbInstanceInfo } from '../../src/aws/types.js';
import { topologySchema } from '../../src/config/schema.js';
import { judge } from '../../src/inspect/judge.js';
import type { ObservedState } from '../../src/inspect/types.js';
import { stepImpls } from '../../src/steps/index.js';
import type { PlannedStep } from '../../src/steps/contract.js';
import { fakeAws } from '../helpers/fake-aws.js';
import { distRoot } from '../helpers/paths.js';

const topology = () => topologySchema.parse(parse(readFileSync(join(distRoot, 'src/sandbox/worlds/active-passive/topology.yaml'), 'utf8')));
const ARN = (region: string, id: string) => `arn:aws:rds:${region}:123456789012:db:${id}`;

function inst(region: string, id: string, extra: Partial<DbInstanceInfo> = {}): DbInstanceInfo {
  return { id, arn: ARN(region, id), region, status: 'available', replicas: [], ...extra };
}
const replicaOf = (region: string, id: string, src: DbInstanceInfo, extra: Partial<DbInstanceInfo> = {}) =>
  inst(region, id, { source: { ref: src.arn, region: src.region, id: src.id }, replication: { status: 'replicating', normal: true }, ...extra });

class World {
  instances: DbInstanceInfo[] = [];
  lag: Record<string, number | null> = {};
  calls: string[] = [];
  constructor() {
    const primary = inst('us-east-1', 'ap-db-use1', { replicas: [ARN('eu-west-1', 'ap-db-euw1')] });
    this.instances = [primary, replicaOf('eu-west-1', 'ap-db-euw1', primary)];
    this.lag['ap-db-euw1'] = 2000;
  }
  ctx() {
    const w = this;
    const aws = fakeAws({
      rds: (region) => ({
        readDbInstance: async (id: string) => {
          w.calls.push(`rds ${region} DescribeDBInstances`);
          const i = w.instances.find((x) => x.region === region && x.id === id.toLowerCase());
          if (!i)
            throw new AwsCallError('rds', region, 'DescribeDBInstances', 'DBInstanceNotFoundFault', `DBInstance ${id} not found.`, {
              unreachable: false,
              throttled: false,
              httpStatus: 404,
            });
          return structuredClone(i);
        },
      }),
      cloudwatch: (region) => ({
        replicaLag: async (id: string) => {
          w.calls.push(`monitoring ${region} GetMetricData`);
          return w.lag[id] ?? null;
        },
      }),
    });
    return { topology: topology(), aws, flags: { yes: true, allowDataLoss: false, dryRun: true } };
  }
}

const plan = (w: World, kind: 'rds.promote-replica' | 'rds.create-replica', params: Record<string, unknown>) => stepImpls[kind].plan('s1', params, w.ctx());
const check = (step: PlannedStep, name: string) => {
  const c = step.checks.find((x) => x.name === name);
  assert.ok(c, `check "${name}" in ${step.checks.map((x) => x.name).join(', ')}`);
  return c;
};

describe('rds.promote-replica plan', () => {
  test('unplanned: a data-loss change whose data at risk is the replica lag; reads only in the replica region', async () => {
    const w = new World();
    const step = await plan(w, 'rds.promote-replica', { target: 'eu-west-1' });
    assert.deepEqual(
      step.changes.map((c) => [c.resource, c.to, c.risk, c.region]),
      [['rds instance ap-db-euw1', 'standalone primary', 'data-loss', 'eu-west-1']],
    );
    assert.equal(step.data.dataAtRiskMs, 2000);
    assert.equal(check(step, 'data at risk').warning, true);
    assert.deepEqual(
      step.checks.filter((c) => !c.passed),
      [],
    );
    assert.deepEqual([...new Set(w.calls.map((c) => c.split(' ')[1]))], ['eu-west-1']);
    assert.equal(stepImpls['rds.promote-replica'].rpo?.({ data: step.data })?.boundMs, 2000);
    assert.equal(stepImpls['rds.promote-replica'].rpo?.({ data: { ...step.data, cutLagMs: 61_000 } })?.boundMs, 61_000, 'the lag at the cut wins');
  });

  test('planned: disruptive, not data loss; refused when the lag is above rds.maxLagMs', async () => {
    const w = new World();
    const step = await plan(w, 'rds.promote-replica', { target: 'eu-west-1', cut: 'planned' });
    assert.equal(step.changes[0].risk, 'disruptive');
    assert.equal(check(step, 'source writers fenced at the cut').passed, true);
    w.lag['ap-db-euw1'] = 90_000;
    const late = await plan(w, 'rds.promote-replica', { target: 'eu-west-1', cut: 'planned' });
    const lag = check(late, 'replica lag under bound');
    assert.equal(lag.passed, false);
    assert.equal(lag.bound, 60_000);
    assert.match(lag.message, /90\.0 s \(90000 ms\) is above the bound 60000 ms/);
  });

  test('the target holds the primary: refused as not a read replica', async () => {
    const step = await plan(new World(), 'rds.promote-replica', { target: 'us-east-1' });
    const c = check(step, 'target is a read replica');
    assert.equal(c.passed, false);
    assert.match(c.message, /ap-db-use1 in us-east-1: primary of 1 replica\(s\), available: not a read replica/);
    assert.deepEqual(step.changes, []);
  });

  test('a source in the same region: refused', async () => {
    const w = new World();
    const local = inst('eu-west-1', 'local-primary');
    w.instances[1] = replicaOf('eu-west-1', 'ap-db-euw1', local);
    const c = check(await plan(w, 'rds.promote-replica', { target: 'eu-west-1' }), 'cross-region replica');
    assert.equal(c.passed, false);
    assert.match(c.message, /source local-primary is in the same region eu-west-1/);
  });

  test('an unknown instance: refused with DBInstanceNotFound; a standalone one: no-op; promoting: in progress', async () => {
    const w = new World();
    w.instances = w.instances.filter((i) => i.region !== 'eu-west-1');
    const missing = check(await plan(w, 'rds.promote-replica', { target: 'eu-west-1' }), 'replica exists');
    assert.equal(missing.passed, false);
    assert.match(missing.message, /no DB instance ap-db-euw1 or ap-db-euw1-r in eu-west-1/);
    w.instances.push(inst('eu-west-1', 'ap-db-euw1'));
    assert.equal((await plan(w, 'rds.promote-replica', { target: 'eu-west-1' })).noop, true);
    const w2 = new World();
    w2.instances[1].status = 'rebooting';
    const busy = await plan(w2, 'rds.promote-replica', { target: 'eu-west-1' });
    assert.equal(busy.inProgress, true);
  });

  test('bad parameters name the step', async () => {
    await assert.rejects(plan(new World(), 'rds.promote-replica', { target: 'eu-west-1', cut: 'maybe' }), /step "s1" \(rds.promote-replica\)/);
  });
});

describe('rds.create-replica plan', () => {
  const failedOver = () => {
    const w = new World();
    w.instances = [inst('us-east-1', 'ap-db-use1'), inst('eu-west-1', 'ap-db-euw1')];
    return w;
  };

  test('after a failover: the next free identifier in the target, the source by ARN, the old instance named and kept', async () => {
    const step = await plan(failedOver(), 'rds.create-replica', { target: 'us-east-1' });
    assert.equal(step.data.instanceId, 'ap-db-use1-r');
    assert.equal(step.data.sourceArn, ARN('eu-west-1', 'ap-db-euw1'));
    assert.equal(step.region, 'us-east-1');
    assert.deepEqual(
      step.changes.map((c) => [c.resource, c.to, c.risk]),
      [['rds instance ap-db-use1-r', 'read replica of ap-db-euw1 (eu-west-1)', 'safe']],
    );
    const kept = check(step, 'old instance kept');
    assert.equal(kept.warning, true);
    assert.match(kept.message, /ap-db-use1 in us-east-1: standalone, available: left as it is \(mr never deletes an instance\)/);
    assert.deepEqual(
      step.checks.filter((c) => !c.passed),
      [],
    );
  });

  test('the same region as source: refused; every identifier taken: refused; the replica already there: no-op', async () => {
    const same = check(await plan(failedOver(), 'rds.create-replica', { target: 'us-east-1', from: 'us-east-1' }), 'cross-region source');
    assert.equal(same.passed, false);
    const w = failedOver();
    w.instances.push(inst('us-east-1', 'ap-db-use1-r'));
    assert.equal(check(await plan(w, 'rds.create-replica', { target: 'us-east-1', from: 'eu-west-1' }), 'a free identifier').passed, false);
    const done = failedOver();
    done.instances.push(replicaOf('us-east-1', 'ap-db-use1-r', done.instances[1]));
    assert.equal((await plan(done, 'rds.create-replica', { target: 'us-east-1' })).noop, true);
  });

  test('the source is itself a replica: refused', async () => {
    const c = check(await plan(new World(), 'rds.create-replica', { target: 'us-east-1', from: 'eu-west-1' }), 'source is a primary');
    assert.equal(c.passed, false);
  });
});

describe('status findings for RDS read replicas', () => {
  const observed = (euw1: Partial<DbInstanceInfo & { lagMs: number | null }>, use1ok = true): ObservedState => {
    const primary = { ...inst('us-east-1', 'ap-db-use1', { replicas: [ARN('eu-west-1', 'ap-db-euw1')] }), lagMs: null };
    const replica = { ...replicaOf('eu-west-1', 'ap-db-euw1', primary), lagMs: 2000, ...euw1 };
    return {
      version: 1,
      topology: 'active-passive',
      observedAt: '2026-12-01T00:00:00.000Z',
      regions: ['us-east-1', 'eu-west-1'],
      unreachable: {},
      rds: { maxLagMs: 60_000, regions: { 'us-east-1': { ok: true, value: use1ok ? [primary] : [] }, 'eu-west-1': { ok: true, value: [replica] } } },
    };
  };
  const messages = (s: ObservedState) => judge(s, topology()).map((f) => `${f.severity}: ${f.message}`);

  test('a healthy replica: no findings', () => assert.deepEqual(messages(observed({})), []));
  test('lag over the bound: a warning with value and bound', () =>
    assert.deepEqual(messages(observed({ lagMs: 75_000 })), ['warning: eu-west-1: rds ap-db-euw1: ReplicaLag 75000 ms is above the bound 60000 ms']));
  test('replication in error: critical, with its message', () =>
    assert.deepEqual(messages(observed({ replication: { status: 'error', normal: false, message: 'source unreachable' } })), [
      'critical: eu-west-1: rds ap-db-euw1: replication error (source unreachable)',
    ]));
  test('the source gone from its region: critical', () => {
    const m = messages(observed({}, false));
    assert.ok(m.includes('critical: eu-west-1: rds ap-db-euw1: its source ap-db-use1 is not in us-east-1 (gone, or not in the topology)'), m.join('\n'));
  });
});
