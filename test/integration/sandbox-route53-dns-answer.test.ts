// The sandbox's TestDNSAnswer, through the real SDK client over HTTP: latency records answer the
// nearest healthy region, failover records the PRIMARY while it is healthy, weighted records by weight
// among the healthy ones (reproducibly), simple records their values; errors as AWS declares them.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  Route53Client,
  TestDNSAnswerCommand,
  UpdateHealthCheckCommand,
  type TestDNSAnswerCommandInput,
} from '@aws-sdk/client-route-53';
import { distRoot } from '../helpers/paths.js';
import { rawRequest, sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const world = (name: string) => join(distRoot, 'src/sandbox/worlds', name, 'world.yaml');

const LAT_ZONE = 'Z0MRLATENCY00001';
const LAT = { use1: '192.0.2.10', euw1: '198.51.100.10', apse1: '203.0.113.10' };
/** Clients near each region, by the sandbox's documented table (TEST-NET-1/2/3). */
const NEAR = { use1: '192.0.2.44', euw1: '198.51.100.44', apse1: '203.0.113.44' };
const CONTROL_EUW1 = '7a7e0000-0000-4000-8000-0000000b0002';
const CONTROLS = ['7a7e0000-0000-4000-8000-0000000b0001', CONTROL_EUW1, '7a7e0000-0000-4000-8000-0000000b0003'];

function client(sb: SandboxHandle): Route53Client {
  return new Route53Client(sdkConfig(sb.endpoint, 'us-east-1', 1));
}

async function ask(r53: Route53Client, input: Partial<TestDNSAnswerCommandInput> & { RecordName: string }, zone = LAT_ZONE) {
  const out = await r53.send(new TestDNSAnswerCommand({ HostedZoneId: zone, RecordType: 'A', ...input }));
  return out;
}

async function invert(r53: Route53Client, id: string, inverted = true): Promise<void> {
  await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Inverted: inverted }));
}

