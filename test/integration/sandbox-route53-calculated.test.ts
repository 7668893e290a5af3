// The sandbox's CALCULATED health checks, through the real SDK client over HTTP (latency world): the
// parent follows its children (HealthThreshold, Inverted and Disabled on parent and children), and its
// status shows where AWS shows it, in the answers of the records it governs; GetHealthCheckStatus
// refuses it as AWS documents. Create/Get/List/Update round trips on the wire.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  paginateListHealthChecks,
  Route53Client,
  TestDNSAnswerCommand,
  UpdateHealthCheckCommand,
  type HealthCheck,
  type UpdateHealthCheckCommandInput,
} from '@aws-sdk/client-route-53';
import { distRoot } from '../helpers/paths.js';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const WORLD = join(distRoot, 'src/sandbox/worlds/latency/world.yaml');
const ZONE = 'Z0MRLATENCY00001';
const APP = '7a7e0000-0000-4000-8000-0000000a0001';
const CONTROL = '7a7e0000-0000-4000-8000-0000000b0001';
const PARENT = '7a7e0000-0000-4000-8000-0000000c0001';
const USE1_IP = '192.0.2.10';

describe('sandbox Route 53: calculated health checks', () => {
  let sb: SandboxHandle;
  let r53: Route53Client;
  /** Whether us-east-1 is in DNS for a client next to it: the parent's verdict as Route 53 routes by it. */
  const use1InDns = async () => {
    const out = await r53.send(
      new TestDNSAnswerCommand({ HostedZoneId: ZONE, RecordName: 'api.latency.example.com', RecordType: 'A', EDNS0ClientSubnetIP: '192.0.2.1' }),
    );
    return out.RecordData?.[0] === USE1_IP;
  };
  const update = (input: Omit<UpdateHealthCheckCommandInput, 'HealthCheckId'> & { HealthCheckId?: string }) =>
    r53.send(new UpdateHealthCheckCommand({ HealthCheckId: PARENT, ...input }));
  const errorOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return `${(e as Error).name} ${(e as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode}`;
    }
    return 'no error';
  };

  before(async () => {
    sb = await withSandbox({ world: WORLD, timeScale: 1 });
    r53 = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1', 1));
  });
  after(async () => {
    r53.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('GetHealthCheck and ListHealthChecks show the calculated shape; GetHealthCheckStatus refuses it, not its children', async () => {
    const hc = (await r53.send(new GetHealthCheckCommand({ HealthCheckId: PARENT }))).HealthCheck!;
    assert.deepEqual(hc.HealthCheckConfig, { Type: 'CALCULATED', Inverted: false, Disabled: false, HealthThreshold: 2, ChildHealthChecks: [APP, CONTROL] });
    assert.equal(hc.HealthCheckVersion, 1);
    const all: HealthCheck[] = [];
    for await (const page of paginateListHealthChecks({ client: r53, pageSize: 4 }, {})) all.push(...(page.HealthChecks ?? []));
    assert.equal(all.length, 9);
    assert.deepEqual(
      all.filter((h) => h.HealthCheckConfig?.Type === 'CALCULATED').map((h) => h.HealthCheckConfig!.ChildHealthChecks!.length),
      [2, 2, 2],
    );
    assert.equal(await errorOf(r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: PARENT }))), 'InvalidInput 400');
    const control = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: CONTROL }));
    assert.equal(
      control.HealthCheckObservations?.filter((o) => o.StatusReport?.Status?.startsWith('Success')).length,
      8,
      "a control check's endpoint always answers",
    );
  });

  test('threshold 2 of 2: an inverted control child takes the region out; its raw observations stay all Success', async () => {
    assert.equal(await use1InDns(), true);
    await update({ HealthCheckId: CONTROL, Inverted: true });
    assert.equal(await use1InDns(), false);
    const obs = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: CONTROL }));
    assert.ok(obs.HealthCheckObservations?.every((o) => o.StatusReport?.Status?.startsWith('Success')));
  });

  test('the application child failing takes the region out after its threshold; Disabled on it counts it healthy again', async () => {
    sb.control.setFaults({ unhealthyApps: ['us-east-1'] });
    sb.control.advance(30_000);
    assert.equal(await use1InDns(), false);
    await update({ HealthCheckId: APP, Disabled: true });
    assert.equal(await use1InDns(), true, 'Route 53 considers a disabled check healthy');
  });

  test('HealthThreshold: 1 of 2 survives one failed child; 0 is always healthy; above the number of children never', async () => {
    await update({ HealthThreshold: 1 });
    await update({ HealthCheckId: CONTROL, Inverted: true });
    assert.equal(await use1InDns(), true, '1 of 2 children healthy is enough');
    sb.control.setFaults({ unhealthyApps: ['us-east-1'] });
    sb.control.advance(30_000);
    assert.equal(await use1InDns(), false, '0 of 2');
    await update({ HealthThreshold: 0 });
    assert.equal(await use1InDns(), true, 'threshold 0: always healthy');
    sb.control.reset();
    await update({ HealthThreshold: 3 });
    assert.equal(await use1InDns(), false, 'threshold 3 of 2 children: always unhealthy');
  });

  test('Inverted on the parent: healthy children drain the region, failed ones serve it', async () => {
    await update({ Inverted: true });
    assert.equal(await use1InDns(), false);
    await update({ HealthCheckId: CONTROL, Inverted: true });
    assert.equal(await use1InDns(), true, 'inverted parent over an unhealthy result');
  });

  test('UpdateHealthCheck round trip: ChildHealthChecks, HealthThreshold, Inverted, version, ResetElements', async () => {
    const one = await update({ ChildHealthChecks: [APP], HealthThreshold: 1, Inverted: false, HealthCheckVersion: 1 });
    assert.deepEqual(one.HealthCheck?.HealthCheckConfig, {
      Type: 'CALCULATED',
      Inverted: false,
      Disabled: false,
      HealthThreshold: 1,
      ChildHealthChecks: [APP],
    });
    assert.equal(one.HealthCheck?.HealthCheckVersion, 2);
    await update({ HealthCheckId: CONTROL, Inverted: true });
    assert.equal(await use1InDns(), true, 'the control check is no longer a child');
    assert.deepEqual((await r53.send(new GetHealthCheckCommand({ HealthCheckId: PARENT }))).HealthCheck?.HealthCheckConfig?.ChildHealthChecks, [APP]);
    assert.equal(await errorOf(update({ HealthThreshold: 2, HealthCheckVersion: 1 })), 'HealthCheckVersionMismatch 409');
    const reset = await update({ ResetElements: ['ChildHealthChecks'], HealthThreshold: 0 });
    assert.deepEqual(reset.HealthCheck?.HealthCheckConfig, { Type: 'CALCULATED', Inverted: false, Disabled: false, HealthThreshold: 0 });
  });

  test('bad updates are InvalidInput and change nothing: unknown child, itself as child, threshold out of range, endpoint settings', async () => {
    const before = (await r53.send(new GetHealthCheckCommand({ HealthCheckId: PARENT }))).HealthCheck;
    assert.equal(await errorOf(update({ ChildHealthChecks: [APP, '00000000-0000-4000-8000-000000000000'] })), 'InvalidInput 400');
    assert.equal(await errorOf(update({ ChildHealthChecks: [PARENT] })), 'InvalidInput 400');
    assert.equal(await errorOf(update({ HealthThreshold: 257 })), 'InvalidInput 400');
    assert.equal(await errorOf(update({ Port: 8443 })), 'InvalidInput 400');
    assert.equal(await errorOf(update({ HealthCheckId: APP, HealthThreshold: 1 })), 'InvalidInput 400');
    assert.deepEqual((await r53.send(new GetHealthCheckCommand({ HealthCheckId: PARENT }))).HealthCheck, before);
  });

  test('CreateHealthCheck CALCULATED, then a record governed by it', async () => {
    const created = await r53.send(
      new CreateHealthCheckCommand({
        CallerReference: 'www-parent',
        HealthCheckConfig: { Type: 'CALCULATED', ChildHealthChecks: [APP, CONTROL], HealthThreshold: 2 },
      }),
    );
    const id = created.HealthCheck!.Id!;
    assert.deepEqual(created.HealthCheck?.HealthCheckConfig, {
      Type: 'CALCULATED',
      Inverted: false,
      Disabled: false,
      HealthThreshold: 2,
      ChildHealthChecks: [APP, CONTROL],
    });
    assert.deepEqual((await r53.send(new GetHealthCheckCommand({ HealthCheckId: id }))).HealthCheck, created.HealthCheck);
    const rr = (setIdentifier: string, failover: 'PRIMARY' | 'SECONDARY', value: string, healthCheckId?: string) => ({
      Action: 'CREATE' as const,
      ResourceRecordSet: {
        Name: 'edge.latency.example.com.',
        Type: 'A' as const,
        SetIdentifier: setIdentifier,
        Failover: failover,
        TTL: 60,
        ResourceRecords: [{ Value: value }],
        HealthCheckId: healthCheckId,
      },
    });
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: { Changes: [rr('p', 'PRIMARY', '192.0.2.50', id), rr('s', 'SECONDARY', '198.51.100.50')] },
      }),
    );
    const edge = async () =>
      (await r53.send(new TestDNSAnswerCommand({ HostedZoneId: ZONE, RecordName: 'edge.latency.example.com', RecordType: 'A' }))).RecordData;
    assert.deepEqual(await edge(), ['192.0.2.50']);
    await update({ HealthCheckId: CONTROL, Inverted: true });
    assert.deepEqual(await edge(), ['198.51.100.50']);
    assert.equal(
      await errorOf(
        r53.send(
          new CreateHealthCheckCommand({
            CallerReference: 'bad-parent',
            HealthCheckConfig: { Type: 'CALCULATED', ChildHealthChecks: ['nope'], HealthThreshold: 1 },
          }),
        ),
      ),
      'InvalidInput 400',
    );
  });
});
