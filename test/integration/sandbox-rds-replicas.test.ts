// The sandbox's RDS DB instances and cross-region read replicas through the real RDSClient and
// CloudWatchClient over HTTP: DescribeDBInstances, PromoteReadReplica, CreateDBInstanceReadReplica, ReplicaLag.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDBInstanceReadReplicaCommand, DescribeDBInstancesCommand, PromoteReadReplicaCommand, type DBInstance } from '@aws-sdk/client-rds';
import { rdsSandboxSuite, rejectsAs } from '../helpers/rds-sandbox-suite.js';

const ACCOUNT = '123456789012';
const arn = (region: string, id: string) => `arn:aws:rds:${region}:${ACCOUNT}:db:${id}`;

export const REPLICA_WORLD = `
account: "${ACCOUNT}"
regions: [us-east-1, eu-west-1]
durations: { rdsPromote: 240, rdsCreateReplica: 900 }
rds:
  instances:
    - { id: app-use1, region: us-east-1, engine: postgres, engineVersion: "16.4" }
    - { id: app-euw1, region: eu-west-1, replicaOf: app-use1, lagMs: 1500 }
`;

describe('sandbox rds read replicas', () => {
  const suite = rdsSandboxSuite(REPLICA_WORLD);
  const rds = (region: string) => suite.rds(region);
  const one = async (region: string, id: string): Promise<DBInstance> =>
    (await rds(region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0];
  const lag = (region: string, id: string) => suite.metric(region, 'ReplicaLag', 'DBInstanceIdentifier', id);

  test('DescribeDBInstances: the primary lists its cross-region replica by ARN, the replica names its source by ARN', async () => {
    const primary = await one('us-east-1', 'app-use1');
    assert.equal(primary.DBInstanceStatus, 'available');
    assert.equal(primary.DBInstanceArn, arn('us-east-1', 'app-use1'));
    assert.deepEqual(primary.ReadReplicaDBInstanceIdentifiers, [arn('eu-west-1', 'app-euw1')]);
    assert.equal(primary.ReadReplicaSourceDBInstanceIdentifier, undefined);
    assert.equal(primary.StatusInfos, undefined);
    assert.equal(primary.Endpoint?.Address, 'app-use1.c0ffee.us-east-1.rds.amazonaws.com');
    assert.equal(primary.Endpoint?.Port, 5432);
    const replica = await one('eu-west-1', 'APP-EUW1');
    assert.equal(replica.ReadReplicaSourceDBInstanceIdentifier, arn('us-east-1', 'app-use1'));
    assert.deepEqual(replica.StatusInfos, [{ StatusType: 'read replication', Normal: true, Status: 'replicating' }]);
    assert.equal(replica.Engine, 'postgres');
    // By ARN, and by filter; RDS is regional.
    assert.equal((await one('eu-west-1', arn('eu-west-1', 'app-euw1'))).DBInstanceIdentifier, 'app-euw1');
    const filtered = await rds('eu-west-1').send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-instance-id', Values: ['app-euw1'] }] }));
    assert.deepEqual(
      filtered.DBInstances?.map((i) => i.DBInstanceIdentifier),
      ['app-euw1'],
    );
    const all = await rds('us-east-1').send(new DescribeDBInstancesCommand({}));
    assert.deepEqual(
      all.DBInstances?.map((i) => i.DBInstanceIdentifier),
      ['app-use1'],
    );
  });

  test('DescribeDBInstances: an unknown instance, or one in another region, is DBInstanceNotFound (404)', async () => {
    await rejectsAs(rds('eu-west-1').send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' })), 'DBInstanceNotFoundFault', 404);
    await rejectsAs(rds('eu-west-1').send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'app-use1' })), 'DBInstanceNotFoundFault', 404);
  });

  test('ReplicaLag (seconds) in the replica region: steady, growing while the source region is down, frozen at the cut', async () => {
    assert.equal(await lag('eu-west-1', 'app-euw1'), 1.5);
    assert.equal(await lag('us-east-1', 'app-euw1'), undefined, 'published in the replica region only');
    assert.equal(await lag('us-east-1', 'app-use1'), undefined, 'a primary has no ReplicaLag');
    suite.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    suite.sb.control.advance(30_000);
    const grown = await lag('eu-west-1', 'app-euw1');
    assert.ok(grown !== undefined && grown >= 31.5 && grown < 32, `lag grew with the outage: ${grown}`);
    const replica = await one('eu-west-1', 'app-euw1');
    assert.equal(replica.StatusInfos?.[0]?.Status, 'error');
    assert.equal(replica.StatusInfos?.[0]?.Normal, false);
    await rds('eu-west-1').send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'app-euw1' }));
    const atCut = await lag('eu-west-1', 'app-euw1');
    suite.sb.control.advance(60_000);
    assert.equal(await lag('eu-west-1', 'app-euw1'), atCut, 'frozen at the cut while promoting');
  });

  test('PromoteReadReplica in the replica region, source down: modifying -> rebooting -> available, standalone', async () => {
    suite.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    const out = await rds('eu-west-1').send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'app-euw1' }));
    assert.equal(out.DBInstance?.DBInstanceStatus, 'modifying');
    suite.sb.control.advance(100_000);
    assert.equal((await one('eu-west-1', 'app-euw1')).DBInstanceStatus, 'rebooting');
    // Not promotable twice.
    await rejectsAs(rds('eu-west-1').send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'app-euw1' })), 'InvalidDBInstanceStateFault', 400);
    suite.sb.control.advance(150_000);
    const done = await one('eu-west-1', 'app-euw1');
    assert.equal(done.DBInstanceStatus, 'available');
    assert.equal(done.ReadReplicaSourceDBInstanceIdentifier, undefined);
    assert.equal(done.StatusInfos, undefined);
    assert.equal(await lag('eu-west-1', 'app-euw1'), undefined, 'a standalone instance has no ReplicaLag');
    // The call went to eu-west-1 only.
    assert.deepEqual(
      [
        ...new Set(
          suite.sb.control
            .calls()
            .filter((c) => c.service === 'rds')
            .map((c) => c.region),
        ),
      ],
      ['eu-west-1'],
    );
    // Its old source, once its region answers, no longer lists it.
    suite.sb.control.clearFaults();
    assert.deepEqual((await one('us-east-1', 'app-use1')).ReadReplicaDBInstanceIdentifiers, []);
  });

  test('PromoteReadReplica: not a replica is InvalidDBInstanceState; unknown is DBInstanceNotFound; state unchanged', async () => {
    await rejectsAs(rds('us-east-1').send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'app-use1' })), 'InvalidDBInstanceStateFault', 400);
    await rejectsAs(rds('eu-west-1').send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'ghost' })), 'DBInstanceNotFoundFault', 404);
    assert.equal((await one('us-east-1', 'app-use1')).DBInstanceStatus, 'available');
    assert.equal((await one('eu-west-1', 'app-euw1')).ReadReplicaSourceDBInstanceIdentifier, arn('us-east-1', 'app-use1'));
  });

  test('CreateDBInstanceReadReplica in the destination region with the source ARN: creating -> available, replicating', async () => {
    await rds('eu-west-1').send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'app-euw1' }));
    suite.sb.control.advance(300_000);
    const out = await rds('us-east-1').send(
      new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'app-use1-r', SourceDBInstanceIdentifier: arn('eu-west-1', 'app-euw1') }),
    );
    assert.equal(out.DBInstance?.DBInstanceStatus, 'creating');
    assert.equal(out.DBInstance?.ReadReplicaSourceDBInstanceIdentifier, arn('eu-west-1', 'app-euw1'));
    assert.deepEqual((await one('eu-west-1', 'app-euw1')).ReadReplicaDBInstanceIdentifiers, [arn('us-east-1', 'app-use1-r')]);
    assert.equal(await lag('us-east-1', 'app-use1-r'), undefined, 'no lag while creating');
    suite.sb.control.advance(900_000);
    const r = await one('us-east-1', 'app-use1-r');
    assert.equal(r.DBInstanceStatus, 'available');
    assert.deepEqual(r.StatusInfos, [{ StatusType: 'read replication', Normal: true, Status: 'replicating' }]);
    assert.equal(await lag('us-east-1', 'app-use1-r'), 0);
    // The old primary is left as it was: its fate is the operator's.
    assert.equal((await one('us-east-1', 'app-use1')).DBInstanceStatus, 'available');
  });

  test('CreateDBInstanceReadReplica: existing id, unknown source, bare id across regions, source a replica, source region down', async () => {
    const create = (id: string, source: string) =>
      rds('us-east-1').send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: id, SourceDBInstanceIdentifier: source }));
    await rejectsAs(create('x', arn('eu-west-1', 'app-euw1')), 'InvalidDBInstanceStateFault', 400); // the source is a replica
    await rds('eu-west-1').send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'app-euw1' }));
    suite.sb.control.advance(300_000);
    await rejectsAs(create('app-use1', arn('eu-west-1', 'app-euw1')), 'DBInstanceAlreadyExistsFault', 400);
    await rejectsAs(create('x', arn('eu-west-1', 'ghost')), 'DBInstanceNotFoundFault', 404);
    await rejectsAs(create('x', 'app-euw1'), 'DBInstanceNotFoundFault', 404); // a bare id is looked up in the called region
    suite.sb.control.setFaults({ regionsDown: ['eu-west-1'] });
    await rejectsAs(create('x', arn('eu-west-1', 'app-euw1')), 'InvalidDBInstanceStateFault', 400);
    suite.sb.control.clearFaults();
    assert.deepEqual(
      (await rds('us-east-1').send(new DescribeDBInstancesCommand({}))).DBInstances?.map((i) => i.DBInstanceIdentifier),
      ['app-use1'],
    );
  });

  test('the Aurora operations still answer beside the instance ones (same signing name)', async () => {
    const out = await rds('us-east-1').send(new DescribeDBInstancesCommand({}));
    assert.equal(out.DBInstances?.length, 1);
    const { DescribeGlobalClustersCommand } = await import('@aws-sdk/client-rds');
    const gcs = await rds('us-east-1').send(new DescribeGlobalClustersCommand({}));
    assert.deepEqual(gcs.GlobalClusters, []);
  });
});
