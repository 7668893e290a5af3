// The sandbox's cross-region read replica clusters (Aurora MySQL, no global database) through the real
// RDSClient and CloudWatchClient over HTTP: DescribeDBClusters (ReplicationSourceIdentifier,
// ReadReplicaIdentifiers), PromoteReadReplicaDBCluster and its faults, AuroraBinlogReplicaLag; and the
// tags CreateDBInstanceReadReplica takes, kept through a promotion.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDBInstanceReadReplicaCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  PromoteReadReplicaCommand,
  PromoteReadReplicaDBClusterCommand,
  type DBCluster,
} from '@aws-sdk/client-rds';
import { rdsSandboxSuite, rejectsAs } from '../helpers/rds-sandbox-suite.js';

const ACCOUNT = '123456789012';
const carn = (region: string, id: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:${id}`;
const darn = (region: string, id: string) => `arn:aws:rds:${region}:${ACCOUNT}:db:${id}`;

const WORLD = `
account: "${ACCOUNT}"
regions: [us-east-1, eu-west-1]
durations: { rdsPromote: 240, rdsCreateReplica: 900 }
rds:
  instances:
    - { id: app-use1, region: us-east-1 }
    - { id: app-euw1, region: eu-west-1, replicaOf: app-use1 }
  clusters:
    - { id: orders-use1, region: us-east-1 }
    - { id: orders-euw1, region: eu-west-1, replicaOf: orders-use1, lagMs: 2500 }
`;

describe('sandbox rds cross-region read replica clusters', () => {
  const suite = rdsSandboxSuite(WORLD);
  const rds = (region: string) => suite.rds(region);
  const cluster = async (region: string, id: string): Promise<DBCluster> =>
    (await rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];
  const lag = (region: string, id: string) => suite.metric(region, 'AuroraBinlogReplicaLag', 'DBClusterIdentifier', id);

  test('DescribeDBClusters: the source lists its replica by ARN, the replica names its source by ARN; RDS is regional', async () => {
    const src = await cluster('us-east-1', 'orders-use1');
    assert.equal(src.Status, 'available');
    assert.equal(src.Engine, 'aurora-mysql');
    assert.equal(src.DBClusterArn, carn('us-east-1', 'orders-use1'));
    assert.deepEqual(src.ReadReplicaIdentifiers, [carn('eu-west-1', 'orders-euw1')]);
    assert.equal(src.ReplicationSourceIdentifier, undefined);
    const replica = await cluster('eu-west-1', 'ORDERS-EUW1');
    assert.equal(replica.ReplicationSourceIdentifier, carn('us-east-1', 'orders-use1'));
    assert.deepEqual(replica.ReadReplicaIdentifiers, []);
    assert.equal(replica.Endpoint, 'orders-euw1.cluster-c0ffee.eu-west-1.rds.amazonaws.com');
    assert.equal(replica.GlobalClusterIdentifier, undefined);
    const all = await rds('eu-west-1').send(new DescribeDBClustersCommand({}));
    assert.deepEqual(
      all.DBClusters?.map((c) => c.DBClusterIdentifier),
      ['orders-euw1'],
    );
    await rejectsAs(rds('eu-west-1').send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'orders-use1' })), 'DBClusterNotFoundFault', 404);
  });

  test('AuroraBinlogReplicaLag (seconds) in the replica region: steady, growing while the source is down, frozen at the cut', async () => {
    assert.equal(await lag('eu-west-1', 'orders-euw1'), 2.5);
    assert.equal(await lag('us-east-1', 'orders-euw1'), undefined, 'published in the replica region only');
    assert.equal(await lag('us-east-1', 'orders-use1'), undefined, 'a source has none');
    suite.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    suite.sb.control.advance(20_000);
    const grown = await lag('eu-west-1', 'orders-euw1');
    assert.ok(grown !== undefined && grown >= 22.5 && grown < 23, `lag grew with the outage: ${grown}`);
    await rds('eu-west-1').send(new PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: 'orders-euw1' }));
    const atCut = await lag('eu-west-1', 'orders-euw1');
    suite.sb.control.advance(60_000);
    assert.equal(await lag('eu-west-1', 'orders-euw1'), atCut, 'frozen at the cut while promoting');
  });

  test('PromoteReadReplicaDBCluster in the replica region, source down: promoting -> available, standalone', async () => {
    suite.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    const out = await rds('eu-west-1').send(new PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: 'orders-euw1' }));
    assert.equal(out.DBCluster?.Status, 'promoting');
    assert.equal(out.DBCluster?.ReplicationSourceIdentifier, carn('us-east-1', 'orders-use1'), 'still a replica until it is done');
    await rejectsAs(rds('eu-west-1').send(new PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: 'orders-euw1' })), 'InvalidDBClusterStateFault', 400);
    suite.sb.control.advance(240_000);
    const done = await cluster('eu-west-1', 'orders-euw1');
    assert.equal(done.Status, 'available');
    assert.equal(done.ReplicationSourceIdentifier, undefined);
    suite.sb.control.clearFaults();
    assert.deepEqual((await cluster('us-east-1', 'orders-use1')).ReadReplicaIdentifiers, [], 'the source no longer lists it');
  });

  test('PromoteReadReplicaDBCluster: not a replica is InvalidDBClusterStateFault (400); unknown or another region is DBClusterNotFoundFault (404)', async () => {
    await rejectsAs(rds('us-east-1').send(new PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: 'orders-use1' })), 'InvalidDBClusterStateFault', 400);
    await rejectsAs(rds('eu-west-1').send(new PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: 'ghost' })), 'DBClusterNotFoundFault', 404);
    await rejectsAs(
      rds('us-east-1').send(new PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: carn('eu-west-1', 'orders-euw1') })),
      'DBClusterNotFoundFault',
      404,
    );
    assert.equal((await cluster('eu-west-1', 'orders-euw1')).ReplicationSourceIdentifier, carn('us-east-1', 'orders-use1'), 'unchanged');
  });

  test('CreateDBInstanceReadReplica Tags come back as TagList, and stay when the replica is promoted', async () => {
    await rds('eu-west-1').send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'app-euw1' }));
    suite.sb.control.advance(300_000);
    const source = darn('eu-west-1', 'app-euw1');
    await rds('us-east-1').send(
      new CreateDBInstanceReadReplicaCommand({
        DBInstanceIdentifier: 'app-use1-r',
        SourceDBInstanceIdentifier: source,
        Tags: [{ Key: 'mr:replica-of', Value: source }],
      }),
    );
    suite.sb.control.advance(900_000);
    await rds('us-east-1').send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'app-use1-r' }));
    suite.sb.control.advance(300_000);
    const i = (await rds('us-east-1').send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'app-use1-r' }))).DBInstances![0];
    assert.equal(i.ReadReplicaSourceDBInstanceIdentifier, undefined);
    assert.deepEqual(i.TagList, [{ Key: 'mr:replica-of', Value: source }]);
  });
});
