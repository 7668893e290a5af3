// The sandbox's ElastiCache Global Datastore through the real ElastiCacheClient over HTTP.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeGlobalReplicationGroupsCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  FailoverGlobalReplicationGroupCommand,
  paginateDescribeReplicationGroups,
  type GlobalReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const GRG = 'ldgnf-demo-sessions';

async function rejectsAs(p: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(p, (e: { name?: string; $metadata?: { httpStatusCode?: number; requestId?: string } }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, status);
    assert.match(e.$metadata?.requestId ?? '', /^[0-9a-f-]{36}$/);
    return true;
  });
}

const roles = (g: GlobalReplicationGroup | undefined) => Object.fromEntries((g?.Members ?? []).map((m) => [m.ReplicationGroupId, m.Role]));

describe('sandbox elasticache', () => {
  let sb: SandboxHandle;
  const clients = new Map<string, ElastiCacheClient>();
  const ec = (region: string) => {
    if (!clients.has(region)) clients.set(region, new ElastiCacheClient(sdkConfig(sb.endpoint, region, 1)));
    return clients.get(region)!;
  };
  const read = async (region = 'eu-west-1') =>
    (await ec(region).send(new DescribeGlobalReplicationGroupsCommand({ GlobalReplicationGroupId: GRG, ShowMemberInfo: true }))).GlobalReplicationGroups?.[0];
  const failover = (region: string, primaryRegion: string, primaryId: string, id = GRG) =>
    ec(region).send(
      new FailoverGlobalReplicationGroupCommand({ GlobalReplicationGroupId: id, PrimaryRegion: primaryRegion, PrimaryReplicationGroupId: primaryId }),
    );

  before(async () => {
    sb = await withSandbox({ timeScale: 1 });
  });
  after(async () => {
    for (const c of clients.values()) c.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('DescribeGlobalReplicationGroups: members only with ShowMemberInfo; unknown id is a 404 fault', async () => {
    const g = await read();
    assert.equal(g?.GlobalReplicationGroupId, GRG);
    assert.equal(g?.Status, 'available');
    assert.equal(g?.Engine, 'valkey');
    assert.deepEqual(roles(g), { 'demo-sessions-use1': 'PRIMARY', 'demo-sessions-euw1': 'SECONDARY', 'demo-sessions-usw2': 'SECONDARY' });
    assert.deepEqual(
      g?.Members?.map((m) => m.ReplicationGroupRegion),
      ['us-east-1', 'eu-west-1', 'us-west-2'],
    );
    const bare = await ec('us-west-2').send(new DescribeGlobalReplicationGroupsCommand({ GlobalReplicationGroupId: GRG }));
    assert.equal(bare.GlobalReplicationGroups?.[0]?.Members, undefined);
    await rejectsAs(
      ec('eu-west-1').send(new DescribeGlobalReplicationGroupsCommand({ GlobalReplicationGroupId: 'nope' })),
      'GlobalReplicationGroupNotFoundFault',
      404,
    );
  });

  test('DescribeReplicationGroups is regional, with the global role; unknown id is ReplicationGroupNotFoundFault', async () => {
    const res = await ec('eu-west-1').send(new DescribeReplicationGroupsCommand({}));
    assert.deepEqual(
      res.ReplicationGroups?.map((r) => r.ReplicationGroupId),
      ['demo-sessions-euw1'],
    );
    const rg = res.ReplicationGroups![0];
    assert.deepEqual(rg.GlobalReplicationGroupInfo, { GlobalReplicationGroupId: GRG, GlobalReplicationGroupMemberRole: 'secondary' });
    assert.equal(rg.Status, 'available');
    assert.equal(rg.NodeGroups?.[0]?.PrimaryEndpoint?.Port, 6379);
    const primary = await ec('us-east-1').send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'demo-sessions-use1' }));
    assert.equal(primary.ReplicationGroups?.[0]?.GlobalReplicationGroupInfo?.GlobalReplicationGroupMemberRole, 'primary');
    await rejectsAs(
      ec('eu-west-1').send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'demo-sessions-use1' })),
      'ReplicationGroupNotFoundFault',
      404,
    );
    const pages = [];
    for await (const p of paginateDescribeReplicationGroups({ client: ec('us-west-2'), pageSize: 20 }, {})) pages.push(p.ReplicationGroups?.length);
    assert.deepEqual(pages, [1]);
  });

  test('failover: modifying for the failover duration, then the roles swap', async () => {
    const res = await failover('eu-west-1', 'eu-west-1', 'demo-sessions-euw1');
    assert.match(res.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(res.GlobalReplicationGroup?.Status, 'modifying');
    assert.equal(roles(res.GlobalReplicationGroup)['demo-sessions-use1'], 'PRIMARY');

    sb.control.advance(25_000); // the demo world's datastore failover takes 50 simulated seconds
    const mid = await read('us-west-2');
    assert.equal(mid?.Status, 'modifying');
    assert.equal(roles(mid)['demo-sessions-use1'], 'PRIMARY');
    // "Promotion is allowed anytime, even if other modifications are in progress" (ElastiCache user guide,
    // Redis-Global-Datastores-Console): the same promotion again is accepted and restarts nothing.
    const again = await failover('us-west-2', 'eu-west-1', 'demo-sessions-euw1');
    assert.equal(again.GlobalReplicationGroup?.Status, 'modifying');

    sb.control.advance(26_000);
    const done = await read();
    assert.equal(done?.Status, 'available');
    assert.deepEqual(roles(done), { 'demo-sessions-use1': 'SECONDARY', 'demo-sessions-euw1': 'PRIMARY', 'demo-sessions-usw2': 'SECONDARY' });
    const rg = await ec('eu-west-1').send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'demo-sessions-euw1' }));
    assert.equal(rg.ReplicationGroups?.[0]?.GlobalReplicationGroupInfo?.GlobalReplicationGroupMemberRole, 'primary');
    assert.equal(rg.ReplicationGroups?.[0]?.Status, 'available');
  });

  test('failover works from the target region while the primary region is down', async () => {
    sb.control.setFaults({ regionsDown: ['us-east-1'] });
    await assert.rejects(read('us-east-1'), (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === undefined);
    const res = await failover('eu-west-1', 'eu-west-1', 'demo-sessions-euw1');
    assert.equal(res.GlobalReplicationGroup?.Status, 'modifying');
    sb.control.advance(51_000);
    assert.equal(roles(await read())['demo-sessions-euw1'], 'PRIMARY');
    const calls = sb.control.calls().filter((c) => c.operation === 'FailoverGlobalReplicationGroup');
    assert.deepEqual(
      calls.map((c) => [c.region, c.mutating, c.status]),
      [['eu-west-1', true, 200]],
    );
  });

  test('failover can be requested from another member region', async () => {
    const res = await failover('us-west-2', 'eu-west-1', 'demo-sessions-euw1');
    assert.equal(res.GlobalReplicationGroup?.Status, 'modifying');
  });

  test('a promotion while another is in progress is accepted; the newest one wins', async () => {
    await failover('eu-west-1', 'eu-west-1', 'demo-sessions-euw1');
    sb.control.advance(25_000);
    const res = await failover('us-west-2', 'us-west-2', 'demo-sessions-usw2');
    assert.equal(res.GlobalReplicationGroup?.Status, 'modifying');
    sb.control.advance(51_000);
    const done = await read();
    assert.equal(done?.Status, 'available');
    assert.deepEqual(roles(done), { 'demo-sessions-use1': 'SECONDARY', 'demo-sessions-euw1': 'SECONDARY', 'demo-sessions-usw2': 'PRIMARY' });
  });

  test('an injected error comes back as the SDK names it (wire code InvalidGlobalReplicationGroupState)', async () => {
    sb.control.setFaults({
      errors: [
        {
          service: 'elasticache',
          operation: 'FailoverGlobalReplicationGroup',
          code: 'InvalidGlobalReplicationGroupState',
          message: 'injected',
          status: 400,
          count: 1,
        },
      ],
    });
    await rejectsAs(failover('eu-west-1', 'eu-west-1', 'demo-sessions-euw1'), 'InvalidGlobalReplicationGroupStateFault', 400);
    assert.equal((await read())?.Status, 'available');
  });

  test('failover refusals: unknown datastore, not a member, region mismatch, already primary', async () => {
    await rejectsAs(failover('eu-west-1', 'eu-west-1', 'demo-sessions-euw1', 'nope'), 'GlobalReplicationGroupNotFoundFault', 404);
    await rejectsAs(failover('eu-west-1', 'eu-west-1', 'someone-else'), 'InvalidParameterValueException', 400);
    await rejectsAs(failover('eu-west-1', 'us-west-2', 'demo-sessions-euw1'), 'InvalidParameterValueException', 400);
    await rejectsAs(failover('eu-west-1', 'us-east-1', 'demo-sessions-use1'), 'InvalidParameterValueException', 400);
    assert.equal((await read())?.Status, 'available');
  });
});
