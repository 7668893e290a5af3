// Planning from given states: no-op and in-progress detection, checks, where reads go, and
// parameter validation. The Aws is a hand-fed fake (steps-fake-aws.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/io/errors.js';
import { stepImpls } from '../../src/steps/index.js';
import type { PlannedStep } from '../../src/engine/types.js';
import { FakeState } from './steps-fake-aws.js';

const plan = (s: FakeState, kind: keyof typeof stepImpls, params: Record<string, unknown>) => stepImpls[kind].plan('s1', params, s.ctx());
const check = (step: PlannedStep, name: string) => {
  const c = step.checks.find((x) => x.name === name);
  assert.ok(c, `check "${name}" in ${step.checks.map((x) => x.name).join(', ')}`);
  return c;
};

describe('aurora.switchover plan', () => {
  test('a healthy secondary target: one writer change, every check passing, call in the primary region', async () => {
    const s = new FakeState();
    const step = await plan(s, 'aurora.switchover', { target: 'eu-west-1' });
    assert.equal(step.noop, false);
    assert.equal(step.region, 'us-east-1');
    assert.deepEqual(
      step.changes.map((c) => [c.attribute, c.from, c.to, c.risk]),
      [['writer', 'us-east-1', 'eu-west-1', 'disruptive']],
    );
    assert.deepEqual(
      step.checks.filter((c) => !c.passed),
      [],
    );
    assert.equal(step.data.targetArn, 'arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1');
    assert.equal(step.data.primaryRegion, 'us-east-1');
  });
  test('the target already writes: no-op', async () => {
    const s = new FakeState();
    s.global.members[0].isWriter = false;
    s.global.members[1].isWriter = true;
    const step = await plan(s, 'aurora.switchover', { target: 'eu-west-1' });
    assert.equal(step.noop, true);
    assert.deepEqual(step.changes, []);
  });
  test('a switchover toward the target under way: in progress, no checks to fail', async () => {
    const s = new FakeState();
    s.global.status = 'switching-over';
    s.global.failover = { status: 'switching-over', fromArn: s.global.members[0].clusterArn, toArn: s.global.members[1].clusterArn, dataLossAllowed: false };
    const step = await plan(s, 'aurora.switchover', { target: 'eu-west-1' });
    assert.equal(step.noop, false);
    assert.equal(step.inProgress, true);
    assert.deepEqual(
      step.checks.filter((c) => !c.passed),
      [],
    );
  });
  test('a switchover toward another member under way: refused', async () => {
    const s = new FakeState();
    s.global.status = 'switching-over';
    s.global.failover = { status: 'pending', toArn: s.global.members[2].clusterArn, dataLossAllowed: false };
    const step = await plan(s, 'aurora.switchover', { target: 'eu-west-1' });
    assert.equal(step.inProgress, undefined);
    assert.equal(check(step, 'no failover in progress').passed, false);
    assert.equal(check(step, 'global cluster available').passed, false);
  });
  test('lag above the bound fails with the value, the bound and the override; maxLagMs raises the bound', async () => {
    const s = new FakeState();
    s.lag['demo-euw1'] = 2400;
    const lag = check(await plan(s, 'aurora.switchover', { target: 'eu-west-1' }), 'target lag under bound');
    assert.equal(lag.passed, false);
    assert.equal(lag.observed, 2400);
    assert.equal(lag.bound, 1000);
    assert.equal(lag.override, '--max-lag <ms>');
    assert.match(lag.message, /eu-west-1 lag 2400 ms is above the bound 1000 ms/);
    assert.equal(check(await plan(s, 'aurora.switchover', { target: 'eu-west-1', maxLagMs: 5000 }), 'target lag under bound').passed, true);
  });
  test('no lag datapoint, a member out of sync, an unavailable target cluster: each fails', async () => {
    const s = new FakeState();
    s.lag['demo-euw1'] = null;
    s.global.members[2].syncStatus = 'pending-resync';
    s.clusterStatus['demo-euw1'] = 'modifying';
    const step = await plan(s, 'aurora.switchover', { target: 'eu-west-1' });
    assert.match(check(step, 'target lag under bound').message, /no replication lag reading/);
    assert.match(check(step, 'every member in sync').message, /demo-usw2 \(us-west-2\) pending-resync/);
    assert.equal(check(step, 'target DB cluster available').passed, false);
  });
  test('the observed state leaves the lag out, so a saved plan does not go stale with it', async () => {
    const s = new FakeState();
    const a = await plan(s, 'aurora.switchover', { target: 'eu-west-1' });
    s.lag['demo-euw1'] = 300;
    const b = await plan(s, 'aurora.switchover', { target: 'eu-west-1' });
    assert.deepEqual(a.observed, b.observed);
  });
});

