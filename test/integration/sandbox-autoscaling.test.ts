// Application Auto Scaling in the sandbox through the real SDK client (awsJson 1.1,
// AnyScaleFrontendService), and ecs.scale moving a service's scalable-target bounds before its
// desired count (issue 10 item 7), through the real adapters and the choke point.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { ecsScale } from '../../src/steps/ecs-scale.js';
import { harness, recorder, type Harness } from './steps-harness.js';

type WorldWithTargets = Record<string, unknown>;
const targets = (w: WorldWithTargets) => {
  w['application-autoscaling'] = {
    scalableTargets: [
      { region: 'eu-west-1', resourceId: 'service/demo-euw1/api', min: 2, max: 4 },
      { region: 'eu-west-1', resourceId: 'service/demo-euw1/worker', min: 1, max: 10 },
    ],
  };
};

describe('application-autoscaling in the sandbox', () => {
  let h: Harness;
  let client: ApplicationAutoScalingClient;
  before(async () => {
    h = await harness({ port: 0, worldOverrides: (w) => targets(w as WorldWithTargets) });
    client = new ApplicationAutoScalingClient({
      region: 'eu-west-1',
      endpoint: h.sandbox.endpoint,
      credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  after(async () => {
    client.destroy();
    await h.stop();
  });
  beforeEach(() => h.sandbox.control.reset());

  test('DescribeScalableTargets returns the world file targets of the called region only', async () => {
    const out = await client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }));
    assert.deepEqual(
      out.ScalableTargets?.map((t) => [t.ResourceId, t.ScalableDimension, t.MinCapacity, t.MaxCapacity]),
      [
        ['service/demo-euw1/api', 'ecs:service:DesiredCount', 2, 4],
        ['service/demo-euw1/worker', 'ecs:service:DesiredCount', 1, 10],
      ],
    );
    assert.ok(out.ScalableTargets?.[0].CreationTime instanceof Date);
    const west = new ApplicationAutoScalingClient({
      region: 'us-west-2',
      endpoint: h.sandbox.endpoint,
      credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' },
    });
    assert.deepEqual((await west.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }))).ScalableTargets, []);
    west.destroy();
  });

  test('RegisterScalableTarget updates only what it names, keeps the desired count inside the range, refuses min > max', async () => {
    const id = { ServiceNamespace: 'ecs' as const, ResourceId: 'service/demo-euw1/api', ScalableDimension: 'ecs:service:DesiredCount' as const };
    // The world's max is 4: a min of 5 alone would be above it.
    await assert.rejects(client.send(new RegisterScalableTargetCommand({ ...id, MinCapacity: 5 })), (e: Error) => e.name === 'ValidationException');
    await client.send(new RegisterScalableTargetCommand({ ...id, MaxCapacity: 8 }));
    await client.send(new RegisterScalableTargetCommand({ ...id, MinCapacity: 5, SuspendedState: { DynamicScalingInSuspended: true } }));
    const [t] = (await client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [id.ResourceId] }))).ScalableTargets ?? [];
    assert.deepEqual(
      [t.MinCapacity, t.MaxCapacity, t.SuspendedState?.DynamicScalingInSuspended, t.SuspendedState?.DynamicScalingOutSuspended],
      [5, 8, true, false],
    );
    // AWS: an active resource's capacity is moved inside the new range (the demo api runs 2).
    const [api] = await h.aws.ecs('eu-west-1').describeServices('demo-euw1', ['api']);
    assert.equal(api.desired, 5);
    await assert.rejects(
      client.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: 'service/demo-euw1/new',
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: 1,
        }),
      ),
      (e: Error) => e.name === 'ValidationException',
    );
  });

  test('ecs.scale to capacity raises min (and max below it) first, keeps the old bounds in the plan, verify sees them', async () => {
    // The api's maximum (4) is below its capacity (6): raising it takes raiseMax (refused without it).
    const step = await ecsScale.plan('scale', { region: 'eu-west-1', capacity: true, raiseMax: true }, h.plan);
    const bounds = step.changes
      .filter((c) => c.resource.startsWith('scalable target'))
      .map((c) => `${c.resource} ${c.attribute} ${String(c.from)} -> ${String(c.to)}`);
    assert.deepEqual(bounds, [
      'scalable target service/demo-euw1/api minCapacity 2 -> 6',
      'scalable target service/demo-euw1/api maxCapacity 4 -> 6',
      'scalable target service/demo-euw1/worker minCapacity 1 -> 4',
    ]);
    const rec = recorder(h.plan);
    await ecsScale.apply(step, rec.ctx);
    await ecsScale.verify(step, rec.ctx);
    assert.deepEqual(
      rec.mutations.map((m) => `${m.service} ${m.operation} ${m.target}`),
      [
        'application-autoscaling RegisterScalableTarget scalable target service/demo-euw1/api',
        'application-autoscaling RegisterScalableTarget scalable target service/demo-euw1/worker',
        'ecs UpdateService ecs demo-euw1/api',
        'ecs UpdateService ecs demo-euw1/worker',
      ],
    );
    assert.deepEqual(rec.mutations[0].input, {
      ServiceNamespace: 'ecs',
      ResourceId: 'service/demo-euw1/api',
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 6,
      MaxCapacity: 6,
    });
    const scaling = h.aws.applicationAutoScaling('eu-west-1');
    assert.deepEqual(await scaling.readEcsScalableTarget('demo-euw1', 'api'), { resourceId: 'service/demo-euw1/api', min: 6, max: 6 });
    assert.deepEqual(await scaling.readEcsScalableTarget('demo-euw1', 'worker'), { resourceId: 'service/demo-euw1/worker', min: 4, max: 10 });
    const live = await h.aws.ecs('eu-west-1').describeServices('demo-euw1', ['api', 'worker']);
    assert.deepEqual(
      live.map((s) => [s.name, s.desired, s.running]),
      [
        ['api', 6, 6],
        ['worker', 4, 4],
      ],
    );

    // Again: already there, a no-op. Then back down to 2: the minimum comes down with it, the maximum stays.
    assert.equal((await ecsScale.plan('scale', { region: 'eu-west-1', capacity: true }, h.plan)).noop, true);
    const down = await ecsScale.plan('down', { region: 'eu-west-1', to: 2 }, h.plan);
    assert.deepEqual(
      down.changes.filter((c) => c.resource.startsWith('scalable target')).map((c) => `${c.resource} ${c.attribute} ${String(c.from)} -> ${String(c.to)}`),
      ['scalable target service/demo-euw1/api minCapacity 6 -> 2', 'scalable target service/demo-euw1/worker minCapacity 4 -> 2'],
    );
    const rec2 = recorder(h.plan);
    await ecsScale.apply(down, rec2.ctx);
    await ecsScale.verify(down, rec2.ctx);
    assert.deepEqual(await scaling.readEcsScalableTarget('demo-euw1', 'api'), { resourceId: 'service/demo-euw1/api', min: 2, max: 6 });
    assert.deepEqual(
      (await h.aws.ecs('eu-west-1').describeServices('demo-euw1', ['api'])).map((s) => s.desired),
      [2],
    );
  });

  test('a service without a scalable target is scaled as before: no RegisterScalableTarget', async () => {
    const step = await ecsScale.plan('scale', { region: 'us-west-2', capacity: true }, h.plan);
    assert.equal(
      step.changes.some((c) => c.resource.startsWith('scalable target')),
      false,
    );
    const rec = recorder(h.plan);
    await ecsScale.apply(step, rec.ctx);
    assert.deepEqual(
      rec.mutations.map((m) => m.operation),
      ['UpdateService', 'UpdateService'],
    );
  });
});
