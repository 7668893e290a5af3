// The sandbox's RDS (Aurora global database) through the real RDSClient over HTTP.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  paginateDescribeGlobalClusters,
  RDSClient,
  SwitchoverGlobalClusterCommand,
  type GlobalCluster,
} from '@aws-sdk/client-rds';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const ACCOUNT = '123456789012';
const arn = (region: string, id: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:${id}`;
const USE1 = arn('us-east-1', 'demo-use1');
const EUW1 = arn('eu-west-1', 'demo-euw1');
const USW2 = arn('us-west-2', 'demo-usw2');

async function rejectsAs(p: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(p, (e: { name?: string; $metadata?: { httpStatusCode?: number; requestId?: string } }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, status);
    assert.match(e.$metadata?.requestId ?? '', /^[0-9a-f-]{36}$/);
    return true;
  });
}

const writer = (gc: GlobalCluster | undefined) => gc?.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn;
const member = (gc: GlobalCluster | undefined, a: string) => gc?.GlobalClusterMembers?.find((m) => m.DBClusterArn === a);

describe('sandbox rds', () => {
  let sb: SandboxHandle;
  const clients = new Map<string, RDSClient>();
  const rds = (region: string) => {
    if (!clients.has(region)) clients.set(region, new RDSClient(sdkConfig(sb.endpoint, region, 1)));
    return clients.get(region)!;
  };
  const read = async (region = 'eu-west-1') =>
    (await rds(region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'demo-global' }))).GlobalClusters?.[0];

  before(async () => {
    // Time scale 1: the clock moves only by control.advance() as far as these tests can tell.
    sb = await withSandbox({ timeScale: 1 });
  });
  after(async () => {
    for (const c of clients.values()) c.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('DescribeGlobalClusters: one writer, its readers, connected members, from any region', async () => {
    const gc = await read('us-west-2');
    assert.equal(gc?.GlobalClusterIdentifier, 'demo-global');
    assert.equal(gc?.GlobalClusterArn, `arn:aws:rds::${ACCOUNT}:global-cluster:demo-global`);
    assert.equal(gc?.Status, 'available');
    assert.equal(gc?.Engine, 'aurora-postgresql');
    assert.equal(gc?.FailoverState, undefined);
    assert.equal(writer(gc), USE1);
    assert.deepEqual(member(gc, USE1)?.Readers, [EUW1, USW2]);
    assert.deepEqual(
      gc?.GlobalClusterMembers?.map((m) => m.SynchronizationStatus),
      ['connected', 'connected', 'connected'],
    );
  });

  test('DescribeGlobalClusters: region filter, case-insensitive id, unknown id is GlobalClusterNotFoundFault 404', async () => {
    const filtered = await rds('eu-west-1').send(new DescribeGlobalClustersCommand({ Filters: [{ Name: 'region', Values: ['ap-south-1'] }] }));
    assert.deepEqual(filtered.GlobalClusters, []);
    const hit = await rds('eu-west-1').send(new DescribeGlobalClustersCommand({ Filters: [{ Name: 'region', Values: ['eu-west-1'] }] }));
    assert.equal(hit.GlobalClusters?.length, 1);
    const upper = await rds('eu-west-1').send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'DEMO-GLOBAL' }));
    assert.equal(upper.GlobalClusters?.[0]?.GlobalClusterIdentifier, 'demo-global');
    await rejectsAs(rds('eu-west-1').send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'nope' })), 'GlobalClusterNotFoundFault', 404);
  });

  test('DescribeDBClusters is regional, takes an id or an ARN, and 404s otherwise', async () => {
    const all = await rds('eu-west-1').send(new DescribeDBClustersCommand({}));
    assert.deepEqual(
      all.DBClusters?.map((c) => c.DBClusterIdentifier),
      ['demo-euw1'],
    );
    const c = all.DBClusters![0];
    assert.equal(c.DBClusterArn, EUW1);
    assert.equal(c.Status, 'available');
    assert.equal(c.Endpoint, 'demo-euw1.cluster-c0ffee.eu-west-1.rds.amazonaws.com');
    assert.equal(c.ReaderEndpoint, 'demo-euw1.cluster-ro-c0ffee.eu-west-1.rds.amazonaws.com');
    assert.equal(c.Engine, 'aurora-postgresql');
    assert.equal(c.EngineVersion, '16.4');
    assert.equal(c.GlobalClusterIdentifier, 'demo-global');
    const byArn = await rds('us-east-1').send(new DescribeDBClustersCommand({ DBClusterIdentifier: USE1 }));
    assert.equal(byArn.DBClusters?.[0]?.DBClusterIdentifier, 'demo-use1');
    await rejectsAs(rds('eu-west-1').send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'demo-use1' })), 'DBClusterNotFoundFault', 404);
    await rejectsAs(rds('eu-west-1').send(new DescribeDBClustersCommand({ DBClusterIdentifier: USE1 })), 'DBClusterNotFoundFault', 404);
  });

  test('switchover: immediate switching-over + pending, then switching-over, then the writer moves', async () => {
    const res = await rds('us-east-1').send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1 }));
    assert.match(res.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(res.GlobalCluster?.Status, 'switching-over');
    assert.deepEqual(res.GlobalCluster?.FailoverState, { Status: 'pending', FromDbClusterArn: USE1, ToDbClusterArn: EUW1, IsDataLossAllowed: false });
    assert.equal(writer(res.GlobalCluster), USE1);

    sb.control.advance(30_000); // the demo world's switchover takes 60 simulated seconds
    const mid = await read();
    assert.equal(mid?.Status, 'switching-over');
    assert.equal(mid?.FailoverState?.Status, 'switching-over');
    assert.equal(writer(mid), USE1);
    const midCluster = await rds('eu-west-1').send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'demo-euw1' }));
    assert.equal(midCluster.DBClusters?.[0]?.Status, 'modifying');

    sb.control.advance(31_000);
    const done = await read('us-west-2');
    assert.equal(done?.Status, 'available');
    assert.equal(done?.FailoverState, undefined);
    assert.equal(writer(done), EUW1);
    assert.deepEqual(member(done, EUW1)?.Readers, [USE1, USW2]);
    assert.equal(member(done, USE1)?.SynchronizationStatus, 'connected');
    const after = await rds('eu-west-1').send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'demo-euw1' }));
    assert.equal(after.DBClusters?.[0]?.Status, 'available');
    const calls = sb.control.calls().filter((c) => c.operation === 'SwitchoverGlobalCluster');
    assert.deepEqual(
      calls.map((c) => [c.region, c.mutating, c.status]),
      [['us-east-1', true, 200]],
    );
  });

  test('switchover refusals: wrong region, already primary, in progress, unknown target', async () => {
    const sw = (region: string, target: string, id = 'demo-global') =>
      rds(region).send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: id, TargetDbClusterIdentifier: target }));
    await rejectsAs(sw('eu-west-1', EUW1), 'InvalidGlobalClusterStateFault', 400);
    await rejectsAs(sw('us-east-1', USE1), 'InvalidDBClusterStateFault', 400);
    await rejectsAs(sw('us-east-1', EUW1, 'nope'), 'GlobalClusterNotFoundFault', 404);
    await rejectsAs(sw('us-east-1', arn('eu-west-1', 'ghost')), 'DBClusterNotFoundFault', 404);
    // A bare identifier only resolves in the called region (⚠ choice, see rds.ts).
    await rejectsAs(sw('us-east-1', 'demo-euw1'), 'DBClusterNotFoundFault', 404);
    await sw('us-east-1', EUW1);
    await rejectsAs(sw('us-east-1', USW2), 'InvalidGlobalClusterStateFault', 400);
    await rejectsAs(
      rds('eu-west-1').send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1, AllowDataLoss: true })),
      'InvalidGlobalClusterStateFault',
      400,
    );
  });

  test('switchover is refused while the target region is down', async () => {
    sb.control.setFaults({ regionsDown: ['eu-west-1'] });
    await rejectsAs(
      rds('us-east-1').send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1 })),
      'InvalidDBClusterStateFault',
      400,
    );
  });

  test('FailoverGlobalCluster with Switchover=true is a switchover; both modes together are refused', async () => {
    await rejectsAs(
      rds('eu-west-1').send(
        new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1, AllowDataLoss: true, Switchover: true }),
      ),
      'InvalidParameterCombination',
      400,
    );
    const res = await rds('us-east-1').send(
      new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1, Switchover: true }),
    );
    assert.equal(res.GlobalCluster?.Status, 'switching-over');
    assert.equal(res.GlobalCluster?.FailoverState?.IsDataLossAllowed, false);
  });

  test('failover with data loss from the target region while the primary region is down; resync after it returns', async () => {
    sb.control.setFaults({ regionsDown: ['us-east-1'] });
    // The primary's region answers nothing: the SDK sees the connection reset.
    await assert.rejects(read('us-east-1'), (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === undefined);
    await rejectsAs(
      rds('us-west-2').send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1, AllowDataLoss: true })),
      'InvalidGlobalClusterStateFault',
      400,
    );
    const res = await rds('eu-west-1').send(
      new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1, AllowDataLoss: true }),
    );
    assert.equal(res.GlobalCluster?.Status, 'failing-over');
    assert.deepEqual(res.GlobalCluster?.FailoverState, { Status: 'pending', FromDbClusterArn: USE1, ToDbClusterArn: EUW1, IsDataLossAllowed: true });

    sb.control.advance(20_000);
    assert.equal((await read())?.FailoverState?.Status, 'failing-over');
    sb.control.advance(26_000); // the demo world's failover takes 45 simulated seconds
    const done = await read();
    assert.equal(done?.Status, 'available');
    assert.equal(done?.FailoverState, undefined);
    assert.equal(writer(done), EUW1);
    assert.equal(member(done, USE1)?.IsWriter, false);
    assert.equal(member(done, USE1)?.SynchronizationStatus, 'pending-resync');

    // Still pending while its region stays down, however long; a switchover needs every member in sync.
    sb.control.advance(3_600_000);
    assert.equal(member(await read(), USE1)?.SynchronizationStatus, 'pending-resync');
    await rejectsAs(
      rds('eu-west-1').send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: USW2 })),
      'InvalidGlobalClusterStateFault',
      400,
    );
    sb.control.setFaults({ regionsDown: [] });
    assert.equal(member(await read(), USE1)?.SynchronizationStatus, 'pending-resync');
    sb.control.advance(91_000); // the rebuild takes twice a failover once the region answers
    assert.equal(member(await read('us-east-1'), USE1)?.SynchronizationStatus, 'connected');
  });

  test('an unplanned failover rebuilds every other secondary too: pending-resync, not promotable, in sync after the rebuild', async () => {
    sb.control.setFaults({ regionsDown: ['us-east-1'] });
    await rds('eu-west-1').send(
      new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1, AllowDataLoss: true }),
    );
    // Before the failover completes, the third member still replicates.
    assert.equal(member(await read(), USW2)?.SynchronizationStatus, 'connected');
    sb.control.advance(46_000);
    const done = await read('us-west-2');
    assert.equal(writer(done), EUW1);
    assert.equal(member(done, USW2)?.SynchronizationStatus, 'pending-resync');
    assert.equal(member(done, USE1)?.SynchronizationStatus, 'pending-resync');
    // A member being rebuilt cannot be promoted, nor can the global cluster be switched over meanwhile.
    await rejectsAs(
      rds('us-west-2').send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: USW2, AllowDataLoss: true })),
      'InvalidDBClusterStateFault',
      400,
    );
    sb.control.advance(80_000);
    assert.equal(member(await read(), USW2)?.SynchronizationStatus, 'pending-resync');
    // The rebuild takes twice a failover (90 s); the old primary's waits for its region.
    sb.control.advance(11_000);
    const rebuilt = await read();
    assert.equal(member(rebuilt, USW2)?.SynchronizationStatus, 'connected');
    assert.equal(member(rebuilt, USE1)?.SynchronizationStatus, 'pending-resync');
    const res = await rds('us-west-2').send(
      new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: USW2, AllowDataLoss: true }),
    );
    assert.equal(res.GlobalCluster?.Status, 'failing-over');
  });

  test('an injected error comes back as the SDK names it', async () => {
    sb.control.setFaults({
      errors: [{ service: 'rds', operation: 'DescribeGlobalClusters', code: 'Throttling', message: 'Rate exceeded', status: 400, count: 1 }],
    });
    await rejectsAs(read(), 'Throttling', 400);
    assert.equal((await read())?.Status, 'available');
  });

  test('a switchover saved mid-way in the state file completes in the next sandbox process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mr-svc-rds-'));
    try {
      const statePath = join(dir, 'state.json');
      await withSandbox({ timeScale: 1, statePath }, async (first) => {
        const c = new RDSClient(sdkConfig(first.endpoint, 'us-east-1', 1));
        try {
          await c.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1 }));
        } finally {
          c.destroy();
        }
      });
      await withSandbox({ timeScale: 1, statePath }, async (second) => {
        const c = new RDSClient(sdkConfig(second.endpoint, 'eu-west-1', 1));
        try {
          const mid = (await c.send(new DescribeGlobalClustersCommand({}))).GlobalClusters?.[0];
          assert.equal(mid?.Status, 'switching-over');
          second.control.advance(61_000);
          const done = (await c.send(new DescribeGlobalClustersCommand({}))).GlobalClusters?.[0];
          assert.equal(done?.Status, 'available');
          assert.equal(writer(done), EUW1);
        } finally {
          c.destroy();
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('DescribeGlobalClusters pages with Marker (paginator)', async () => {
    await sb.stop();
    sb = await withSandbox({
      timeScale: 1,
      worldOverrides: (w) => {
        const extra = Array.from({ length: 24 }, (_, i) => ({
          id: `extra-${String(i).padStart(2, '0')}`,
          members: [{ region: 'us-east-1', clusterId: `extra-${i}-use1`, writer: true }],
        }));
        (w.aurora!.globalClusters as unknown[]).push(...extra);
      },
    });
    for (const c of clients.values()) c.destroy();
    clients.clear();
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateDescribeGlobalClusters({ client: rds('eu-west-1'), pageSize: 20 }, {})) {
      pages.push(page.GlobalClusters?.length ?? 0);
      ids.push(...(page.GlobalClusters ?? []).map((g) => g.GlobalClusterIdentifier!));
    }
    assert.deepEqual(pages, [20, 5]);
    assert.equal(new Set(ids).size, 25);
    await rejectsAs(rds('eu-west-1').send(new DescribeGlobalClustersCommand({ MaxRecords: 5 })), 'InvalidParameterValue', 400);
  });
});