describe('aurora.failover plan', () => {
  test('reads only in the target region and shows the lag as data at risk', async () => {
    const s = new FakeState();
    s.down.add('us-east-1');
    const step = await plan(s, 'aurora.failover', { target: 'eu-west-1' });
    assert.deepEqual(
      s.calls.filter((c) => !c.includes(' eu-west-1 ')),
      [],
    );
    assert.deepEqual(
      step.changes.map((c) => [c.from, c.to, c.risk]),
      [['us-east-1', 'eu-west-1', 'data-loss']],
    );
    assert.match(step.title, /data at risk 0\.1 s \(80 ms\)/);
    assert.equal(check(step, 'data at risk').observed, 80);
    assert.deepEqual(
      step.checks.filter((c) => !c.passed),
      [],
    );
  });
  test('no-op when the target writes; in progress when failing over to it', async () => {
    const s = new FakeState();
    s.global.members[0].isWriter = false;
    s.global.members[1].isWriter = true;
    assert.equal((await plan(s, 'aurora.failover', { target: 'eu-west-1' })).noop, true);
    const t = new FakeState();
    t.global.status = 'failing-over';
    t.global.failover = { status: 'failing-over', toArn: t.global.members[1].clusterArn, dataLossAllowed: true };
    const step = await plan(t, 'aurora.failover', { target: 'eu-west-1' });
    assert.equal(step.inProgress, true);
    assert.equal(step.noop, false);
  });
});

