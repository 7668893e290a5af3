// Record reads of one tick in one ListResourceRecordSets page, against a scripted Route 53 that keeps a
// zone in the documented order (the sandbox's records.ts): which names the page shows to be absent,
// which get a listing of their own, and a name made from the zone's name joining the batch.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ListResourceRecordSetsRequest, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { newRoute53Shared, route53Adapter, type Route53Connection } from '../../src/aws/route53.js';
import { isPlainName, listingName } from '../../src/aws/route53-batch.js';
import { zoneNames } from '../../src/aws/route53-zones.js';
import { sortRecords } from '../../src/sandbox/services/route53/records.js';

const rec = (name: string, type = 'A', id?: string): ResourceRecordSet => ({
  Name: name,
  Type: type as 'A',
  SetIdentifier: id,
  TTL: 60,
  ResourceRecords: [{ Value: 'x' }],
});

/** A zone listed as Route 53 documents (sorted by the sandbox's order), recording each request. */
function zone(records: ResourceRecordSet[], zoneName = 'example.com.', names = zoneNames(undefined, 'test')) {
  const sorted = sortRecords(records.map((r) => ({ name: r.Name!, type: r.Type!, setIdentifier: r.SetIdentifier }))).map((s) =>
    records.find((r) => r.Name === s.name && r.Type === s.type && r.SetIdentifier === s.setIdentifier)!,
  );
  const requests: string[] = [];
  class ListResourceRecordSetsCommand {
    constructor(readonly input: ListResourceRecordSetsRequest) {}
  }
  class GetHostedZoneCommand {
    constructor(readonly input: { Id: string }) {}
  }
  const key = (r: { Name?: string; Type?: string }) => `${listingName(r.Name!)}\u0000${r.Type}`;
  const client = {
    async send(cmd: ListResourceRecordSetsCommand | GetHostedZoneCommand) {
      await new Promise((r) => setTimeout(r, 5));
      if (cmd instanceof GetHostedZoneCommand) {
        requests.push('GetHostedZone');
        return { HostedZone: { Id: `/hostedzone/${cmd.input.Id}`, Name: zoneName }, $metadata: {} };
      }
      const { StartRecordName, StartRecordType, MaxItems = 100 } = cmd.input;
      requests.push(`List ${StartRecordName} ${StartRecordType} ${MaxItems}`);
      const from = sorted.findIndex((r) => key(r) >= key({ Name: StartRecordName, Type: StartRecordType }));
      const page = from < 0 ? [] : sorted.slice(from, from + MaxItems);
      const next = from < 0 ? undefined : sorted[from + MaxItems];
      return {
        ResourceRecordSets: page,
        IsTruncated: next !== undefined,
        NextRecordName: next?.Name,
        NextRecordType: next?.Type,
        NextRecordIdentifier: next?.SetIdentifier,
        MaxItems,
        $metadata: {},
      };
    },
  };
  const conn = {
    service: 'route53',
    region: 'us-east-1',
    read: (_op: string, fn: (sdk: unknown, c: unknown, o: unknown) => Promise<unknown>) =>
      fn({ ListResourceRecordSetsCommand, GetHostedZoneCommand }, client, {}),
    mutate: () => Promise.reject(new Error('not used')),
  } as unknown as Route53Connection;
  return { api: route53Adapter(conn, newRoute53Shared(names)), requests };
}

const DEMO = [
  ...['use1', 'euw1', 'usw2'].map((id) => rec('api.demo.example.com.', 'A', id)),
  ...['use1', 'euw1', 'usw2'].map((id) => rec('app.demo.example.com.', 'CNAME', id)),
  rec('db.demo.example.com.', 'CNAME', 'p'),
  rec('db.demo.example.com.', 'CNAME', 's'),
  rec('edge.demo.example.com.', 'A', 'e1'),
  rec('edge.demo.example.com.', 'A', 'e2'),
  rec('www.demo.example.com.'),
  ...Array.from({ length: 30 }, (_, i) => rec(`zz${String(i).padStart(2, '0')}.demo.example.com.`)),
];
const LOCK = '_mr-lock.demo.demo.example.com.';

