// The sandbox core over HTTP: routing by SigV4 scope, errors for what no module owns, and faults
// (region outage, Route 53 control plane, latency, injected errors, throttling).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteHostedZoneCommand, GetHostedZoneCommand, ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { rawRequest, sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const ZONE = 'Z0MRDEMO0000001';

type SdkError = Error & { $fault?: string; $metadata?: { httpStatusCode?: number; attempts?: number }; code?: string };

describe('sandbox core', () => {
  let sb: SandboxHandle;
  let r53: Route53Client;
  const sts = (region: string) => new STSClient(sdkConfig(sb.endpoint, region, 1));

  before(async () => {
    sb = await withSandbox({ timeScale: 1 });
    r53 = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1', 1));
  });
  after(async () => {
    r53.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('requests without usable SigV4 credentials get AWS-style 403 errors, not a crash', async () => {
    const none = await fetch(`${sb.endpoint}/2013-04-01/hostedzone`);
    assert.equal(none.status, 403);
    const id = none.headers.get('x-amzn-requestid');
    assert.match(id ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(
      await none.text(),
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code><Message>Missing Authentication Token</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
    );
    const broken = await fetch(`${sb.endpoint}/`, { method: 'POST', headers: { authorization: 'AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00' } });
    assert.equal(broken.status, 403);
    assert.match(await broken.text(), /<Code>IncompleteSignature<\/Code>/);
    const json = await fetch(`${sb.endpoint}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListServices', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    assert.equal(json.status, 403);
    assert.deepEqual(await json.json(), { __type: 'MissingAuthenticationToken', message: 'Missing Authentication Token' });
    const unknown = await rawRequest(sb.endpoint, { service: 'dynamodb', region: 'us-east-1', method: 'POST' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /<Code>UnknownService<\/Code><Message>The sandbox does not simulate service dynamodb \(/);
    assert.equal(sb.control.calls().length, 0);
  });

  test("operations a module does not implement get the protocol's error, and the sandbox keeps serving", async () => {
    await assert.rejects(
      r53.send(new DeleteHostedZoneCommand({ Id: ZONE })),
      (e: SdkError) => e.name === 'UnknownOperationException' && e.$metadata?.httpStatusCode === 404,
    );
    const query = await rawRequest(sb.endpoint, {
      service: 'sts',
      region: 'us-east-1',
      method: 'POST',
      body: 'Action=AssumeRole&Version=2011-06-15',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(query.status, 400);
    assert.match(await query.text(), /<Code>InvalidAction<\/Code>/);
    const json = await rawRequest(sb.endpoint, {
      service: 'ecs',
      region: 'us-east-1',
      method: 'POST',
      body: '{}',
      headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.Bogus', 'content-type': 'application/x-amz-json-1.1' },
    });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as { __type: string }).__type.split('#').pop(), 'UnknownOperationException');
    assert.equal((await r53.send(new ListHostedZonesCommand({}))).HostedZones?.length, 1);
    assert.deepEqual(
      sb.control.calls().map((c) => [c.service, c.operation, c.status]),
      [
        ['route53', 'Unknown', 404],
        ['sts', 'AssumeRole', 400],
        ['ecs', 'Bogus', 400],
        ['route53', 'ListHostedZones', 200],
      ],
    );
  });

  test('a region outage resets connections scoped to that region only; Route 53 has its own failure domain', async () => {
    sb.control.setFaults({ regionsDown: ['eu-west-1'] });
    const euw1 = sts('eu-west-1');
    const use1 = sts('us-east-1');
    try {
      await assert.rejects(euw1.send(new GetCallerIdentityCommand({})), (e: SdkError) => /ECONNRESET|socket hang up/i.test(`${e.code ?? ''} ${e.message}`));
      assert.equal((await use1.send(new GetCallerIdentityCommand({}))).Account, '123456789012');
      await assert.rejects(
        rawRequest(sb.endpoint, { service: 'rds', region: 'eu-west-1', method: 'POST', body: 'Action=DescribeGlobalClusters&Version=2014-10-31' }),
        TypeError,
      );

      // us-east-1 down does not take Route 53 down (its scope is us-east-1, but it is global)...
      sb.control.setFaults({ regionsDown: ['us-east-1'] });
      assert.equal((await r53.send(new ListHostedZonesCommand({}))).HostedZones?.length, 1);
      // ...its control plane fault does.
      sb.control.setFaults({ regionsDown: [], route53ControlPlaneDown: true });
      await assert.rejects(r53.send(new ListHostedZonesCommand({})), (e: SdkError) => /ECONNRESET|socket hang up/i.test(`${e.code ?? ''} ${e.message}`));
      assert.equal((await use1.send(new GetCallerIdentityCommand({}))).Account, '123456789012');
    } finally {
      euw1.destroy();
      use1.destroy();
    }
    const log = sb.control.calls().map((c) => [c.service, c.region, c.status]);
    assert.deepEqual(log, [
      ['sts', 'eu-west-1', 0],
      ['sts', 'us-east-1', 200],
      ['rds', 'eu-west-1', 0],
      ['route53', 'us-east-1', 200],
      ['route53', 'us-east-1', 0],
      ['sts', 'us-east-1', 200],
    ]);
    const faults = sb.control.faults();
    assert.equal(typeof faults.since.route53ControlPlaneDown, 'number');
    assert.deepEqual(faults.regionsDown, []);
    assert.equal(faults.history['eu-west-1']?.length, 1);
  });

  test('latency: per call and per operation, added in real time (a slower call finishes later)', async () => {
    sb.control.setFaults({ latencyMs: 100, latency: { GetHostedZone: 250 } });
    const order: string[] = [];
    const slow = r53.send(new GetHostedZoneCommand({ Id: ZONE })).then(() => order.push('GetHostedZone'));
    const fast = r53.send(new ListHostedZonesCommand({})).then(() => order.push('ListHostedZones'));
    // The control endpoint has no latency: it answers before either.
    const control = fetch(`${sb.endpoint}/_sandbox/now`).then(() => order.push('control'));
    await Promise.all([slow, fast, control]);
    assert.deepEqual(order, ['control', 'ListHostedZones', 'GetHostedZone']);
  });

  test('injected errors: the next `count` calls of that operation fail with that error, rendered in the protocol', async () => {
    sb.control.setFaults({
      errors: [
        { service: 'route53', operation: 'GetHostedZone', code: 'InvalidInput', message: 'injected twice', status: 400, count: 2 },
        { service: 'route53', operation: 'ListHostedZones', code: 'ServiceUnavailable', message: 'injected outage', status: 503, count: 1 },
        { service: 'sts', operation: 'GetCallerIdentity', code: 'SandboxInjected', message: 'from the test', status: 400, count: 1 },
      ],
    });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(
        r53.send(new GetHostedZoneCommand({ Id: ZONE })),
        (e: SdkError) => e.name === 'InvalidInput' && e.message === 'injected twice' && e.$fault === 'client',
      );
    }
    assert.equal((await r53.send(new GetHostedZoneCommand({ Id: ZONE }))).HostedZone?.Name, 'demo.example.com.');
    await assert.rejects(
      r53.send(new ListHostedZonesCommand({})),
      (e: SdkError) => e.name === 'ServiceUnavailable' && e.$fault === 'server' && e.$metadata?.httpStatusCode === 503,
    );
    const client = sts('eu-west-1');
    try {
      await assert.rejects(client.send(new GetCallerIdentityCommand({})), (e: SdkError) => e.name === 'SandboxInjected' && e.message === 'from the test');
      assert.equal((await client.send(new GetCallerIdentityCommand({}))).Account, '123456789012');
    } finally {
      client.destroy();
    }
    assert.deepEqual(sb.control.faults().errors, []);
    assert.deepEqual(
      sb.control.calls().map((c) => [c.operation, c.status, c.error]),
      [
        ['GetHostedZone', 400, 'InvalidInput'],
        ['GetHostedZone', 400, 'InvalidInput'],
        ['GetHostedZone', 200, undefined],
        ['ListHostedZones', 503, 'ServiceUnavailable'],
        ['GetCallerIdentity', 400, 'SandboxInjected'],
        ['GetCallerIdentity', 200, undefined],
      ],
    );
  });

  test('Route 53 rate limit: a burst is throttled (400 Throttling), the SDK retries, every call still succeeds', async () => {
    // 20 a second refills fast, so the SDK's throttling backoff (up to 1 s, then 2 s: a 1,000 ms base) rarely needs a
    // third try; 40 at once overflow the bucket even when a loaded machine sends them slowly.
    sb.control.setFaults({ route53RateLimit: 20 });
    const client = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1', 10));
    try {
      const results = await Promise.all(Array.from({ length: 40 }, () => client.send(new ListHostedZonesCommand({}))));
      assert.equal(results.length, 40);
      assert.ok(results.every((r) => r.HostedZones?.length === 1));
      assert.ok(
        results.some((r) => (r.$metadata.attempts ?? 1) > 1),
        'some calls needed a retry',
      );
    } finally {
      client.destroy();
    }
    const calls = sb.control.calls();
    assert.ok(calls.every((c) => c.operation === 'ListHostedZones'));
    const throttled = calls.filter((c) => c.throttled);
    assert.ok(throttled.length >= 1, 'some calls were throttled');
    assert.ok(throttled.every((c) => c.status === 400 && c.error === 'Throttling'));
    assert.equal(calls.filter((c) => c.status === 200).length, 40);
    assert.equal(calls.length, 40 + throttled.length);
    // The first twenty fit the bucket; the log ends with a success (the last retry).
    assert.ok(calls.slice(0, 20).every((c) => c.status === 200));
    assert.equal(calls[calls.length - 1]!.status, 200);
    const firstThrottle = calls.findIndex((c) => c.throttled);
    assert.ok(
      calls.slice(firstThrottle).some((c) => c.status === 200),
      'a success follows the throttling',
    );

    // On the wire: HTTP 400, an ErrorResponse with Code Throttling and Message "Rate exceeded".
    sb.control.setFaults({ route53RateLimit: 1 });
    const raw = await Promise.all(
      [1, 2, 3, 4, 5].map(() => rawRequest(sb.endpoint, { service: 'route53', region: 'us-east-1', path: '/2013-04-01/hostedzone' })),
    );
    const rejected = raw.filter((r) => r.status === 400);
    assert.ok(rejected.length >= 1);
    assert.match(await rejected[0]!.text(), /<Error><Type>Sender<\/Type><Code>Throttling<\/Code><Message>Rate exceeded<\/Message><\/Error><RequestId>/);
  });
});
