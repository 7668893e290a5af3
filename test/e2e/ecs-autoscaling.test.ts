// ECS pre-scaling against Application Auto Scaling (issue 10 item 7), built CLI against the demo world,
// whose services all have scalable targets with target-tracking policies (the standbys idle): the
// pre-scale's MinCapacity is what keeps the count; a count above MaxCapacity is refused unless
// --raise-max; the standby playbook puts bounds and counts back; the fence lowers a writer's minimum so
// its policy does not scale it back out.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { auditEvents, intents, openWorld, type World } from './playbook-harness.js';

// The demo world's policies scale after 300 simulated seconds; the tests jump the clock past that.
const PAST_COOLDOWN_MS = 2 * 300_000;

async function targetsAndCounts(w: World, region: string, cluster: string) {
  const scaling = w.aws.applicationAutoScaling(region);
  const services = await w.aws.ecs(region).describeServices(cluster, ['api', 'worker']);
  return {
    targets: await Promise.all(['api', 'worker'].map((n) => scaling.readEcsScalableTarget(cluster, n))),
    services: services.map((s) => ({ name: s.name, status: s.status, desired: s.desired, running: s.running, deployments: s.deployments })),
  };
}

describe('ECS pre-scaling under Application Auto Scaling', () => {
  let world: World;
  before(async () => {
    world = await openWorld();
    // us-east-1's api writes to the primary database (the demo topology names no writer).
    const topology = world.globals[world.globals.indexOf('--config') + 1];
    const text = await readFile(topology, 'utf8');
    const marked = text.replace(
      /(us-east-1:\n\s+cluster: demo-use1\n\s+services: \[)\{ name: api, capacity: 6 \}/,
      '$1{ name: api, capacity: 6, writer: true }',
    );
    assert.notEqual(marked, text, 'the demo topology has the expected ECS block');
    await writeFile(topology, marked);
  });
  after(async () => world?.close());
  beforeEach(async () => world.reset());

  test('the pre-scale raises MinCapacity, so the idle standby keeps its count past the cooldown; a count set alone decays', async () => {
    const r = await world.mr(['ecs', 'scale', 'eu-west-1', '--capacity', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    world.sandbox.control.advance(PAST_COOLDOWN_MS);
    const held = await targetsAndCounts(world, 'eu-west-1', 'demo-euw1');
    assert.deepEqual(
      held.targets.map((t) => [t?.min, t?.max]),
      [
        [6, 12],
        [4, 8],
      ],
    );
    assert.deepEqual(
      held.services.map((s) => [s.name, s.desired]),
      [
        ['api', 6],
        ['worker', 4],
      ],
    );

    // Without the raised minimum (what ecs.scale did before): the same count decays to the old minimum.
    const raw = await world.mr(['ecs', 'scale', 'us-west-2', '--capacity', '--dry-run', '--json']);
    assert.equal(raw.code, 0, raw.stderr);
    assert.match(raw.stdout, /minCapacity/, 'the plan shows the bound it moves');
    const ecsWest = world.aws.ecs('us-west-2');
    const before = (await ecsWest.describeServices('demo-usw2', ['api']))[0];
    assert.equal(before.desired, 2);
    await setDesiredDirectly(world, 'us-west-2', 'demo-usw2', 'api', 6);
    world.sandbox.control.advance(PAST_COOLDOWN_MS);
    assert.equal((await ecsWest.describeServices('demo-usw2', ['api']))[0].desired, 2, 'scaled back in to MinCapacity 2');
  });

  test('a count above MaxCapacity is refused (exit 3) naming the service, both numbers and --raise-max; with it the maximum is raised', async () => {
    await lowerMax(world, 'eu-west-1', 'demo-euw1', 'api', 4);
    const calls = world.sandbox.control.calls().filter((c) => c.mutating).length;
    const r = await world.mr(['ecs', 'scale', 'eu-west-1', '--capacity', '--yes']);
    assert.equal(r.code, 3, r.stderr);
    const line = r.stderr.split('\n').find((l) => l.includes('MaxCapacity'));
    assert.match(line ?? '', /demo-euw1\/api \(eu-west-1\): desired count 6 is above its scalable target's MaxCapacity 4; .*raiseMax: true.*--raise-max/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating).length, calls, 'nothing changed');

    const ok = await world.mr(['ecs', 'scale', 'eu-west-1', '--capacity', '--raise-max', '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    const after = await targetsAndCounts(world, 'eu-west-1', 'demo-euw1');
    assert.deepEqual(after.targets[0], { resourceId: 'service/demo-euw1/api', min: 6, max: 6 });
    assert.equal(after.services[0].desired, 6);
    const made = intents(await auditEvents(world.stateDir)).filter((i) => i.operation === 'RegisterScalableTarget');
    assert.deepEqual(
      made.map((i) => (i.params as { MinCapacity: number; MaxCapacity: number }).MaxCapacity),
      [6, 8],
    );
  });

  test('pre-scale, then the standby playbook: every scalable target and desired count exactly as before', async () => {
    const start = await targetsAndCounts(world, 'eu-west-1', 'demo-euw1');
    const up = await world.mr(['ecs', 'scale', 'eu-west-1', '--capacity', '--yes']);
    assert.equal(up.code, 0, up.stderr);
    assert.notDeepEqual(await targetsAndCounts(world, 'eu-west-1', 'demo-euw1'), start);
    const back = await world.mr(['run', 'standby', '--var', 'region=eu-west-1', '--yes']);
    assert.equal(back.code, 0, back.stderr);
    // The bounds came back before the counts (a count below the raised minimum would not hold).
    const order = intents(await auditEvents(world.stateDir))
      .filter((i) => i.step === 'scale-to-baseline')
      .map((i) => i.operation);
    assert.deepEqual(order, ['RegisterScalableTarget', 'RegisterScalableTarget', 'UpdateService', 'UpdateService']);
    world.sandbox.control.advance(PAST_COOLDOWN_MS);
    assert.deepEqual(await targetsAndCounts(world, 'eu-west-1', 'demo-euw1'), start);
    // And again: nothing to do.
    const again = await world.mr(['run', 'standby', '--var', 'region=eu-west-1', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /nothing to do/);
  });

  test("the fence lowers a writer's MinCapacity to 0 first, so it stays at 0 past the cooldown; a writer scaled alone comes back", async () => {
    const r = await world.mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr);
    const fence = intents(await auditEvents(world.stateDir)).filter((i) => i.step === 'fence-source');
    assert.deepEqual(
      fence.map((i) => `${i.operation} ${i.target} ${i.ok}`),
      ['RegisterScalableTarget scalable target service/demo-use1/api true', 'UpdateService ecs demo-use1/api true'],
    );
    assert.equal((fence[0].params as { MinCapacity: number }).MinCapacity, 0);
    world.sandbox.control.advance(PAST_COOLDOWN_MS);
    const source = await targetsAndCounts(world, 'us-east-1', 'demo-use1');
    assert.deepEqual(source.targets[0], { resourceId: 'service/demo-use1/api', min: 0, max: 12 });
    assert.equal(source.services[0].desired, 0, 'the fenced writer stays at 0');

    // What the fence did before: desired 0 alone, under MinCapacity 4, is scaled back out.
    await setDesiredDirectly(world, 'us-east-1', 'demo-use1', 'worker', 0);
    world.sandbox.control.advance(PAST_COOLDOWN_MS);
    assert.equal((await world.aws.ecs('us-east-1').describeServices('demo-use1', ['worker']))[0].desired, 4, 'scaled back out to MinCapacity');
  });
});

/** A desired count set with ECS alone, as a fence or pre-scale that ignores Application Auto Scaling would. */
async function setDesiredDirectly(w: World, region: string, cluster: string, service: string, n: number) {
  const { ECSClient, UpdateServiceCommand } = await import('@aws-sdk/client-ecs');
  const c = new ECSClient({ region, endpoint: w.sandbox.endpoint, credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' }, maxAttempts: 1 });
  try {
    await c.send(new UpdateServiceCommand({ cluster, service, desiredCount: n }));
  } finally {
    c.destroy();
  }
}

async function lowerMax(w: World, region: string, cluster: string, service: string, max: number) {
  const { ApplicationAutoScalingClient, RegisterScalableTargetCommand } = await import('@aws-sdk/client-application-auto-scaling');
  const c = new ApplicationAutoScalingClient({
    region,
    endpoint: w.sandbox.endpoint,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  try {
    await c.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: `service/${cluster}/${service}`,
        ScalableDimension: 'ecs:service:DesiredCount',
        MaxCapacity: max,
      }),
    );
  } finally {
    c.destroy();
  }
}
