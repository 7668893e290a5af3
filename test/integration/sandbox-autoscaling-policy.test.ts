// The sandbox's target-tracking policies (issue 10 item 7): an idle service is scaled in toward its
// scalable target's minimum after the policy's cooldown, a count below the minimum is scaled back out,
// one above the maximum is capped; suspended scale-in holds. Read through the real SDK clients.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

// Long against the clock running at 600x (a few real ms between calls are seconds here).
const COOLDOWN_S = 1200;
const world = (w: Record<string, unknown>) => {
  w['application-autoscaling'] = {
    scalableTargets: [
      // api: an idle standby under a policy; worker: under load (not idle); usw2 api: a target with no policy.
      { region: 'eu-west-1', resourceId: 'service/demo-euw1/api', min: 2, max: 8, targetTracking: { scaleInCooldown: COOLDOWN_S } },
      { region: 'eu-west-1', resourceId: 'service/demo-euw1/worker', min: 1, max: 3, targetTracking: { idle: false, scaleInCooldown: COOLDOWN_S } },
      { region: 'us-west-2', resourceId: 'service/demo-usw2/api', min: 2, max: 8 },
    ],
  };
};

describe('target-tracking policies in the sandbox', () => {
  let sb: SandboxHandle;
  let ecs: ECSClient;
  let west: ECSClient;
  let scaling: ApplicationAutoScalingClient;
  before(async () => {
    sb = await withSandbox({ worldOverrides: world });
    ecs = new ECSClient(sdkConfig(sb.endpoint, 'eu-west-1', 1));
    west = new ECSClient(sdkConfig(sb.endpoint, 'us-west-2', 1));
    scaling = new ApplicationAutoScalingClient(sdkConfig(sb.endpoint, 'eu-west-1', 1));
  });
  after(async () => {
    for (const c of [ecs, west, scaling]) c.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  const desired = async (client: ECSClient, cluster: string, service: string) =>
    (await client.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0]?.desiredCount;
  const setCount = (client: ECSClient, cluster: string, service: string, n: number) =>
    client.send(new UpdateServiceCommand({ cluster, service, desiredCount: n }));
  const advance = (s: number) => sb.control.advance(s * 1000);

  test('an idle service set above its minimum is scaled back in to it once the cooldown has passed, not before', async () => {
    await setCount(ecs, 'demo-euw1', 'api', 6);
    await advance(COOLDOWN_S / 2);
    assert.equal(await desired(ecs, 'demo-euw1', 'api'), 6, 'held during the cooldown');
    await advance(COOLDOWN_S / 2 + 1);
    assert.equal(await desired(ecs, 'demo-euw1', 'api'), 2, 'scaled in to MinCapacity');
    // The tasks stop too: running follows the new desired count.
    await advance(60);
    const [svc] = (await ecs.send(new DescribeServicesCommand({ cluster: 'demo-euw1', services: ['api'] }))).services ?? [];
    assert.deepEqual([svc.desiredCount, svc.runningCount], [2, 2]);
  });

  test('a count below the minimum is scaled back out; above the maximum (not idle) is capped; inside it holds', async () => {
    await setCount(ecs, 'demo-euw1', 'api', 0);
    await setCount(ecs, 'demo-euw1', 'worker', 5);
    await advance(COOLDOWN_S + 1);
    assert.equal(await desired(ecs, 'demo-euw1', 'api'), 2);
    assert.equal(await desired(ecs, 'demo-euw1', 'worker'), 3);
    await setCount(ecs, 'demo-euw1', 'worker', 2);
    await advance(COOLDOWN_S * 3);
    assert.equal(await desired(ecs, 'demo-euw1', 'worker'), 2, 'a loaded service inside its range keeps its count');
  });

  test('raising MinCapacity to the new count holds it; suspended scale-in holds it too; no policy, no scaling', async () => {
    await scaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/demo-euw1/api',
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 6,
      }),
    );
    await advance(COOLDOWN_S * 3);
    assert.equal(await desired(ecs, 'demo-euw1', 'api'), 6);

    await scaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/demo-euw1/api',
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 2,
        SuspendedState: { DynamicScalingInSuspended: true },
      }),
    );
    await advance(COOLDOWN_S * 3);
    assert.equal(await desired(ecs, 'demo-euw1', 'api'), 6, 'scale-in suspended');

    await setCount(west, 'demo-usw2', 'api', 0);
    await advance(COOLDOWN_S * 3);
    assert.equal(await desired(west, 'demo-usw2', 'api'), 0, 'a scalable target without a policy scales nothing');
  });

  test('the snapshot is brought up to the clock as well (the state file holds what happened)', async () => {
    await setCount(ecs, 'demo-euw1', 'api', 6);
    await advance(COOLDOWN_S + 1);
    const ecsState = sb.control.snapshot().services.ecs as { clusters: { name: string; services: { name: string; desired: number }[] }[] };
    const api = ecsState.clusters.find((c) => c.name === 'demo-euw1')?.services.find((s) => s.name === 'api');
    assert.equal(api?.desired, 2);
  });
});