describe('record reads of one tick', () => {
  test('the documented order: labels reversed with dots and the trailing dot, so a-b sorts before a', () => {
    assert.equal(listingName('www.Example.com'), 'com.example.www.');
    assert.ok(listingName('a-b.example.com.') < listingName('a.example.com.'));
    const sandbox = sortRecords([
      { name: 'a.example.com.', type: 'A' },
      { name: 'a-b.example.com.', type: 'A' },
      { name: 'b.example.com.', type: 'A' },
    ]);
    assert.deepEqual(
      sandbox.map((r) => r.name),
      ['a-b.example.com.', 'a.example.com.', 'b.example.com.'],
    );
    assert.equal(isPlainName('_mr-lock.demo.example.com.'), true);
    assert.equal(isPlainName('\\052.example.com.'), false);
  });

  test("a free lock inside the records' page is concluded absent: one listing", async () => {
    const { api, requests } = zone(DEMO);
    const [a, b, lock] = await Promise.all([
      api.readRecords('Z', 'api.demo.example.com.', 'A', 3),
      api.readRecords('Z', 'app.demo.example.com.', 'CNAME', 3),
      api.readRecords('Z', LOCK, 'TXT', 1),
    ]);
    assert.equal(a.length, 3);
    assert.equal(b.length, 3);
    assert.deepEqual(lock, []);
    // 7 sets asked for and a slack of 4: the page reaches edge, past where the lock would be.
    assert.deepEqual(requests, ['List api.demo.example.com. A 11']);
  });

  test('a held lock in the page is read from it', async () => {
    const { api, requests } = zone([...DEMO, { Name: LOCK, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"mr-lock/1 run=x"' }] }]);
    const [, , lock] = await Promise.all([
      api.readRecords('Z', 'api.demo.example.com.', 'A', 3),
      api.readRecords('Z', 'app.demo.example.com.', 'CNAME', 3),
      api.readRecords('Z', LOCK, 'TXT', 1),
    ]);
    assert.deepEqual(lock[0]?.values, ['"mr-lock/1 run=x"']);
    assert.equal(requests.length, 1);
  });

  test('a name past the end of a truncated page, or not plain, gets a listing of its own', async () => {
    const { api, requests } = zone(DEMO);
    const [, far, star] = await Promise.all([
      api.readRecords('Z', 'api.demo.example.com.', 'A', 3),
      api.readRecords('Z', 'zz29.demo.example.com.', 'A', 1),
      api.readRecords('Z', 'b*.demo.example.com.', 'TXT', 1),
    ]);
    assert.equal(far.length, 1);
    assert.deepEqual(star, []);
    // api's page (5 sets and the slack) ends at edge; b* is not plain; zz29 is past the page's end.
    assert.deepEqual(requests, ['List api.demo.example.com. A 9', 'List b*.demo.example.com. TXT 6', 'List zz29.demo.example.com. A 1']);
  });

  test('the last page of the zone shows a name after the start to be absent', async () => {
    const { api, requests } = zone(DEMO.slice(0, 8));
    const [, none] = await Promise.all([api.readRecords('Z', 'api.demo.example.com.', 'A', 3), api.readRecords('Z', 'zzz.demo.example.com.', 'TXT', 1)]);
    assert.deepEqual(none, []);
    assert.equal(requests.length, 1);
  });

  test("the zone's name: one GetHostedZone, then known without a call (and without a turn of the event loop)", async () => {
    const names = zoneNames(undefined, 'test');
    const { api, requests } = zone(DEMO, 'demo.example.com.', names);
    assert.equal(api.knownZoneName('Z'), undefined);
    assert.equal(await api.zoneName('Z'), 'demo.example.com.');
    assert.equal(await api.zoneName('Z'), 'demo.example.com.');
    assert.equal(api.knownZoneName('Z'), 'demo.example.com.');
    assert.deepEqual(requests, ['GetHostedZone']);
    api.forgetZoneName('Z');
    assert.equal(api.knownZoneName('Z'), undefined);
  });
});

describe('hosted zone names kept on disk', () => {
  test('kept per endpoint and zone, written whole, and a corrupt file is ignored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mr-zones-'));
    try {
      zoneNames(dir, 'http://127.0.0.1:1').remember('Z1', 'one.example.');
      assert.equal(zoneNames(dir, 'http://127.0.0.1:1').known('Z1'), 'one.example.');
      assert.equal(zoneNames(dir, 'http://127.0.0.1:2').known('Z1'), undefined, 'another endpoint');
      assert.deepEqual(await readdir(dir), ['route53-zones.json'], 'no temporary file left');
      await writeFile(join(dir, 'route53-zones.json'), '{"version":1,"zones":');
      const after = zoneNames(dir, 'http://127.0.0.1:1');
      assert.equal(after.known('Z1'), undefined);
      after.remember('Z1', 'one.example.');
      assert.match(await readFile(join(dir, 'route53-zones.json'), 'utf8'), /"one\.example\."/);
      after.forget('Z1');
      assert.equal(zoneNames(dir, 'http://127.0.0.1:1').known('Z1'), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