describe('sandbox Route 53 TestDNSAnswer: latency world', () => {
  let sb: SandboxHandle;
  let r53: Route53Client;
  before(async () => {
    sb = await withSandbox({ world: world('latency'), timeScale: 1 });
    r53 = client(sb);
  });
  after(async () => {
    r53.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('the response carries every element of the SDK model, on the wire as AWS names them', async () => {
    const out = await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: NEAR.euw1 });
    assert.deepEqual(
      { ...out, $metadata: undefined },
      {
        $metadata: undefined,
        Nameserver: out.Nameserver,
        RecordName: 'api.latency.example.com.',
        RecordType: 'A',
        RecordData: [LAT.euw1],
        ResponseCode: 'NOERROR',
        Protocol: 'UDP',
      },
    );
    assert.match(out.Nameserver!, /^ns-\d+\.awsdns-\d+\.org$/);
    const q = new URLSearchParams({
      hostedzoneid: LAT_ZONE,
      recordname: 'api.latency.example.com',
      recordtype: 'A',
      edns0clientsubnetip: NEAR.apse1,
      edns0clientsubnetmask: '24',
    });
    const res = await rawRequest(sb.endpoint, { service: 'route53', region: 'us-east-1', path: `/2013-04-01/testdnsanswer?${q}` });
    assert.equal(res.status, 200);
    const xml = await res.text();
    assert.match(
      xml,
      /<TestDNSAnswerResponse xmlns="https:\/\/route53\.amazonaws\.com\/doc\/2013-04-01\/"><Nameserver>[^<]+<\/Nameserver><RecordName>api\.latency\.example\.com\.<\/RecordName><RecordType>A<\/RecordType><RecordData><RecordDataEntry>203\.0\.113\.10<\/RecordDataEntry><\/RecordData><ResponseCode>NOERROR<\/ResponseCode><Protocol>UDP<\/Protocol><\/TestDNSAnswerResponse>/,
    );
  });

  test('a client near each region gets that region, by EDNS0 subnet, by resolver, and (no resolver) as us-east-1', async () => {
    for (const [region, ip] of Object.entries(NEAR)) {
      assert.deepEqual(
        (await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: ip })).RecordData,
        [LAT[region as keyof typeof LAT]],
        `client ${ip}`,
      );
      assert.deepEqual(
        (await ask(r53, { RecordName: 'api.latency.example.com', ResolverIP: ip })).RecordData,
        [LAT[region as keyof typeof LAT]],
        `resolver ${ip}`,
      );
    }
    assert.deepEqual((await ask(r53, { RecordName: 'app.latency.example.com', RecordType: 'CNAME', EDNS0ClientSubnetIP: NEAR.apse1 })).RecordData, [
      'app-apse1.latency.example.com',
    ]);
    assert.deepEqual((await ask(r53, { RecordName: 'api.latency.example.com' })).RecordData, [LAT.use1], 'TestDNSAnswer defaults to a resolver in us-east-1');
    // The benchmarking and IPv6 documentation ranges of the table; the subnet wins over the resolver.
    assert.deepEqual((await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: '198.18.13.9', ResolverIP: NEAR.use1 })).RecordData, [
      LAT.apse1,
    ]);
    assert.deepEqual((await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: '2001:db8:7::1' })).RecordData, [LAT.euw1]);
    // A client in eu-central-1 (198.18.10.0/24) is nearest eu-west-1 of the three.
    assert.deepEqual((await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: '198.18.10.1' })).RecordData, [LAT.euw1]);
    // The mask cuts the address: 198.51.100.44/8 is 198.0.0.0, outside the table, so the first region.
    assert.deepEqual((await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: NEAR.euw1, EDNS0ClientSubnetMask: '8' })).RecordData, [
      LAT.use1,
    ]);
  });

  test("inverting a region's control check drains it: its clients go to the next nearest region, and back when restored", async () => {
    await invert(r53, CONTROL_EUW1);
    assert.deepEqual(
      (await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: NEAR.euw1 })).RecordData,
      [LAT.use1],
      'Ireland: us-east-1 is nearer than Singapore',
    );
    assert.deepEqual((await ask(r53, { RecordName: 'app.latency.example.com', RecordType: 'CNAME', EDNS0ClientSubnetIP: NEAR.euw1 })).RecordData, [
      'app-use1.latency.example.com',
    ]);
    assert.deepEqual(
      (await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: NEAR.apse1 })).RecordData,
      [LAT.apse1],
      'other regions keep their clients',
    );
    await invert(r53, CONTROL_EUW1, false);
    assert.deepEqual((await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: NEAR.euw1 })).RecordData, [LAT.euw1]);
  });

  test('an unhealthy application fails its region over once failureThreshold x requestInterval has passed', async () => {
    sb.control.setFaults({ unhealthyApps: ['ap-southeast-1'] });
    sb.control.advance(29_000);
    assert.deepEqual((await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: NEAR.apse1 })).RecordData, [LAT.apse1]);
    sb.control.advance(1_000);
    const moved = (await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: NEAR.apse1 })).RecordData;
    assert.notDeepEqual(moved, [LAT.apse1]);
    assert.deepEqual(moved, [LAT.euw1], 'Singapore: eu-west-1 is nearer than us-east-1');
  });

  test('every region unhealthy: Route 53 answers as if all were healthy (the nearest)', async () => {
    for (const id of CONTROLS) await invert(r53, id);
    assert.deepEqual((await ask(r53, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: NEAR.euw1 })).RecordData, [LAT.euw1]);
  });

  test("a client outside the table is placed in the world's first region", () =>
    withSandbox({ world: world('latency'), worldOverrides: (w) => void (w.regions = ['eu-west-1', 'us-east-1', 'ap-southeast-1']) }, async (other) => {
      const r = client(other);
      try {
        assert.deepEqual((await ask(r, { RecordName: 'api.latency.example.com', EDNS0ClientSubnetIP: '100.64.1.1' })).RecordData, [LAT.euw1]);
        assert.deepEqual((await ask(r, { RecordName: 'api.latency.example.com', ResolverIP: '100.64.1.1' })).RecordData, [LAT.euw1]);
      } finally {
        r.destroy();
      }
    }));

  test('simple CNAMEs, a name that does not exist (NXDOMAIN) and a type the name lacks (NOERROR, no data)', async () => {
    assert.deepEqual((await ask(r53, { RecordName: 'db.latency.example.com', RecordType: 'CNAME' })).RecordData, [
      'lat-use1.cluster-c0ffee.us-east-1.rds.amazonaws.com',
    ]);
    const viaA = await ask(r53, { RecordName: 'cache.latency.example.com' });
    assert.deepEqual(
      [viaA.RecordData, viaA.ResponseCode],
      [['master.lat-sessions-use1.c0ffee.use1.cache.amazonaws.com'], 'NOERROR'],
      'a CNAME answers a query of another type',
    );
    const missing = await ask(r53, { RecordName: 'nope.latency.example.com' });
    assert.deepEqual([missing.ResponseCode, missing.RecordData], ['NXDOMAIN', []]);
    const noType = await ask(r53, { RecordName: 'www.latency.example.com', RecordType: 'TXT' });
    assert.deepEqual([noType.ResponseCode, noType.RecordData], ['NOERROR', []]);
    assert.equal((await ask(r53, { RecordName: 'WWW.Latency.Example.COM.' })).RecordData?.[0], '192.0.2.30', 'names compare case-insensitively');
  });

  test('errors: NoSuchHostedZone (404), and InvalidInput (400) for a bad type, address or mask', async () => {
    const err = async (input: Partial<TestDNSAnswerCommandInput>) => {
      try {
        await r53.send(
          new TestDNSAnswerCommand({ HostedZoneId: LAT_ZONE, RecordName: 'api.latency.example.com', RecordType: 'A', ...input } as TestDNSAnswerCommandInput),
        );
      } catch (e) {
        return [(e as Error).name, (e as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode];
      }
      return ['no error', 0];
    };
    assert.deepEqual(await err({ HostedZoneId: 'Z0NOSUCHZONE0001' }), ['NoSuchHostedZone', 404]);
    assert.deepEqual(await err({ RecordType: 'BOGUS' as 'A' }), ['InvalidInput', 400]);
    assert.deepEqual(await err({ EDNS0ClientSubnetIP: '300.1.1.1' }), ['InvalidInput', 400]);
    assert.deepEqual(await err({ ResolverIP: 'resolver.example' }), ['InvalidInput', 400]);
    assert.deepEqual(await err({ EDNS0ClientSubnetIP: NEAR.euw1, EDNS0ClientSubnetMask: '33' }), ['InvalidInput', 400]);
    assert.deepEqual(await err({ EDNS0ClientSubnetMask: '24' }), ['InvalidInput', 400]);
    const calls = sb.control.calls().filter((c) => c.operation === 'TestDNSAnswer');
    assert.equal(calls.length, 6);
    assert.ok(calls.every((c) => !c.mutating));
  });
});

