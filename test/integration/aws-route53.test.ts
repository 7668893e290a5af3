// The Route 53 adapter through the real SDK client, over HTTP, against the sandbox's demo world.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { createAws } from '../../src/aws/factory.js';
import { isAwsCallError } from '../../src/aws/errors.js';
import type { Aws, RecordSet } from '../../src/aws/types.js';
import { recordingSink } from '../helpers/fake-aws.js';

const ZONE = 'Z0MRDEMO0000001';
const HC_USE1 = '6d0b1a8e-0000-4000-8000-00000000e001';
const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };

const listCalls = (sb: SandboxHandle) => sb.control.calls().filter((c) => c.operation === 'ListResourceRecordSets').length;
const bySetId = (records: RecordSet[]) => new Map(records.map((r) => [r.setIdentifier ?? '', r]));

describe('route53 adapter against the sandbox', () => {
  let sb: SandboxHandle;
  let aws: Aws;

  before(async () => {
    // Time scale 1: time moves only by advance(), so PENDING is seen however busy the machine is.
    sb = await startSandbox({ timeScale: 1, port: 0 });
    aws = createAws({ endpointUrl: sb.endpoint, credentials, userAgentSuffix: 'mr/0.1.0 run/test' });
  });
  after(async () => {
    aws.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('getHostedZone returns the bare id and the zone name', async () => {
    const zone = await aws.route53().getHostedZone(ZONE);
    assert.equal(zone.id, ZONE);
    assert.equal(zone.name, 'demo.example.com.');
    assert.equal(zone.recordCount !== undefined && zone.recordCount >= 11, true);
  });

  test('readRecords returns a weighted group with every field, in one call', async () => {
    const records = await aws.route53().readRecords(ZONE, 'api.demo.example.com', 'A');
    records.sort((a, b) => (a.setIdentifier ?? '').localeCompare(b.setIdentifier ?? ''));
    assert.deepEqual(records, [
      {
        name: 'api.demo.example.com.',
        type: 'A',
        setIdentifier: 'euw1',
        weight: 0,
        ttl: 60,
        values: ['198.51.100.10'],
        healthCheckId: '6d0b1a8e-0000-4000-8000-00000000e002',
      },
      { name: 'api.demo.example.com.', type: 'A', setIdentifier: 'use1', weight: 100, ttl: 60, values: ['192.0.2.10'], healthCheckId: HC_USE1 },
      {
        name: 'api.demo.example.com.',
        type: 'A',
        setIdentifier: 'usw2',
        weight: 0,
        ttl: 60,
        values: ['203.0.113.10'],
        healthCheckId: '6d0b1a8e-0000-4000-8000-00000000e003',
      },
    ]);
    assert.equal(listCalls(sb), 1);
  });

  test('readRecords reads failover, latency and simple records, and nothing for absent name/type', async () => {
    const r53 = aws.route53();
    const db = await r53.readRecords(ZONE, 'db.demo.example.com.', 'CNAME');
    assert.deepEqual(
      db.map((r) => [r.setIdentifier, r.failover]),
      [
        ['db-primary', 'PRIMARY'],
        ['db-secondary', 'SECONDARY'],
      ],
    );
    const edge = await r53.readRecords(ZONE, 'edge.demo.example.com.', 'A');
    assert.deepEqual(edge.map((r) => r.region).sort(), ['eu-west-1', 'us-east-1']);
    const www = await r53.readRecords(ZONE, 'WWW.demo.example.com.', 'a');
    assert.deepEqual(www, [{ name: 'www.demo.example.com.', type: 'A', ttl: 300, values: ['192.0.2.30'] }]);
    assert.deepEqual(await r53.readRecords(ZONE, 'app.demo.example.com.', 'A'), []);
    assert.deepEqual(await r53.readRecords(ZONE, 'nothing.demo.example.com.', 'A'), []);
    assert.equal(listCalls(sb), 5);
  });

  test('UPSERT of one changed field rewrites the record unchanged otherwise; the change goes INSYNC', async () => {
    const r53 = aws.route53();
    const before = bySetId(await r53.readRecords(ZONE, 'api.demo.example.com.', 'A'));
    const euw1 = before.get('euw1')!;
    const change = await aws
      .mutating(recordingSink())
      .route53()
      .changeRecords(ZONE, [{ action: 'UPSERT', record: { ...euw1, weight: 50 } }], 'mr test');
    assert.equal(change.status, 'PENDING');
    assert.match(change.changeId, /^[A-Z0-9]+$/);
    assert.ok(change.requestId);
    const afterRecords = bySetId(await r53.readRecords(ZONE, 'api.demo.example.com.', 'A'));
    assert.deepEqual(afterRecords.get('euw1'), { ...euw1, weight: 50 });
    assert.deepEqual(afterRecords.get('use1'), before.get('use1'));
    assert.deepEqual(afterRecords.get('usw2'), before.get('usw2'));
    assert.equal((await r53.getChange(change.changeId)).status, 'PENDING');
    sb.control.advance(5 * 60_000);
    const settled = await r53.getChange(change.changeId);
    assert.equal(settled.status, 'INSYNC');
    assert.equal(settled.changeId, change.changeId);
  });

  test('alias and multivalue records survive a read, change, UPSERT, read cycle', async () => {
    const r53 = aws.route53();
    const alias: RecordSet = {
      name: 'lb.demo.example.com.',
      type: 'A',
      setIdentifier: 'lb-use1',
      weight: 10,
      aliasTarget: { hostedZoneId: 'Z35SXDOTRQ7X7K', dnsName: 'lb-use1.us-east-1.elb.amazonaws.com.', evaluateTargetHealth: true },
      healthCheckId: HC_USE1,
    };
    const multi: RecordSet = {
      name: 'mv.demo.example.com.',
      type: 'A',
      setIdentifier: 'mv1',
      ttl: 30,
      values: ['192.0.2.40'],
      healthCheckId: HC_USE1,
      extra: { MultiValueAnswer: true },
    };
    await aws
      .mutating(recordingSink())
      .route53()
      .changeRecords(ZONE, [
        { action: 'CREATE', record: alias },
        { action: 'CREATE', record: multi },
      ]);
    const [readAlias] = await r53.readRecords(ZONE, alias.name, 'A');
    const [readMulti] = await r53.readRecords(ZONE, multi.name, 'A');
    assert.deepEqual(readAlias, alias);
    assert.deepEqual(readMulti, multi);
    await aws
      .mutating(recordingSink())
      .route53()
      .changeRecords(ZONE, [
        { action: 'UPSERT', record: { ...readAlias, weight: 0 } },
        { action: 'UPSERT', record: { ...readMulti, ttl: 120 } },
      ]);
    assert.deepEqual(await r53.readRecords(ZONE, alias.name, 'A'), [{ ...alias, weight: 0 }]);
    assert.deepEqual(await r53.readRecords(ZONE, multi.name, 'A'), [{ ...multi, ttl: 120 }]);
  });

  test('an invalid change batch is an AwsCallError with the Route 53 code and request id', async () => {
    const r53 = aws.route53();
    const [www] = await r53.readRecords(ZONE, 'www.demo.example.com.', 'A');
    await assert.rejects(
      aws
        .mutating(recordingSink())
        .route53()
        .changeRecords(ZONE, [{ action: 'CREATE', record: www }]),
      (e: unknown) => {
        assert.ok(isAwsCallError(e));
        assert.equal(e.code, 'InvalidChangeBatch');
        assert.equal(e.details.httpStatus, 400);
        assert.ok(e.details.requestId);
        assert.equal(e.details.unreachable, false);
        return true;
      },
    );
  });

  test('health check config, status and last failure reason follow the watched region', async () => {
    const r53 = aws.route53();
    const hc = await r53.getHealthCheck(HC_USE1);
    assert.equal(hc.id, HC_USE1);
    assert.ok(hc.version >= 1);
    assert.equal(hc.config.type, 'HTTPS');
    assert.equal(hc.config.fqdn, 'api-use1.demo.example.com');
    assert.equal(hc.config.port, 443);
    assert.equal(hc.config.resourcePath, '/health');
    assert.equal(hc.config.requestInterval, 10);
    assert.equal(hc.config.failureThreshold, 3);
    assert.equal(hc.config.inverted, false);
    assert.equal(hc.config.disabled, false);
    const healthy = await r53.getHealthCheckStatus(HC_USE1);
    assert.ok(healthy.length > 0);
    assert.ok(healthy.every((o) => o.healthy && o.checkerRegion !== '' && o.checkedTime !== undefined));

    sb.control.setFaults({ unhealthyApps: ['us-east-1'] });
    sb.control.advance(5 * 60_000);
    const failing = await r53.getHealthCheckStatus(HC_USE1);
    // Route 53 calls a check unhealthy when at most 18% of its checkers report success; some may still do.
    const healthyShare = failing.filter((o) => o.healthy).length / failing.length;
    assert.ok(failing.length > 0 && healthyShare <= 0.18, `healthy share ${healthyShare}`);
    assert.ok(failing.every((o) => o.healthy === o.status.startsWith('Success')));
    const reasons = await r53.getHealthCheckLastFailureReason(HC_USE1);
    assert.ok(reasons.length > 0);
    assert.ok(reasons.every((o) => !o.healthy && o.status !== ''));
  });

  test('an unknown health check is NoSuchHealthCheck (404)', async () => {
    await assert.rejects(aws.route53().getHealthCheck('00000000-0000-4000-8000-000000000000'), (e: unknown) => {
      assert.ok(isAwsCallError(e));
      assert.equal(e.code, 'NoSuchHealthCheck');
      assert.equal(e.details.httpStatus, 404);
      return true;
    });
  });

  test('Route 53 throttling surfaces as throttled when retries are spent', async () => {
    const once = createAws({ endpointUrl: sb.endpoint, credentials, maxAttempts: 1 });
    try {
      // One request per 1000 s: the first call passes, the second is throttled.
      sb.control.setFaults({ route53RateLimit: 0.001 });
      await once.route53().getHostedZone(ZONE);
      await assert.rejects(once.route53().getHostedZone(ZONE), (e: unknown) => {
        assert.ok(isAwsCallError(e));
        assert.equal(e.code, 'Throttling');
        assert.equal(e.details.throttled, true);
        assert.equal(e.details.unreachable, false);
        return true;
      });
    } finally {
      once.destroy();
    }
  });

  test('the control plane being down is unreachable, after the configured attempts', async () => {
    sb.control.setFaults({ route53ControlPlaneDown: true });
    await assert.rejects(aws.route53().readRecords(ZONE, 'api.demo.example.com.', 'A'), (e: unknown) => {
      assert.ok(isAwsCallError(e));
      assert.equal(e.code, 'ECONNRESET');
      assert.equal(e.details.unreachable, true);
      assert.equal(e.region, 'us-east-1');
      assert.equal(e.details.attempts, 3);
      return true;
    });
    assert.equal(listCalls(sb), 3);
  });
});

describe('readRecords call count does not grow with the zone', () => {
  async function countFor(fillerRecords: number, name: string): Promise<{ calls: number; records: number }> {
    const sb = await startSandbox({
      timeScale: 600,
      port: 0,
      worldOverrides: (w) => {
        w.route53!.zones[0].fillerRecords = fillerRecords;
      },
    });
    const aws = createAws({ endpointUrl: sb.endpoint, credentials });
    try {
      const zone = await aws.route53().getHostedZone(ZONE);
      assert.ok(zone.recordCount !== undefined && zone.recordCount >= fillerRecords);
      const records = await aws.route53().readRecords(ZONE, name, 'A');
      return { calls: listCalls(sb), records: records.length };
    } finally {
      aws.destroy();
      await sb.stop();
    }
  }

  test('10 and 5,000 filler records: the same single call, before and after the fillers', async () => {
    const small = await countFor(10, 'api.demo.example.com.');
    const large = await countFor(5000, 'api.demo.example.com.');
    assert.deepEqual(small, { calls: 1, records: 3 });
    assert.deepEqual(large, small);
    // www sorts after filler-NNNNN: starting at the name skips them all.
    const wwwSmall = await countFor(10, 'www.demo.example.com.');
    const wwwLarge = await countFor(5000, 'www.demo.example.com.');
    assert.deepEqual(wwwSmall, { calls: 1, records: 1 });
    assert.deepEqual(wwwLarge, wwwSmall);
  });
});