describe('redis.failover plan', () => {
  test('promotes a secondary: a change and passing checks, reads in the target region only', async () => {
    const s = new FakeState();
    const step = await plan(s, 'redis.failover', { target: 'eu-west-1' });
    assert.deepEqual(
      step.changes.map((c) => [c.attribute, c.from, c.to]),
      [['primary', 'us-east-1', 'eu-west-1']],
    );
    assert.deepEqual(
      step.checks.filter((c) => !c.passed),
      [],
    );
    // Route 53 is global (its calls are signed for us-east-1); the primary's region itself is never called.
    assert.deepEqual(s.calls, [
      'elasticache eu-west-1 DescribeGlobalReplicationGroups',
      'route53 us-east-1 GetHealthCheck',
      'route53 us-east-1 GetHealthCheckStatus',
      // The target's replication lag, the data at risk: its cache clusters, then their lag metric.
      'elasticache eu-west-1 DescribeReplicationGroups',
      'monitoring eu-west-1 GetMetricData',
    ]);
    const atRisk = step.checks.find((c) => c.name === 'data at risk');
    assert.equal(atRisk?.warning, true);
    assert.match(atRisk?.message ?? '', /^data at risk: 0\.2 s; /);
    assert.equal(step.changes[0].risk, 'disruptive');
  });
  test("the primary's region unhealthy, or its health unreadable: the promotion is data loss", async () => {
    const s = new FakeState();
    s.healthy['us-east-1'] = false;
    const step = await plan(s, 'redis.failover', { target: 'eu-west-1' });
    assert.equal(step.changes[0].risk, 'data-loss');
    assert.match(step.title, /primary in us-east-1 may be down/);
    assert.match(check(step, 'primary region health').message, /writes it had not replicated yet are lost/);
    const t = new FakeState();
    t.down.add('us-east-1'); // the fake's Route 53 lives there too: its health cannot be read
    const blind = await plan(t, 'redis.failover', { target: 'eu-west-1' });
    assert.equal(blind.changes[0].risk, 'data-loss');
    assert.match(check(blind, 'primary region health').message, /could not read us-east-1's health/);
  });
  test('no-op when the target is primary and available; in progress while still modifying', async () => {
    const s = new FakeState();
    s.datastore.members[0].role = 'SECONDARY';
    s.datastore.members[1].role = 'primary';
    assert.equal((await plan(s, 'redis.failover', { target: 'eu-west-1' })).noop, true);
    s.datastore.status = 'modifying';
    const step = await plan(s, 'redis.failover', { target: 'eu-west-1' });
    assert.equal(step.inProgress, true);
  });
  test('a modifying datastore does not refuse a promotion (AWS allows one anytime); a promotion of the target under way is waited for', async () => {
    const s = new FakeState();
    s.datastore.status = 'modifying';
    const step = await plan(s, 'redis.failover', { target: 'eu-west-1' });
    assert.deepEqual(
      step.checks.filter((c) => !c.passed),
      [],
    );
    assert.match(check(step, 'datastore status').message, /modifying: AWS allows a promotion while other modifications are in progress/);
    assert.equal(step.inProgress, undefined);
    assert.equal(step.changes.length, 1);
    s.replicationGroupStatus['demo-sessions-euw1'] = 'modifying';
    const resumed = await plan(s, 'redis.failover', { target: 'eu-west-1' });
    assert.equal(resumed.inProgress, true);
    assert.match(check(resumed, 'promotion under way').message, /demo-sessions-euw1 is being promoted/);
  });
});

describe('ecs.scale plan', () => {
  test('--capacity: changes to the topology figures, safe when scaling up', async () => {
    const s = new FakeState();
    const step = await plan(s, 'ecs.scale', { region: 'eu-west-1', capacity: true });
    assert.deepEqual(
      step.changes.map((c) => [c.resource, c.from, c.to, c.risk]),
      [
        ['ecs demo-euw1/api', 2, 6, 'safe'],
        ['ecs demo-euw1/worker', 1, 4, 'safe'],
      ],
    );
    assert.deepEqual(step.data.update, ['api', 'worker']);
  });
  test('scaling down is disruptive; already there and running is a no-op; still starting is in progress', async () => {
    const s = new FakeState();
    assert.equal((await plan(s, 'ecs.scale', { region: 'eu-west-1', to: 0 })).changes[0].risk, 'disruptive');
    assert.equal((await plan(s, 'ecs.scale', { region: 'eu-west-1', to: 2, services: ['api'] })).noop, true);
    s.services['eu-west-1'][0].running = 1;
    const step = await plan(s, 'ecs.scale', { region: 'eu-west-1', to: 2, services: ['api'] });
    assert.equal(step.noop, false);
    assert.equal(step.inProgress, true);
  });
  test('a missing service fails a check', async () => {
    const s = new FakeState();
    s.services['eu-west-1'] = s.services['eu-west-1'].filter((x) => x.name !== 'worker');
    const step = await plan(s, 'ecs.scale', { region: 'eu-west-1', capacity: true });
    assert.match(check(step, 'services active').message, /worker MISSING/);
  });
});

describe('gates', () => {
  // Gates are never no-ops: they are checked again when the run reaches them (steps-gates.test.ts).
  test('gate.health: a passing check when healthy, a failed one naming checkers and bound otherwise', async () => {
    const s = new FakeState();
    const ok = await plan(s, 'gate.health', { region: 'eu-west-1' });
    assert.equal(ok.noop, false);
    assert.deepEqual(ok.changes, []);
    assert.equal(ok.checks[0].passed, true);
    s.healthy['eu-west-1'] = false;
    const step = await plan(s, 'gate.health', { region: 'eu-west-1' });
    assert.equal(step.noop, false);
    assert.equal(step.checks[0].passed, false);
    assert.equal(step.checks[0].observed, '0/8');
    assert.equal(step.checks[0].bound, 'more than 18% of checkers');
  });
  test('gate.lag: bound from the topology or the step', async () => {
    const s = new FakeState();
    const ok = await plan(s, 'gate.lag', { region: 'us-west-2' });
    assert.equal(ok.noop, false);
    assert.equal(ok.checks[0].passed, true);
    const step = await plan(s, 'gate.lag', { region: 'us-west-2', maxLagMs: 100 });
    assert.equal(step.checks[0].passed, false);
    assert.match(step.checks[0].message, /120 ms is above the bound 100 ms/);
  });
});

describe('parameter validation', () => {
  const bad: [keyof typeof stepImpls, Record<string, unknown>, RegExp][] = [
    ['aurora.switchover', {}, /"target" must be a region/],
    ['aurora.switchover', { target: 'ap-south-1' }, /not in the topology \(allowed: us-east-1, eu-west-1, us-west-2\)/],
    ['aurora.switchover', { target: 'eu-west-1', maxLag: 5 }, /unknown parameter "maxLag"/],
    ['aurora.switchover', { target: 'eu-west-1', maxLagMs: -1 }, /"maxLagMs" must be a whole number/],
    ['ecs.scale', { region: 'eu-west-1' }, /exactly one of "to"/],
    ['ecs.scale', { region: 'eu-west-1', to: 3, capacity: true }, /exactly one of "to"/],
    ['ecs.scale', { region: 'eu-west-1', to: 3, services: ['web'] }, /web not in the topology/],
    ['route53.shift', {}, /exactly one of "to"/],
    ['route53.shift', { weights: { 'eu-west-1': 300 } }, /from 0 to 255/],
    ['route53.shift', { weights: { 'ap-south-1': 1 } }, /region "ap-south-1" is not in the topology/],
    ['route53.shift', { to: 'eu-west-1', steps: [10, 50] }, /"steps": the last percentage must be 100/],
    ['route53.shift', { to: 'eu-west-1', bake: 'soon' }, /"bake" must be milliseconds or a duration/],
    ['wait', {}, /"duration" is required/],
    ['approval', {}, /"message" must be a non-empty string/],
  ];
  for (const [kind, params, re] of bad) {
    test(`${kind} ${JSON.stringify(params)}`, async () => {
      const s = new FakeState();
      await assert.rejects(plan(s, kind, params), (e: unknown) => e instanceof UsageError && /step "s1"/.test(e.message) && re.test(e.message));
      assert.deepEqual(s.calls, [], 'no call before the parameters are valid');
    });
  }
});
