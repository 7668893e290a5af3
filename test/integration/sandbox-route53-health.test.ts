// The sandbox's Route 53 health checks, through the real SDK client: status follows region and app
// faults over simulated time; update has optimistic concurrency.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateHealthCheckCommand,
  GetHealthCheckCommand,
  GetHealthCheckLastFailureReasonCommand,
  GetHealthCheckStatusCommand,
  ListHealthChecksCommand,
  paginateListHealthChecks,
  Route53Client,
  UpdateHealthCheckCommand,
  type HealthCheckObservation,
} from '@aws-sdk/client-route-53';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const HC_USE1 = '6d0b1a8e-0000-4000-8000-00000000e001';
const HC_EUW1 = '6d0b1a8e-0000-4000-8000-00000000e002';
/** failureThreshold 3 x requestInterval 10 s in the demo world. */
const THRESHOLD_MS = 30_000;

function tally(obs: HealthCheckObservation[] | undefined): { ok: number; failed: number } {
  const ok = obs?.filter((o) => o.StatusReport?.Status?.startsWith('Success')).length ?? 0;
  return { ok, failed: (obs?.length ?? 0) - ok };
}

describe('sandbox Route 53: health checks', () => {
  let sb: SandboxHandle;
  let r53: Route53Client;
  const status = async (id: string) => (await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }))).HealthCheckObservations;

  before(async () => {
    sb = await withSandbox({ timeScale: 1 });
    r53 = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1', 1));
  });
  after(async () => {
    r53.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('GetHealthCheckStatus: one observation per checker region, all Success while the watched region is well', async () => {
    const obs = await status(HC_EUW1);
    assert.deepEqual(
      obs?.map((o) => o.Region),
      ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'],
    );
    assert.ok(obs?.every((o) => o.StatusReport?.Status === 'Success: HTTP Status Code 200, OK'));
    assert.ok(obs?.every((o) => /^15\.177\./.test(o.IPAddress ?? '') && o.StatusReport?.CheckedTime instanceof Date));
    assert.ok(obs!.every((o) => o.StatusReport!.CheckedTime!.getTime() <= sb.control.now()));
    assert.deepEqual((await r53.send(new GetHealthCheckLastFailureReasonCommand({ HealthCheckId: HC_EUW1 }))).HealthCheckObservations, []);
  });

  test('a region-down fault fails its check after failureThreshold x requestInterval, with 1 of 8 checkers still succeeding', async () => {
    sb.control.setFaults({ regionsDown: ['eu-west-1'] });
    sb.control.advance(THRESHOLD_MS - 1_000);
    assert.deepEqual(tally(await status(HC_EUW1)), { ok: 8, failed: 0 });
    sb.control.advance(1_000);
    const obs = await status(HC_EUW1);
    assert.deepEqual(tally(obs), { ok: 1, failed: 7 });
    assert.match(
      obs!.find((o) => o.Region === 'eu-west-1')!.StatusReport!.Status!,
      /^Failure: Connection timed out\. The endpoint or the internet connection is down/,
    );
    // The other regions' checks are untouched.
    assert.deepEqual(tally(await status(HC_USE1)), { ok: 8, failed: 0 });

    // Recovery takes the same threshold after the fault clears; the last failure stays on record.
    sb.control.clearFaults();
    assert.deepEqual(tally(await status(HC_EUW1)), { ok: 1, failed: 7 });
    sb.control.advance(THRESHOLD_MS);
    assert.deepEqual(tally(await status(HC_EUW1)), { ok: 8, failed: 0 });
    const last = (await r53.send(new GetHealthCheckLastFailureReasonCommand({ HealthCheckId: HC_EUW1 }))).HealthCheckObservations;
    assert.equal(last?.length, 7);
    assert.ok(last?.every((o) => o.StatusReport?.Status?.startsWith('Failure: Connection timed out')));
  });

  test('an unhealthy-app fault fails the check while the region still answers; Inverted leaves the raw observations alone; Disabled is always healthy', async () => {
    sb.control.setFaults({ unhealthyApps: ['us-east-1'] });
    sb.control.advance(THRESHOLD_MS);
    assert.deepEqual(tally(await status(HC_USE1)), { ok: 1, failed: 7 });
    assert.equal((await r53.send(new GetHealthCheckCommand({ HealthCheckId: HC_USE1 }))).HealthCheck?.Id, HC_USE1);

    // The checkers report the raw result; Route 53 applies Inverted to its verdict, not to the
    // observations (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-invert.html).
    await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: HC_USE1, Inverted: true }));
    assert.deepEqual(tally(await status(HC_USE1)), { ok: 1, failed: 7 });
    await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: HC_USE1, Inverted: false, Disabled: true }));
    assert.deepEqual(tally(await status(HC_USE1)), { ok: 8, failed: 0 });
    // Inverted on a healthy endpoint: the checkers still see it answer (Route 53's verdict is unhealthy).
    await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: HC_EUW1, Inverted: true }));
    assert.deepEqual(tally(await status(HC_EUW1)), { ok: 8, failed: 0 });
  });

  test('UpdateHealthCheck increments HealthCheckVersion and refuses a stale version with 409', async () => {
    const before = (await r53.send(new GetHealthCheckCommand({ HealthCheckId: HC_EUW1 }))).HealthCheck!;
    assert.equal(before.HealthCheckVersion, 1);
    assert.deepEqual(
      { ...before.HealthCheckConfig },
      {
        Port: 443,
        Type: 'HTTPS',
        ResourcePath: '/health',
        FullyQualifiedDomainName: 'api-euw1.demo.example.com',
        RequestInterval: 10,
        FailureThreshold: 3,
        MeasureLatency: false,
        Inverted: false,
        Disabled: false,
        EnableSNI: true,
      },
    );
    const updated = await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: HC_EUW1, HealthCheckVersion: 1, Inverted: true, FailureThreshold: 5 }));
    assert.equal(updated.HealthCheck?.HealthCheckVersion, 2);
    assert.equal(updated.HealthCheck?.HealthCheckConfig?.Inverted, true);
    assert.equal(updated.HealthCheck?.HealthCheckConfig?.FailureThreshold, 5);
    await assert.rejects(
      r53.send(new UpdateHealthCheckCommand({ HealthCheckId: HC_EUW1, HealthCheckVersion: 1, Disabled: true })),
      (e: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'HealthCheckVersionMismatch');
        assert.equal(e.$metadata.httpStatusCode, 409);
        return true;
      },
    );
    const after = (await r53.send(new GetHealthCheckCommand({ HealthCheckId: HC_EUW1 }))).HealthCheck!;
    assert.equal(after.HealthCheckVersion, 2);
    assert.equal(after.HealthCheckConfig?.Disabled, false);
    const reset = await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: HC_EUW1, ResetElements: ['ResourcePath'] }));
    assert.equal(reset.HealthCheck?.HealthCheckConfig?.ResourcePath, undefined);
    assert.equal(reset.HealthCheck?.HealthCheckVersion, 3);
  });

  test('CreateHealthCheck, then ListHealthChecks pages with marker and maxitems', async () => {
    const created = await r53.send(
      new CreateHealthCheckCommand({
        CallerReference: 'new-check',
        HealthCheckConfig: {
          Type: 'HTTPS',
          FullyQualifiedDomainName: 'api.us-west-2.demo.example.com',
          Port: 443,
          ResourcePath: '/ping',
          RequestInterval: 30,
          FailureThreshold: 2,
        },
      }),
    );
    const id = created.HealthCheck!.Id!;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(created.HealthCheck?.HealthCheckVersion, 1);
    assert.equal(created.Location, `https://route53.amazonaws.com/2013-04-01/healthcheck/${id}`);
    // The same request again is idempotent; a different config under the same reference conflicts.
    const again = await r53.send(
      new CreateHealthCheckCommand({
        CallerReference: 'new-check',
        HealthCheckConfig: {
          Type: 'HTTPS',
          FullyQualifiedDomainName: 'api.us-west-2.demo.example.com',
          Port: 443,
          ResourcePath: '/ping',
          RequestInterval: 30,
          FailureThreshold: 2,
        },
      }),
    );
    assert.equal(again.HealthCheck?.Id, id);
    await assert.rejects(
      r53.send(new CreateHealthCheckCommand({ CallerReference: 'new-check', HealthCheckConfig: { Type: 'HTTP', FullyQualifiedDomainName: 'x.example.com' } })),
      { name: 'HealthCheckAlreadyExists' },
    );

    const first = await r53.send(new ListHealthChecksCommand({ MaxItems: 3 }));
    assert.equal(first.HealthChecks?.length, 3);
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextMarker, id);
    const ids: string[] = [];
    for await (const page of paginateListHealthChecks({ client: r53, pageSize: 2 }, {})) ids.push(...page.HealthChecks!.map((h) => h.Id!));
    assert.deepEqual(ids, [HC_USE1, HC_EUW1, '6d0b1a8e-0000-4000-8000-00000000e003', id]);

    // A check the world did not define watches the region its hostname names: us-west-2 here.
    sb.control.setFaults({ regionsDown: ['us-west-2'] });
    sb.control.advance(60_000);
    assert.deepEqual(tally(await status(id)), { ok: 1, failed: 7 });
  });

  test('missing health checks: NoSuchHealthCheck 404 from every operation', async () => {
    for (const send of [
      () => r53.send(new GetHealthCheckCommand({ HealthCheckId: 'nope' })),
      () => r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'nope' })),
      () => r53.send(new GetHealthCheckLastFailureReasonCommand({ HealthCheckId: 'nope' })),
      () => r53.send(new UpdateHealthCheckCommand({ HealthCheckId: 'nope', Disabled: true })),
    ]) {
      await assert.rejects(
        send(),
        (e: Error & { $metadata: { httpStatusCode?: number } }) => e.name === 'NoSuchHealthCheck' && e.$metadata.httpStatusCode === 404,
      );
    }
  });
});
