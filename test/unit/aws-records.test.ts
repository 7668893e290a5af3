// Route 53 record conversion: names, ids, and a lossless round trip for every kind of record.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { bareId, recordFromSdk, recordToSdk, sameRecordKey } from '../../src/aws/route53-records.js';
import { canonicalDnsName as canonicalName, withTrailingDot } from '../../src/util/dns-name.js';
import { observation } from '../../src/aws/route53.js';

const weighted: ResourceRecordSet = {
  Name: 'api.demo.example.com.',
  Type: 'A',
  SetIdentifier: 'use1',
  Weight: 100,
  TTL: 60,
  ResourceRecords: [{ Value: '192.0.2.10' }, { Value: '192.0.2.11' }],
  HealthCheckId: '6d0b1a8e-0000-4000-8000-00000000e001',
};

const alias: ResourceRecordSet = {
  Name: 'www.demo.example.com.',
  Type: 'A',
  SetIdentifier: 'euw1',
  Weight: 0,
  AliasTarget: { HostedZoneId: 'Z32O12XQLNTSW2', DNSName: 'lb-euw1.elb.amazonaws.com.', EvaluateTargetHealth: true },
};

const geo: ResourceRecordSet = {
  Name: '\\052.demo.example.com.',
  Type: 'CNAME',
  SetIdentifier: 'geo-eu',
  GeoLocation: { ContinentCode: 'EU' },
  TTL: 300,
  ResourceRecords: [{ Value: 'eu.demo.example.com' }],
  MultiValueAnswer: false,
  TrafficPolicyInstanceId: 'tpi-1',
};

const cidr: ResourceRecordSet = {
  Name: 'cidr.demo.example.com.',
  Type: 'AAAA',
  SetIdentifier: 'c1',
  CidrRoutingConfig: { CollectionId: 'c0ffee00-0000-4000-8000-000000000000', LocationName: 'office' },
  TTL: 30,
  ResourceRecords: [{ Value: '2001:db8::1' }],
};

const proximity: ResourceRecordSet = {
  Name: 'near.demo.example.com.',
  Type: 'A',
  SetIdentifier: 'p1',
  GeoProximityLocation: { AWSRegion: 'eu-west-1', Bias: 10 },
  TTL: 60,
  ResourceRecords: [{ Value: '198.51.100.1' }],
};

const failover: ResourceRecordSet = {
  Name: 'db.demo.example.com.',
  Type: 'CNAME',
  SetIdentifier: 'db-primary',
  Failover: 'PRIMARY',
  TTL: 60,
  ResourceRecords: [{ Value: 'demo-use1.cluster-c0ffee.us-east-1.rds.amazonaws.com' }],
};

const latency: ResourceRecordSet = {
  Name: 'edge.demo.example.com.',
  Type: 'A',
  SetIdentifier: 'edge',
  Region: 'us-east-1',
  TTL: 60,
  ResourceRecords: [{ Value: '192.0.2.20' }],
};

describe('record conversion', () => {
  for (const [label, rr] of Object.entries({ weighted, alias, geo, cidr, proximity, failover, latency })) {
    test(`round trip of a ${label} record is lossless`, () => {
      assert.deepEqual(recordToSdk(recordFromSdk(rr)), rr);
    });
  }

  test('named fields land in the domain shape, the rest in extra', () => {
    const r = recordFromSdk(geo);
    assert.equal(r.name, '\\052.demo.example.com.');
    assert.equal(r.setIdentifier, 'geo-eu');
    assert.deepEqual(r.values, ['eu.demo.example.com']);
    assert.deepEqual(r.extra, { GeoLocation: { ContinentCode: 'EU' }, MultiValueAnswer: false, TrafficPolicyInstanceId: 'tpi-1' });
    const a = recordFromSdk(alias);
    assert.deepEqual(a.aliasTarget, { hostedZoneId: 'Z32O12XQLNTSW2', dnsName: 'lb-euw1.elb.amazonaws.com.', evaluateTargetHealth: true });
    assert.equal(a.values, undefined);
    assert.equal(a.weight, 0);
    assert.equal(recordFromSdk(weighted).extra, undefined);
  });

  test('changing the weight changes only the weight', () => {
    const r = recordFromSdk(weighted);
    const out = recordToSdk({ ...r, weight: 0 });
    assert.deepEqual(out, { ...weighted, Weight: 0 });
  });

  test('a named field the caller changes wins over a stale copy in extra', () => {
    const r = { ...recordFromSdk(geo), extra: { ...recordFromSdk(geo).extra, TTL: 999 }, ttl: 60 };
    assert.equal(recordToSdk(r).TTL, 60);
  });

  test('a name without a trailing dot gets one on the way out', () => {
    assert.equal(recordToSdk({ name: 'x.example.com', type: 'A', ttl: 1, values: ['192.0.2.1'] }).Name, 'x.example.com.');
  });
});

describe('names and ids', () => {
  test('canonical names ignore case, the trailing dot and octal escapes', () => {
    assert.equal(canonicalName('API.Demo.Example.com'), 'api.demo.example.com.');
    assert.equal(canonicalName('\\052.demo.example.com.'), '*.demo.example.com.');
    assert.equal(withTrailingDot('a.b.'), 'a.b.');
    assert.ok(sameRecordKey({ Name: '\\052.demo.example.com.', Type: 'CNAME' }, '*.demo.example.com', 'cname'));
    assert.ok(!sameRecordKey({ Name: 'api.demo.example.com.', Type: 'AAAA' }, 'api.demo.example.com.', 'A'));
    assert.ok(!sameRecordKey({ Name: 'api2.demo.example.com.', Type: 'A' }, 'api.demo.example.com.', 'A'));
  });

  test('ids lose their /hostedzone/ and /change/ prefixes', () => {
    assert.equal(bareId('/hostedzone/Z0MRDEMO0000001'), 'Z0MRDEMO0000001');
    assert.equal(bareId('/change/C2682N5HXP0BZ4'), 'C2682N5HXP0BZ4');
    assert.equal(bareId('Z0MRDEMO0000001'), 'Z0MRDEMO0000001');
    assert.equal(bareId(undefined), '');
  });

  test('a health check observation is healthy when its status starts with Success', () => {
    const ok = observation({
      Region: 'us-east-1',
      IPAddress: '15.177.0.1',
      StatusReport: { Status: 'Success: HTTP Status Code 200, OK', CheckedTime: new Date('2026-01-01T00:00:00.000Z') },
    });
    assert.deepEqual(ok, {
      checkerRegion: 'us-east-1',
      ipAddress: '15.177.0.1',
      status: 'Success: HTTP Status Code 200, OK',
      checkedTime: '2026-01-01T00:00:00.000Z',
      healthy: true,
    });
    assert.equal(observation({ Region: 'eu-west-1', StatusReport: { Status: 'Failure: Connection timed out.' } }).healthy, false);
    assert.equal(observation({}).healthy, false);
  });
});