describe('sandbox Route 53 TestDNSAnswer: failover records (active-passive world)', () => {
  const ZONE = 'Z0MRACTPASS00001';
  const PRIMARY_CHECK = '5ac7e000-0000-4000-8000-00000000a001';
  const SECONDARY_CHECK = '5ac7e000-0000-4000-8000-00000000a002';
  let sb: SandboxHandle;
  let r53: Route53Client;
  const api = async () => (await ask(r53, { RecordName: 'api.active-passive.example.com' }, ZONE)).RecordData;
  const app = async () => (await ask(r53, { RecordName: 'app.active-passive.example.com', RecordType: 'CNAME' }, ZONE)).RecordData;
  before(async () => {
    sb = await withSandbox({ world: world('active-passive'), timeScale: 1 });
    r53 = client(sb);
  });
  after(async () => {
    r53.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test("PRIMARY while its check is healthy (the alias answers its target's values)", async () => {
    assert.deepEqual(await api(), ['192.0.2.10']);
    assert.deepEqual(await app(), ['app-use1.active-passive.example.com']);
  });

  test('the primary check failing (3 x 30 s) moves both names to the SECONDARY', async () => {
    sb.control.setFaults({ unhealthyApps: ['us-east-1'] });
    sb.control.advance(89_000);
    assert.deepEqual(await api(), ['192.0.2.10'], 'not before failureThreshold x requestInterval');
    sb.control.advance(1_000);
    assert.deepEqual(await api(), ['198.51.100.10']);
    assert.deepEqual(await app(), ['app-euw1.active-passive.example.com']);
  });

  test('inverting the primary check moves to the SECONDARY at once, and back', async () => {
    await invert(r53, PRIMARY_CHECK);
    assert.deepEqual(await api(), ['198.51.100.10']);
    await invert(r53, PRIMARY_CHECK, false);
    assert.deepEqual(await api(), ['192.0.2.10']);
  });

  test('both unhealthy: Route 53 answers with the PRIMARY', async () => {
    await invert(r53, PRIMARY_CHECK);
    await invert(r53, SECONDARY_CHECK);
    assert.deepEqual(await api(), ['192.0.2.10']);
    assert.deepEqual(await app(), ['app-use1.active-passive.example.com']);
  });

  test('EvaluateTargetHealth: an unhealthy alias target makes the PRIMARY unhealthy though its own check is healthy', async () => {
    const created = await r53.send(
      new CreateHealthCheckCommand({
        CallerReference: 'alb-use1',
        HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'alb.us-east-1.example.com', ResourcePath: '/', Inverted: true },
      }),
    );
    const target = { Name: 'api-use1.active-passive.example.com.', Type: 'A' as const, TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] };
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { ...target, HealthCheckId: created.HealthCheck!.Id } }] },
      }),
    );
    assert.deepEqual(await api(), ['198.51.100.10'], 'the alias follows its unhealthy target to the SECONDARY');
    assert.deepEqual(await app(), ['app-use1.active-passive.example.com'], 'the plain CNAMEs are governed by their own checks only');
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: target }] } }));
    assert.deepEqual(await api(), ['192.0.2.10']);
  });
});

