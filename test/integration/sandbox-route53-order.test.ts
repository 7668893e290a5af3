// The sandbox lists record sets in the order API_ListResourceRecordSets documents: "first by DNS name
// with the labels reversed, for example: com.example.www." in ASCII order, where the trailing dot
// "can change the sort order when the record name contains characters that appear before ." ('-' is
// one), then by type. mr's record batching (src/aws/route53-batch.ts) concludes a name's absence from
// that order, so the sandbox must follow it (through the real Route53Client).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const ZONE = 'Z0MRDEMO0000001';

describe('sandbox route53 listing order', () => {
  let sb: SandboxHandle;
  let r53: Route53Client;
  before(async () => {
    sb = await withSandbox({});
    r53 = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1', 1));
  });
  after(async () => {
    r53.destroy();
    await sb.stop();
  });

  test('labels reversed and joined by dots with the trailing dot: a-b sorts before a, a.x after a, then by type', async () => {
    const names = ['o.demo.example.com.', 'o-b.demo.example.com.', 'x.o.demo.example.com.', 'o0.demo.example.com.', 'o_u.demo.example.com.'];
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: {
          Changes: [
            ...names.map((Name) => ({
              Action: 'CREATE' as const,
              ResourceRecordSet: { Name, Type: 'TXT' as const, TTL: 60, ResourceRecords: [{ Value: '"x"' }] },
            })),
            { Action: 'CREATE', ResourceRecordSet: { Name: 'o.demo.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } },
          ],
        },
      }),
    );
    const out = await r53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'o-b.demo.example.com.', StartRecordType: 'A', MaxItems: 7 }),
    );
    // com.example.demo.o-b. < com.example.demo.o. < com.example.demo.o.x. < com.example.demo.o0. < com.example.demo.o_u. (ASCII: - . 0 _)
    assert.deepEqual(
      out.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`),
      [
        'o-b.demo.example.com. TXT',
        'o.demo.example.com. A',
        'o.demo.example.com. TXT',
        'x.o.demo.example.com. TXT',
        'o0.demo.example.com. TXT',
        'o_u.demo.example.com. TXT',
        'www.demo.example.com. A',
      ],
    );
  });
});
