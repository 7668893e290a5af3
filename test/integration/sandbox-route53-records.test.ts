// The sandbox's Route 53 zones, record sets and changes, through the real SDK client over HTTP.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type Change,
  type ListResourceRecordSetsCommandInput,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { rawRequest, sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const ZONE = 'Z0MRDEMO0000001';
const HC_EUW1 = '6d0b1a8e-0000-4000-8000-00000000e002';

async function rejects(p: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number; requestId?: string } }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, status);
    assert.match(e.$metadata?.requestId ?? '', /^[0-9a-f-]{36}$/);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

function weighted(id: string, weight: number, value: string, extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet {
  return { Name: 'api.demo.example.com.', Type: 'A', SetIdentifier: id, Weight: weight, TTL: 60, ResourceRecords: [{ Value: value }], ...extra };
}

describe('sandbox Route 53: zones, records, changes', () => {
  let sb: SandboxHandle;
  let r53: Route53Client;
  const change = (changes: Change[], comment?: string) =>
    r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: changes, Comment: comment } }));
  const records = () => (sb.control.snapshot().services.route53 as { zones: { id: string; records: unknown[] }[] }).zones.find((z) => z.id === ZONE)!.records;

  before(async () => {
    // Time scale 1: simulated time moves only by advance(), so PENDING/INSYNC checks do not race the clock.
    sb = await withSandbox({ timeScale: 1 });
    r53 = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1', 1));
  });
  after(async () => {
    r53.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('hosted zones: list, list by name, get, create (and a duplicate caller reference)', async () => {
    const list = await r53.send(new ListHostedZonesCommand({}));
    assert.deepEqual(
      list.HostedZones?.map((z) => [z.Id, z.Name]),
      [[`/hostedzone/${ZONE}`, 'demo.example.com.']],
    );
    assert.equal(list.IsTruncated, false);
    // 11 world records plus the zone's own SOA and NS.
    assert.equal(list.HostedZones?.[0]?.ResourceRecordSetCount, 13);

    const created = await r53.send(
      new CreateHostedZoneCommand({ Name: 'alpha.example.org', CallerReference: 'ref-1', HostedZoneConfig: { Comment: 'test zone' } }),
    );
    assert.match(created.HostedZone?.Id ?? '', /^\/hostedzone\/Z[A-Z0-9]+$/);
    assert.equal(created.HostedZone?.Name, 'alpha.example.org.');
    assert.equal(created.ChangeInfo?.Status, 'PENDING');
    assert.equal(created.DelegationSet?.NameServers?.length, 4);
    assert.equal(created.Location, `https://route53.amazonaws.com/2013-04-01/hostedzone/${created.HostedZone!.Id!.split('/')[2]}`);

    // The SDK strips /hostedzone/ from the id before building the path.
    const got = await r53.send(new GetHostedZoneCommand({ Id: created.HostedZone!.Id! }));
    assert.equal(got.HostedZone?.Config?.Comment, 'test zone');
    assert.deepEqual(got.DelegationSet?.NameServers, created.DelegationSet?.NameServers);

    const byName = await r53.send(new ListHostedZonesByNameCommand({}));
    // Reversed labels: com.example.demo sorts before org.example.alpha.
    assert.deepEqual(
      byName.HostedZones?.map((z) => z.Name),
      ['demo.example.com.', 'alpha.example.org.'],
    );
    const fromAlpha = await r53.send(new ListHostedZonesByNameCommand({ DNSName: 'alpha.example.org', MaxItems: 1 }));
    assert.deepEqual(
      fromAlpha.HostedZones?.map((z) => z.Name),
      ['alpha.example.org.'],
    );
    assert.equal(fromAlpha.DNSName, 'alpha.example.org.');
    const firstPage = await r53.send(new ListHostedZonesByNameCommand({ MaxItems: 1 }));
    assert.equal(firstPage.IsTruncated, true);
    assert.equal(firstPage.NextDNSName, 'alpha.example.org.');

    await rejects(r53.send(new CreateHostedZoneCommand({ Name: 'beta.example.org', CallerReference: 'ref-1' })), 'HostedZoneAlreadyExists', 409);
    await rejects(r53.send(new GetHostedZoneCommand({ Id: 'ZNOSUCHZONE' })), 'NoSuchHostedZone', 404, 'No hosted zone found with ID: ZNOSUCHZONE');
  });

  test('ListResourceRecordSets starts at name, type and identifier and says where to continue', async () => {
    const page = await r53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: `/hostedzone/${ZONE}`, StartRecordName: 'api.demo.example.com', StartRecordType: 'A', MaxItems: 2 }),
    );
    assert.deepEqual(
      page.ResourceRecordSets?.map((r) => r.SetIdentifier),
      ['euw1', 'use1'],
    );
    assert.equal(page.IsTruncated, true);
    assert.equal(page.NextRecordName, 'api.demo.example.com.');
    assert.equal(page.NextRecordType, 'A');
    assert.equal(page.NextRecordIdentifier, 'usw2');
    assert.equal(page.MaxItems, 2);
    const first = page.ResourceRecordSets![1]!;
    assert.deepEqual(first, {
      Name: 'api.demo.example.com.',
      Type: 'A',
      SetIdentifier: 'use1',
      Weight: 100,
      TTL: 60,
      ResourceRecords: [{ Value: '192.0.2.10' }],
      HealthCheckId: '6d0b1a8e-0000-4000-8000-00000000e001',
    });

    const next = await r53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        StartRecordName: page.NextRecordName,
        StartRecordType: page.NextRecordType,
        StartRecordIdentifier: page.NextRecordIdentifier,
        MaxItems: 2,
      }),
    );
    assert.deepEqual(
      next.ResourceRecordSets?.map((r) => [r.Name, r.SetIdentifier]),
      [
        ['api.demo.example.com.', 'usw2'],
        ['app.demo.example.com.', 'euw1'],
      ],
    );

    const all = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE }));
    assert.equal(all.IsTruncated, false);
    assert.equal(all.NextRecordName, undefined);
    // Apex first (SOA and NS, by type), then by reversed labels: api, app, db, edge, www.
    assert.deepEqual(
      [...new Set(all.ResourceRecordSets?.map((r) => r.Name))],
      ['demo.example.com.', 'api.demo.example.com.', 'app.demo.example.com.', 'db.demo.example.com.', 'edge.demo.example.com.', 'www.demo.example.com.'],
    );
    assert.deepEqual(
      all.ResourceRecordSets?.slice(0, 2).map((r) => r.Type),
      ['NS', 'SOA'],
    );
    const db = all.ResourceRecordSets?.filter((r) => r.Name === 'db.demo.example.com.');
    assert.deepEqual(
      db?.map((r) => [r.SetIdentifier, r.Failover]),
      [
        ['db-primary', 'PRIMARY'],
        ['db-secondary', 'SECONDARY'],
      ],
    );
    assert.deepEqual(all.ResourceRecordSets?.find((r) => r.SetIdentifier === 'edge-euw1')?.Region, 'eu-west-1');

    await rejects(r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordType: 'A' })), 'InvalidInput', 400);
    await rejects(r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'ZNOSUCHZONE' })), 'NoSuchHostedZone', 404);
  });

  test('more than 300 records: pages of 300 walk the whole zone in order, and a start name lands mid-zone', async () => {
    const big = await withSandbox({ timeScale: 1, worldOverrides: (w) => (w.route53!.zones[0]!.fillerRecords = 1000) });
    const client = new Route53Client(sdkConfig(big.endpoint, 'us-east-1', 1));
    try {
      const names: string[] = [];
      let start: Omit<ListResourceRecordSetsCommandInput, 'HostedZoneId'> = {};
      let pages = 0;
      for (;;) {
        const page = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, ...start }));
        pages++;
        assert.ok((page.ResourceRecordSets?.length ?? 0) <= 300);
        names.push(...page.ResourceRecordSets!.map((r) => `${r.Name} ${r.Type} ${r.SetIdentifier ?? ''}`));
        if (!page.IsTruncated) break;
        start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
      }
      assert.equal(pages, 4);
      assert.equal(names.length, 1013);
      assert.equal(new Set(names).size, 1013);
      const fillers = names.filter((n) => n.startsWith('filler-'));
      assert.equal(fillers[0], 'filler-00001.demo.example.com. A ');
      assert.equal(fillers[999], 'filler-01000.demo.example.com. A ');

      const mid = await client.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'filler-00500.demo.example.com.', StartRecordType: 'A', MaxItems: 1 }),
      );
      assert.equal(mid.ResourceRecordSets?.[0]?.Name, 'filler-00500.demo.example.com.');
      assert.equal(mid.NextRecordName, 'filler-00501.demo.example.com.');
      assert.equal(mid.NextRecordIdentifier, undefined);
    } finally {
      client.destroy();
      await big.stop();
    }
  });

  test('CREATE, UPSERT and DELETE apply; the change is PENDING until dnsPropagation has passed, then INSYNC', async () => {
    const created = await change(
      [
        { Action: 'CREATE', ResourceRecordSet: { Name: 'new.demo.example.com', Type: 'TXT', TTL: 30, ResourceRecords: [{ Value: '"hello"' }] } },
        { Action: 'UPSERT', ResourceRecordSet: weighted('euw1', 100, '198.51.100.10', { HealthCheckId: HC_EUW1 }) },
        { Action: 'DELETE', ResourceRecordSet: { Name: 'www.demo.example.com.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.30' }] } },
      ],
      'shift',
    );
    assert.equal(created.ChangeInfo?.Status, 'PENDING');
    assert.equal(created.ChangeInfo?.Comment, 'shift');
    assert.match(created.ChangeInfo?.Id ?? '', /^\/change\/C[A-Z0-9]+$/);

    const txt = await r53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'new.demo.example.com.', StartRecordType: 'TXT', MaxItems: 1 }),
    );
    assert.deepEqual(txt.ResourceRecordSets?.[0], { Name: 'new.demo.example.com.', Type: 'TXT', TTL: 30, ResourceRecords: [{ Value: '"hello"' }] });
    const api = await r53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'api.demo.example.com.', StartRecordType: 'A', MaxItems: 3 }),
    );
    assert.deepEqual(
      api.ResourceRecordSets?.map((r) => r.Weight),
      [100, 100, 0],
    );
    const www = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'www.demo.example.com.', MaxItems: 1 }));
    assert.deepEqual(www.ResourceRecordSets, []);

    const id = created.ChangeInfo!.Id!;
    assert.equal((await r53.send(new GetChangeCommand({ Id: id }))).ChangeInfo?.Status, 'PENDING');
    sb.control.advance(29_000);
    assert.equal((await r53.send(new GetChangeCommand({ Id: id }))).ChangeInfo?.Status, 'PENDING');
    sb.control.advance(1_000);
    const insync = await r53.send(new GetChangeCommand({ Id: id }));
    assert.equal(insync.ChangeInfo?.Status, 'INSYNC');
    assert.deepEqual(insync.ChangeInfo?.SubmittedAt, created.ChangeInfo?.SubmittedAt);
    await rejects(r53.send(new GetChangeCommand({ Id: 'CNOSUCHCHANGE' })), 'NoSuchChange', 404);
  });

  test('InvalidChangeBatch messages as Route 53 writes them, several joined in one bracketed message', async () => {
    const www = { Name: 'www.demo.example.com.', Type: 'A' as const, TTL: 300, ResourceRecords: [{ Value: '192.0.2.30' }] };
    await rejects(
      change([{ Action: 'CREATE', ResourceRecordSet: www }]),
      'InvalidChangeBatch',
      400,
      "[Tried to create resource record set [name='www.demo.example.com.', type='A'] but it already exists]",
    );
    await rejects(
      change([{ Action: 'DELETE', ResourceRecordSet: { ...www, Name: 'gone.demo.example.com.' } }]),
      'InvalidChangeBatch',
      400,
      "[Tried to delete resource record set [name='gone.demo.example.com.', type='A'] but it was not found]",
    );
    await rejects(
      change([
        { Action: 'DELETE', ResourceRecordSet: { ...www, TTL: 60 } },
        { Action: 'CREATE', ResourceRecordSet: weighted('use1', 5, '192.0.2.10') },
      ]),
      'InvalidChangeBatch',
      400,
      "[Tried to delete resource record set [name='www.demo.example.com.', type='A'] but the values provided do not match the current values, Tried to create resource record set [name='api.demo.example.com.', type='A', set-identifier='use1'] but it already exists]",
    );
    // Deleting the same record set twice in one batch: the second finds nothing.
    await rejects(
      change([
        { Action: 'DELETE', ResourceRecordSet: www },
        { Action: 'DELETE', ResourceRecordSet: www },
      ]),
      'InvalidChangeBatch',
      400,
      /but it was not found\]$/,
    );
    await rejects(
      change([{ Action: 'CREATE', ResourceRecordSet: { ...www, Name: 'www.other.org.' } }]),
      'InvalidChangeBatch',
      400,
      'RRSet with DNS name www.other.org. is not permitted in zone demo.example.com.',
    );
    await rejects(
      change([
        { Action: 'CREATE', ResourceRecordSet: { Name: 'www.demo.example.com.', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'x.example.com' }] } },
      ]),
      'InvalidChangeBatch',
      400,
      /RRSet of type CNAME with DNS name www\.demo\.example\.com\. is not permitted/,
    );
  });

  test('weighted-record rules: weight range, set identifier, one value, alias xor values, health check must exist', async () => {
    await rejects(
      change([{ Action: 'UPSERT', ResourceRecordSet: weighted('euw1', 256, '198.51.100.10') }]),
      'InvalidInput',
      400,
      /Member must have value less than or equal to 255/,
    );
    await rejects(
      change([{ Action: 'UPSERT', ResourceRecordSet: { ...weighted('euw1', 1, '198.51.100.10'), Weight: undefined } }]),
      'InvalidInput',
      400,
      /^Invalid request: Expected exactly one of \[Weight, .*but found none in Change with \[Action=UPSERT, Name=api\.demo\.example\.com\., Type=A, SetIdentifier=euw1\]$/,
    );
    await rejects(
      change([{ Action: 'UPSERT', ResourceRecordSet: { ...weighted('x', 1, '198.51.100.10'), SetIdentifier: undefined } }]),
      'InvalidInput',
      400,
      /Missing field 'SetIdentifier'/,
    );
    await rejects(
      change([
        {
          Action: 'UPSERT',
          ResourceRecordSet: weighted('euw1', 1, '198.51.100.10', { ResourceRecords: [{ Value: '198.51.100.10' }, { Value: '198.51.100.11' }] }),
        },
      ]),
      'InvalidInput',
      400,
      /exactly one ResourceRecord/,
    );
    await rejects(
      change([
        {
          Action: 'UPSERT',
          ResourceRecordSet: weighted('euw1', 1, '198.51.100.10', {
            AliasTarget: { HostedZoneId: '/hostedzone/Z2', DNSName: 'lb.example.com', EvaluateTargetHealth: false },
          }),
        },
      ]),
      'InvalidInput',
      400,
      /but found more than one in Change/,
    );
    await rejects(
      change([{ Action: 'UPSERT', ResourceRecordSet: { Name: 'x.demo.example.com.', Type: 'A', TTL: 60 } }]),
      'InvalidInput',
      400,
      /but found none in Change/,
    );
    await rejects(
      change([{ Action: 'UPSERT', ResourceRecordSet: weighted('euw1', 1, '198.51.100.10', { HealthCheckId: 'no-such-check' }) }]),
      'NoSuchHealthCheck',
      404,
    );

    // An alias record is accepted, its target zone id stripped of /hostedzone/ by the SDK.
    await change([
      {
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: 'lb.demo.example.com.',
          Type: 'A',
          AliasTarget: { HostedZoneId: '/hostedzone/Z35SXDOTRQ7X7K', DNSName: 'my-lb.us-east-1.elb.amazonaws.com', EvaluateTargetHealth: true },
        },
      },
    ]);
    const lb = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'lb.demo.example.com.', MaxItems: 1 }));
    assert.deepEqual(lb.ResourceRecordSets?.[0]?.AliasTarget, {
      HostedZoneId: 'Z35SXDOTRQ7X7K',
      DNSName: 'my-lb.us-east-1.elb.amazonaws.com.',
      EvaluateTargetHealth: true,
    });
  });

  test('a batch with one bad change changes nothing; DELETE then CREATE of one record set in a batch works', async () => {
    const before = JSON.stringify(records());
    await rejects(
      change([
        { Action: 'UPSERT', ResourceRecordSet: weighted('euw1', 100, '198.51.100.10') },
        { Action: 'CREATE', ResourceRecordSet: { Name: 'fresh.demo.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.99' }] } },
        { Action: 'DELETE', ResourceRecordSet: { Name: 'missing.demo.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } },
      ]),
      'InvalidChangeBatch',
      400,
    );
    assert.equal(JSON.stringify(records()), before);
    const changes = (sb.control.snapshot().services.route53 as { changes: unknown[] }).changes;
    assert.equal(changes.length, 0);

    const www = { Name: 'www.demo.example.com.', Type: 'A' as const, TTL: 300, ResourceRecords: [{ Value: '192.0.2.30' }] };
    await change([
      { Action: 'DELETE', ResourceRecordSet: www },
      { Action: 'CREATE', ResourceRecordSet: { ...www, TTL: 30 } },
    ]);
    const now = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'www.demo.example.com.', MaxItems: 1 }));
    assert.equal(now.ResourceRecordSets?.[0]?.TTL, 30);
  });

  test('POST .../rrset/ with a trailing slash (botocore, the AWS CLI) is ChangeResourceRecordSets too', async () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change><Action>UPSERT</Action>' +
      '<ResourceRecordSet><Name>api.demo.example.com.</Name><Type>A</Type><SetIdentifier>usw2</SetIdentifier><Weight>7</Weight><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>203.0.113.10</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>' +
      '</Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>';
    for (const path of [`/2013-04-01/hostedzone/${ZONE}/rrset/`, `/2013-04-01/hostedzone/${ZONE}/rrset`]) {
      const res = await rawRequest(sb.endpoint, {
        service: 'route53',
        region: 'us-east-1',
        method: 'POST',
        path,
        body,
        headers: { 'content-type': 'application/xml' },
      });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(
        text,
        /^<\?xml[^>]*>\n<ChangeResourceRecordSetsResponse xmlns="https:\/\/route53\.amazonaws\.com\/doc\/2013-04-01\/"><ChangeInfo><Id>\/change\/C[A-Z0-9]+<\/Id><Status>PENDING<\/Status>/,
      );
      assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    }
    const ops = sb.control.calls().map((c) => c.operation);
    assert.deepEqual(ops.slice(-2), ['ChangeResourceRecordSets', 'ChangeResourceRecordSets']);
    const usw2 = await r53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        StartRecordName: 'api.demo.example.com.',
        StartRecordType: 'A',
        StartRecordIdentifier: 'usw2',
        MaxItems: 1,
      }),
    );
    assert.equal(usw2.ResourceRecordSets?.[0]?.Weight, 7);
  });

  test('errors carry the RequestId in the body and the x-amzn-RequestId header', async () => {
    const res = await rawRequest(sb.endpoint, { service: 'route53', region: 'us-east-1', path: '/2013-04-01/hostedzone/ZNOPE' });
    assert.equal(res.status, 404);
    const id = res.headers.get('x-amzn-requestid');
    const text = await res.text();
    assert.equal(
      text,
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: ZNOPE</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
    );
  });
});
