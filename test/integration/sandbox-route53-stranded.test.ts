// The sandbox's stranded Route 53 changes (fault strandedChanges) through the real Route53Client: the batch
// is accepted (PENDING, with an id) but never applied, and GetChange does not know the id (NoSuchChange, 404),
// as after a us-east-1 impairment with accelerated recovery (Route 53 developer guide, accelerated-recovery.html).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeResourceRecordSetsCommand, GetChangeCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';
import { SandboxControlClient } from '../../src/sandbox/control-client.js';

const ZONE = 'Z0MRDEMO0000001';

describe('sandbox route53 stranded changes', () => {
  let sb: SandboxHandle;
  let r53: Route53Client;
  const put = (value: string) =>
    r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: {
          Comment: `set ${value}`,
          Changes: [
            { Action: 'UPSERT', ResourceRecordSet: { Name: 'note.demo.example.com.', Type: 'TXT', TTL: 30, ResourceRecords: [{ Value: `"${value}"` }] } },
          ],
        },
      }),
    );
  const note = async () =>
    (
      await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'note.demo.example.com.', StartRecordType: 'TXT', MaxItems: 1 }))
    ).ResourceRecordSets?.filter((r) => r.Name === 'note.demo.example.com.').map((r) => r.ResourceRecords?.[0]?.Value);

  before(async () => {
    sb = await withSandbox({ timeScale: 1 });
    r53 = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1', 1));
  });
  after(async () => {
    r53.destroy();
    await sb.stop();
  });

  test('accepted, never applied, unknown to GetChange; the next batch is applied as usual', async () => {
    const control = new SandboxControlClient(sb.endpoint);
    await control.addFault({ kind: 'stranded-changes', count: 1 });
    assert.deepEqual(
      (await control.listFaults()).map((f) => f.id),
      ['stranded-changes'],
    );
    const lost = await put('first');
    assert.equal(lost.ChangeInfo?.Status, 'PENDING');
    assert.match(lost.ChangeInfo?.Id ?? '', /^\/change\/C[A-Z0-9]+$/);
    assert.deepEqual(await note(), []);
    await assert.rejects(r53.send(new GetChangeCommand({ Id: lost.ChangeInfo!.Id! })), (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'NoSuchChange');
      assert.equal(e.$metadata?.httpStatusCode, 404);
      return true;
    });
    assert.deepEqual(await control.listFaults(), [], 'used up');

    const kept = await put('second');
    assert.deepEqual(await note(), ['"second"']);
    assert.equal((await r53.send(new GetChangeCommand({ Id: kept.ChangeInfo!.Id! }))).ChangeInfo?.Status, 'PENDING');
  });
});
