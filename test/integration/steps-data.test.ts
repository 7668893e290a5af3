// aurora.switchover, aurora.failover, redis.failover and ecs.scale: plan, apply and verify against
// the sandbox with the real adapters, then the sandbox's state and call log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAwsCallError } from '../../src/aws/errors.js';
import { stepImpls } from '../../src/steps/index.js';
import type { PlannedStep, StepKind } from '../../src/engine/types.js';
import { harness, mutatingCalls, recorder, type Harness } from './steps-harness.js';
import { renderPlan } from '../../src/engine/render/plan.js';
import type { Style } from '../../src/io/types.js';

const plainStyle: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, cyan: (s) => s };

async function run(h: Harness, kind: StepKind, params: Record<string, unknown>) {
  const impl = stepImpls[kind];
  const step = await impl.plan('s', params, h.plan);
  assert.deepEqual(
    step.checks.filter((c) => !c.passed).map((c) => c.message),
    [],
    'every check passes',
  );
  const rec = recorder(h.plan);
  if (!step.noop && !step.inProgress) await impl.apply(step, rec.ctx);
  if (!step.noop) await impl.verify(step, rec.ctx);
  return { step, rec };
}

interface AuroraSnap {
  globalClusters: { writer: string; transition?: unknown }[];
}
interface DatastoreSnap {
  globalDatastores: { primary: string }[];
}
interface EcsSnap {
  clusters: { region: string; services: { name: string; desired: number }[] }[];
}
const snap = <T>(h: Harness, key: string) => h.sandbox.control.snapshot().services[key] as T;

describe('aurora.switchover against the sandbox', () => {
  let h: Harness;
  before(async () => (h = await harness()));
  after(() => h.stop());

  test('moves the writer, calling SwitchoverGlobalCluster in the primary region with the target ARN; a re-plan is a no-op', async () => {
    const { step, rec } = await run(h, 'aurora.switchover', { target: 'eu-west-1' });
    assert.deepEqual(
      rec.mutations.map((m) => [m.service, m.region, m.operation, m.params.TargetDbClusterIdentifier]),
      [['rds', 'us-east-1', 'SwitchoverGlobalCluster', 'arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1']],
    );
    assert.equal(step.changes[0].risk, 'disruptive');
    assert.equal(snap<AuroraSnap>(h, 'aurora').globalClusters[0].writer, 'demo-euw1');
    assert.deepEqual(mutatingCalls(h), ['rds us-east-1 SwitchoverGlobalCluster']);
    assert.match(rec.waits[0].what, /writer in eu-west-1/);
    const again = await stepImpls['aurora.switchover'].plan('s', { target: 'eu-west-1' }, h.plan);
    assert.equal(again.noop, true);
  });
});

describe('aurora.switchover already under way', () => {
  let h: Harness;
  // An hour-long switchover (6 s at 600x) keeps the operation under way while the test re-plans; the
  // test then moves the sandbox clock past its end instead of waiting.
  before(async () => (h = await harness({ worldOverrides: (w) => void (w.durations.auroraSwitchover = 3600) })));
  after(() => h.stop());

  test('plans as in progress (no new call) and verify waits for it to finish', async () => {
    const impl = stepImpls['aurora.switchover'];
    await impl.apply(await impl.plan('s', { target: 'eu-west-1' }, h.plan), recorder(h.plan).ctx);
    const second: PlannedStep = await impl.plan('s', { target: 'eu-west-1' }, h.plan);
    assert.equal(second.inProgress, true);
    assert.equal(second.noop, false);
    assert.deepEqual(
      second.checks.filter((c) => !c.passed),
      [],
    );
    h.sandbox.control.advance(3600 * 1000);
    const rec = recorder(h.plan);
    await impl.verify(second, rec.ctx);
    assert.deepEqual(rec.mutations, []);
    assert.deepEqual(mutatingCalls(h), ['rds us-east-1 SwitchoverGlobalCluster']);
    assert.equal((await impl.plan('s', { target: 'eu-west-1' }, h.plan)).noop, true);
  });
});