describe('sandbox Route 53 TestDNSAnswer: weighted and simple records (demo world)', () => {
  const ZONE = 'Z0MRDEMO0000001';
  const HC = ['6d0b1a8e-0000-4000-8000-00000000e001', '6d0b1a8e-0000-4000-8000-00000000e002', '6d0b1a8e-0000-4000-8000-00000000e003'];
  const IP = { use1: '192.0.2.10', euw1: '198.51.100.10', usw2: '203.0.113.10' };
  const CLIENTS = 60;
  let sb: SandboxHandle;
  let r53: Route53Client;
  /** Answers for 60 clients in distinct /64 subnets (outside the latency table: it does not matter here). */
  const spread = async () => {
    const counts: Record<string, number> = {};
    const ips = Array.from({ length: CLIENTS }, (_, i) => `2001:db8:ff00:${i.toString(16)}::1`);
    const answers = await Promise.all(ips.map((ip) => ask(r53, { RecordName: 'api.demo.example.com', EDNS0ClientSubnetIP: ip }, ZONE)));
    for (const { RecordData: data } of answers) {
      assert.equal(data?.length, 1);
      counts[data[0]!] = (counts[data[0]!] ?? 0) + 1;
    }
    return counts;
  };
  const setWeights = async (weights: number[]) => {
    const ids = ['use1', 'euw1', 'usw2'] as const;
    const Changes = ids.map((id, i) => ({
      Action: 'UPSERT' as const,
      ResourceRecordSet: {
        Name: 'api.demo.example.com.',
        Type: 'A' as const,
        SetIdentifier: id,
        Weight: weights[i],
        TTL: 60,
        ResourceRecords: [{ Value: IP[id] }],
        HealthCheckId: HC[i],
      },
    }));
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes } }));
  };
  before(async () => {
    sb = await withSandbox({});
    r53 = client(sb);
  });
  after(async () => {
    r53.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('weights 100/0/0 always answer the weighted one; a simple record its values', async () => {
    assert.deepEqual(await spread(), { [IP.use1]: CLIENTS });
    assert.deepEqual((await ask(r53, { RecordName: 'www.demo.example.com' }, ZONE)).RecordData, ['192.0.2.30']);
  });

  test('equal weights split the clients, all-zero weights too; the same query always gets the same answer', async () => {
    await setWeights([1, 1, 0]);
    const half = await spread();
    assert.deepEqual(Object.keys(half).sort(), [IP.use1, IP.euw1].sort(), 'a zero weight gets nothing while non-zero ones are healthy');
    assert.ok(half[IP.use1]! >= 18 && half[IP.euw1]! >= 18, JSON.stringify(half));
    assert.deepEqual(await spread(), half, 'reproducible');
    await setWeights([0, 0, 0]);
    const zero = await spread();
    assert.deepEqual(Object.keys(zero).length, 3, JSON.stringify(zero));
    assert.ok(
      Object.values(zero).every((n) => n >= 10),
      JSON.stringify(zero),
    );
  });

  test('an unhealthy weighted record gets no answers; zero weights serve when every non-zero one is unhealthy; all unhealthy is as if all were healthy', async () => {
    await setWeights([1, 1, 0]);
    await invert(r53, HC[0]!);
    assert.deepEqual(await spread(), { [IP.euw1]: CLIENTS });
    await invert(r53, HC[1]!);
    assert.deepEqual(await spread(), { [IP.usw2]: CLIENTS }, 'only the zero-weight record is healthy');
    await invert(r53, HC[2]!);
    const all = await spread();
    assert.deepEqual(Object.keys(all).sort(), [IP.use1, IP.euw1].sort(), 'all unhealthy: by weight again, so the zero weight gets nothing');
  });
});
