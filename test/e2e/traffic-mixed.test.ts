// mr traffic over a topology with weighted AND latency records (issue 12, item 3): the latency world
// with a weighted record group added. `traffic shift --to` moves the weights and takes every other
// region out of DNS for the latency records, in one plan; `traffic restore` brings a region back in
// both; `--weights` says which records it leaves and why.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GetHealthCheckCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { WorldFile } from '../../src/sandbox/server.js';
import { API_VALUES, NEAR, ZONE, useLatencyWorld, type LatencyEnv } from './latency-world.js';

const API = 'api.latency.example.com';
const WWW2 = 'w.latency.example.com.';
const SETS = { 'us-east-1': 'w-use1', 'eu-west-1': 'w-euw1', 'ap-southeast-1': 'w-apse1' } as const;
const CONTROL = {
  'us-east-1': '7a7e0000-0000-4000-8000-0000000b0001',
  'eu-west-1': '7a7e0000-0000-4000-8000-0000000b0002',
  'ap-southeast-1': '7a7e0000-0000-4000-8000-0000000b0003',
};

function addWeighted(w: WorldFile): void {
  const n = { 'us-east-1': 1, 'eu-west-1': 2, 'ap-southeast-1': 3 } as const;
  for (const [region, id] of Object.entries(SETS) as [keyof typeof SETS, string][])
    w.route53!.zones[0].records.push({
      name: WWW2,
      type: 'A',
      setIdentifier: id,
      weight: region === 'us-east-1' ? 100 : 0,
      ttl: 60,
      values: [API_VALUES[region]],
      healthCheckId: `7a7e0000-0000-4000-8000-0000000a000${n[region]}`,
    });
}

const addWeightedRecord = (yaml: string): string =>
  yaml.replace(
    /^( {2}records:\n)/m,
    `$1    - { kind: weighted, name: ${WWW2}, type: A, setIdentifiers: { us-east-1: w-use1, eu-west-1: w-euw1, ap-southeast-1: w-apse1 } }\n`,
  );

async function weights(e: LatencyEnv): Promise<Record<string, number | undefined>> {
  const page = await e.r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: WWW2, StartRecordType: 'A', MaxItems: 3 }));
  return Object.fromEntries((page.ResourceRecordSets ?? []).filter((r) => r.Name === WWW2).map((r) => [r.SetIdentifier!, r.Weight]));
}
const inverted = async (e: LatencyEnv, id: string) =>
  (await e.r53.send(new GetHealthCheckCommand({ HealthCheckId: id }))).HealthCheck?.HealthCheckConfig?.Inverted;

describe('mr traffic with weighted and latency records together', () => {
  let e: LatencyEnv;
  useLatencyWorld({ world: addWeighted, topology: addWeightedRecord }, (x) => (e = x));

  test('shift --to moves the weights and drains the other regions in one plan; restore brings one back in both', async () => {
    const dry = await e.mr(['traffic', 'shift', '--to', 'eu-west-1', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    const plan = JSON.parse(dry.stdout) as { stages: { steps: { id: string; kind: string; changes: { resource: string }[] }[] }[] };
    const steps = plan.stages.flatMap((s) => s.steps);
    assert.deepEqual(
      steps.map((s) => [s.id, s.kind]),
      [
        ['shift', 'route53.shift'],
        ['drain-others', 'route53.drain'],
      ],
    );
    assert.deepEqual(steps[1].changes.map((c) => c.resource).sort(), [`health check ${CONTROL['us-east-1']}`, `health check ${CONTROL['ap-southeast-1']}`]);

    const r = await e.mr(['traffic', 'shift', '--to', 'eu-west-1', '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(await weights(e), { 'w-apse1': 0, 'w-euw1': 100, 'w-use1': 0 });
    assert.deepEqual(await e.answer(WWW2, 'A'), [API_VALUES['eu-west-1']]);
    for (const near of Object.values(NEAR)) assert.deepEqual(await e.answer(API, 'A', near), [API_VALUES['eu-west-1']], `a client at ${near}`);
    assert.equal(await inverted(e, CONTROL['us-east-1']), true);
    assert.equal(await inverted(e, CONTROL['ap-southeast-1']), true);
    assert.equal(await inverted(e, CONTROL['eu-west-1']), false);

    const back = await e.mr(['traffic', 'restore', 'us-east-1', '--yes']);
    assert.equal(back.code, 0, back.stderr + back.stdout);
    assert.deepEqual(await weights(e), { 'w-apse1': 0, 'w-euw1': 100, 'w-use1': 100 });
    assert.equal(await inverted(e, CONTROL['us-east-1']), false);
    assert.deepEqual(await e.answer(API, 'A', NEAR['us-east-1']), [API_VALUES['us-east-1']], 'a client near us-east-1 gets us-east-1 again');
    assert.deepEqual(await e.answer(API, 'A', NEAR['ap-southeast-1']), [API_VALUES['eu-west-1']], 'ap-southeast-1 is still out');
  });

  test('restore of a region whose application is unhealthy is refused (exit 3) and changes nothing', async () => {
    const r = await e.mr(['traffic', 'shift', '--to', 'eu-west-1', '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    e.sb.control.setFaults({ unhealthyApps: ['us-east-1'] });
    e.sb.control.advance(60_000);
    const before = await weights(e);
    const back = await e.mr(['traffic', 'restore', 'us-east-1', '--yes']);
    assert.equal(back.code, 3, back.stderr + back.stdout);
    assert.match(back.stderr, /us-east-1 application check \S+ is not healthy: refusing to put us-east-1 back into DNS/);
    assert.deepEqual(await weights(e), before);
    assert.equal(await inverted(e, CONTROL['us-east-1']), true);
  });

  test('--weights moves weights only and names the latency records it leaves, and why', async () => {
    e.sb.control.clearCalls();
    const r = await e.mr(['traffic', 'shift', '--weights', 'us-east-1=0,eu-west-1=100', '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(
      r.stderr,
      /left as they are: api\.latency\.example\.com\. A \(latency\), app\.latency\.example\.com\. CNAME \(latency\): --weights sets weights, which these records do not have/,
    );
    assert.deepEqual(await weights(e), { 'w-apse1': 0, 'w-euw1': 100, 'w-use1': 0 });
    assert.equal(e.sb.control.calls().filter((c) => c.operation === 'UpdateHealthCheck').length, 0);
    assert.deepEqual(await e.answer(API, 'A', NEAR['us-east-1']), [API_VALUES['us-east-1']]);
  });
});