describe('aurora.switchover refusals', () => {
  let h: Harness;
  before(
    async () =>
      (h = await harness({
        worldOverrides: (w) =>
          void ((
            w as unknown as { aurora: { globalClusters: { members: { clusterId: string; lagMs?: number }[] }[] } }
          ).aurora.globalClusters[0].members[1].lagMs = 4000),
      })),
  );
  after(() => h.stop());

  test('a lagging target fails the lag check with value and bound; --max-lag raises it', async () => {
    const step = await stepImpls['aurora.switchover'].plan('s', { target: 'eu-west-1' }, h.plan);
    const lag = step.checks.find((c) => c.name === 'target lag under bound')!;
    assert.equal(lag.passed, false);
    assert.equal(lag.observed, 4000);
    assert.equal(lag.bound, 1000);
    const raised = await stepImpls['aurora.switchover'].plan('s', { target: 'eu-west-1', maxLagMs: 5000 }, h.plan);
    assert.equal(raised.checks.find((c) => c.name === 'target lag under bound')!.passed, true);
    assert.deepEqual(mutatingCalls(h), []);
  });

  test('an injected AWS error from the switchover surfaces as an AwsCallError and changes nothing', async () => {
    h.sandbox.control.setFaults({
      errors: [{ service: 'rds', operation: 'SwitchoverGlobalCluster', code: 'InvalidGlobalClusterStateFault', message: 'injected', status: 400, count: 1 }],
    });
    const step = await stepImpls['aurora.switchover'].plan('s', { target: 'us-west-2' }, h.plan);
    await assert.rejects(
      stepImpls['aurora.switchover'].apply(step, recorder(h.plan).ctx),
      (e: unknown) => isAwsCallError(e) && e.code === 'InvalidGlobalClusterStateFault',
    );
    assert.equal(snap<AuroraSnap>(h, 'aurora').globalClusters[0].writer, 'demo-use1');
  });
});

describe('aurora.failover with the primary region down', () => {
  let h: Harness;
  before(async () => (h = await harness()));
  after(() => h.stop());

  test('promotes the target and never calls the primary region', async () => {
    h.sandbox.control.setFaults({ regionsDown: ['us-east-1'] });
    h.sandbox.control.clearCalls();
    const { step, rec } = await run(h, 'aurora.failover', { target: 'eu-west-1' });
    assert.equal(step.changes[0].risk, 'data-loss');
    assert.match(step.title, /data at risk \d+\.\d s \(\d+ ms\)/);
    assert.deepEqual(
      rec.mutations.map((m) => [m.region, m.operation, m.params.AllowDataLoss]),
      [['eu-west-1', 'FailoverGlobalCluster', true]],
    );
    assert.equal(snap<AuroraSnap>(h, 'aurora').globalClusters[0].writer, 'demo-euw1');
    assert.deepEqual(
      h.sandbox.control
        .calls()
        .filter((c) => c.region === 'us-east-1')
        .map((c) => `${c.service} ${c.operation}`),
      [],
    );
  });
});

describe('aurora.failover: data at risk (issue 11 item 11)', () => {
  let h: Harness;
  before(
    async () =>
      (h = await harness({
        worldOverrides: (w) =>
          void ((
            w as unknown as { aurora: { globalClusters: { members: { clusterId: string; lagMs?: number }[] }[] } }
          ).aurora.globalClusters[0].members[1].lagMs = 40_000),
      })),
  );
  after(() => h.stop());

  test('shown as a warning in seconds, not a green tick', async () => {
    const step = await stepImpls['aurora.failover'].plan('s', { target: 'eu-west-1' }, h.plan);
    const risk = step.checks.find((c) => c.name === 'data at risk')!;
    assert.equal(risk.warning, true);
    assert.match(risk.message, /writes from the last 40\.0 s \(40000 ms\) before the failover may be lost/);
    assert.match(
      renderPlan(
        { version: 1, id: 'p', createdAt: '', topology: 'demo', command: 'x', stages: [{ name: 's', parallel: false, steps: [step] }], fingerprint: '' },
        { style: plainStyle, table: false },
      ),
      /check ! data at risk: /,
    );
  });
});

