// readRecords' walk over ListResourceRecordSets pages, against a scripted connection: where it starts,
// when it follows Next*, and when it stops. (The sandbox tests check the same over HTTP with real zones.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ListResourceRecordSetsRequest, ListResourceRecordSetsResponse, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { newRoute53Shared, route53Adapter, type Route53Connection } from '../../src/aws/route53.js';
import { isAwsCallError } from '../../src/aws/errors.js';

type Page = Omit<ListResourceRecordSetsResponse, 'MaxItems'>;

/** A connection whose only operation answers from a script keyed by the request, recording every request. */
function scripted(answer: (req: ListResourceRecordSetsRequest) => Page) {
  const requests: ListResourceRecordSetsRequest[] = [];
  class ListResourceRecordSetsCommand {
    constructor(readonly input: ListResourceRecordSetsRequest) {}
  }
  const client = {
    async send(cmd: ListResourceRecordSetsCommand) {
      requests.push(cmd.input);
      return { ...answer(cmd.input), MaxItems: cmd.input.MaxItems, $metadata: { requestId: `r${requests.length}` } };
    },
  };
  const conn = {
    service: 'route53',
    region: 'us-east-1',
    read: (_op: string, fn: (sdk: unknown, c: unknown, o: unknown) => Promise<unknown>) => fn({ ListResourceRecordSetsCommand }, client, { requestTimeout: 1 }),
    mutate: () => Promise.reject(new Error('not used')),
  } as unknown as Route53Connection;
  return { api: route53Adapter(conn, newRoute53Shared()), requests };
}

const w = (name: string, id: string, type = 'A'): ResourceRecordSet => ({
  Name: name,
  Type: type as 'A',
  SetIdentifier: id,
  Weight: 1,
  TTL: 60,
  ResourceRecords: [{ Value: '192.0.2.1' }],
});

describe('readRecords paging', () => {
  test('starts at the name and type, with a trailing dot and upper-case type', async () => {
    const { api, requests } = scripted(() => ({ ResourceRecordSets: [w('api.example.com.', 'a')], IsTruncated: false }));
    const records = await api.readRecords('Z1', 'api.example.com', 'a');
    assert.equal(records.length, 1);
    assert.deepEqual(requests, [
      { HostedZoneId: 'Z1', StartRecordName: 'api.example.com.', StartRecordType: 'A', StartRecordIdentifier: undefined, MaxItems: 100 },
    ]);
  });

  test('stops at the first record of another name or type, even when the page is truncated', async () => {
    const { api, requests } = scripted(() => ({
      ResourceRecordSets: [w('api.example.com.', 'a'), w('api.example.com.', 'b'), w('api.example.com.', 'x', 'AAAA')],
      IsTruncated: true,
      NextRecordName: 'zzz.example.com.',
      NextRecordType: 'A',
    }));
    const records = await api.readRecords('Z1', 'api.example.com.', 'A');
    assert.deepEqual(
      records.map((r) => r.setIdentifier),
      ['a', 'b'],
    );
    assert.equal(requests.length, 1);
  });

  test('follows NextRecordName/Type/Identifier while they stay on the same name and type', async () => {
    const { api, requests } = scripted((req) =>
      req.StartRecordIdentifier === undefined
        ? {
            ResourceRecordSets: [w('api.example.com.', 'a'), w('api.example.com.', 'b')],
            IsTruncated: true,
            NextRecordName: 'api.example.com.',
            NextRecordType: 'A',
            NextRecordIdentifier: 'c',
          }
        : { ResourceRecordSets: [w('api.example.com.', 'c')], IsTruncated: true, NextRecordName: 'www.example.com.', NextRecordType: 'A' },
    );
    const records = await api.readRecords('Z1', 'api.example.com.', 'A');
    assert.deepEqual(
      records.map((r) => r.setIdentifier),
      ['a', 'b', 'c'],
    );
    assert.equal(requests.length, 2);
    assert.equal(requests[1].StartRecordIdentifier, 'c');
    assert.equal(requests[1].StartRecordName, 'api.example.com.');
  });

  test('matches Route 53 escapes and case: \\052 is *', async () => {
    const { api } = scripted(() => ({ ResourceRecordSets: [w('\\052.example.com.', 'a', 'CNAME')], IsTruncated: false }));
    const records = await api.readRecords('Z1', '*.Example.com', 'CNAME');
    assert.equal(records.length, 1);
    assert.equal(records[0].name, '\\052.example.com.');
  });

  test('a name that does not exist gives no records after one call', async () => {
    const { api, requests } = scripted(() => ({
      ResourceRecordSets: [w('www.example.com.', 'a')],
      IsTruncated: true,
      NextRecordName: 'x.example.com.',
      NextRecordType: 'A',
    }));
    assert.deepEqual(await api.readRecords('Z1', 'nope.example.com.', 'A'), []);
    assert.equal(requests.length, 1);
  });

  test('a listing that does not advance is an error, not an endless loop', async () => {
    const { api, requests } = scripted(() => ({
      ResourceRecordSets: [w('api.example.com.', 'a')],
      IsTruncated: true,
      NextRecordName: 'api.example.com.',
      NextRecordType: 'A',
      NextRecordIdentifier: 'a',
    }));
    await assert.rejects(api.readRecords('Z1', 'api.example.com.', 'A'), (e: unknown) => isAwsCallError(e) && e.code === 'PaginationStalled');
    assert.equal(requests.length, 2);
  });
});