describe('redis.failover', () => {
  let h: Harness;
  before(async () => (h = await harness()));
  after(() => h.stop());

  test('promotes the target replication group, called in the target region; a re-plan is a no-op', async () => {
    h.sandbox.control.clearCalls();
    const { rec } = await run(h, 'redis.failover', { target: 'us-west-2' });
    assert.deepEqual(
      rec.mutations.map((m) => [m.region, m.operation, m.params.PrimaryReplicationGroupId]),
      [['us-west-2', 'FailoverGlobalReplicationGroup', 'demo-sessions-usw2']],
    );
    assert.equal(snap<DatastoreSnap>(h, 'elasticache').globalDatastores[0].primary, 'demo-sessions-usw2');
    // Route 53 (the primary's health check) is global; everything else goes to the target region.
    assert.deepEqual(
      [
        ...new Set(
          h.sandbox.control
            .calls()
            .filter((c) => c.service !== 'route53')
            .map((c) => c.region),
        ),
      ],
      ['us-west-2'],
    );
    assert.equal((await stepImpls['redis.failover'].plan('s', { target: 'us-west-2' }, h.plan)).noop, true);
  });

  test('works while the primary region is down', async () => {
    h.sandbox.control.setFaults({ regionsDown: ['us-west-2'] });
    h.sandbox.control.clearCalls();
    await run(h, 'redis.failover', { target: 'eu-west-1' });
    assert.equal(snap<DatastoreSnap>(h, 'elasticache').globalDatastores[0].primary, 'demo-sessions-euw1');
    assert.deepEqual(
      h.sandbox.control.calls().filter((c) => c.region === 'us-west-2'),
      [],
    );
  });
});

// Services without scalable targets: the desired counts alone (sandbox-autoscaling.test.ts has them with).
describe('ecs.scale', () => {
  let h: Harness;
  before(async () => (h = await harness({ worldOverrides: (w) => void delete (w as Record<string, unknown>)['application-autoscaling'] })));
  after(() => h.stop());

  test('scales to capacity, waits for running, then plans as a no-op', async () => {
    const { step, rec } = await run(h, 'ecs.scale', { region: 'eu-west-1', capacity: true });
    assert.deepEqual(
      step.changes.map((c) => [c.resource, c.from, c.to]),
      [
        ['ecs demo-euw1/api', 2, 6],
        ['ecs demo-euw1/worker', 1, 4],
      ],
    );
    assert.deepEqual(
      rec.mutations.map((m) => [m.region, m.operation, m.params.service, m.params.desiredCount]),
      [
        ['eu-west-1', 'UpdateService', 'api', 6],
        ['eu-west-1', 'UpdateService', 'worker', 4],
      ],
    );
    const euw1 = snap<EcsSnap>(h, 'ecs').clusters.find((c) => c.region === 'eu-west-1')!;
    assert.deepEqual(
      euw1.services.map((s) => [s.name, s.desired]),
      [
        ['api', 6],
        ['worker', 4],
      ],
    );
    const live = await h.aws.ecs('eu-west-1').describeServices('demo-euw1', ['api', 'worker']);
    assert.deepEqual(
      live.map((s) => [s.running, s.desired]),
      [
        [6, 6],
        [4, 4],
      ],
    );
    assert.equal((await stepImpls['ecs.scale'].plan('s', { region: 'eu-west-1', capacity: true }, h.plan)).noop, true);
  });

  test('--to one service only changes that one', async () => {
    const { rec } = await run(h, 'ecs.scale', { region: 'us-west-2', to: 0, services: ['worker'] });
    assert.deepEqual(
      rec.mutations.map((m) => [m.params.service, m.params.desiredCount]),
      [['worker', 0]],
    );
  });
});
