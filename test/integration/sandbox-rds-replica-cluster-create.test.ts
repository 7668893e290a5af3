// The sandbox's return trip for read replica clusters through the real RDSClient over HTTP: CreateDBCluster with
// ReplicationSourceIdentifier (creating -> available, the source lists it, KmsKeyId for an encrypted source) and
// CreateDBInstance into the cluster (creating -> available, DBClusterMembers), with their faults.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, type DBCluster } from '@aws-sdk/client-rds';
import { rdsSandboxSuite, rejectsAs } from '../helpers/rds-sandbox-suite.js';

const ACCOUNT = '123456789012';
const carn = (region: string, id: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:${id}`;

const WORLD = `
account: "${ACCOUNT}"
regions: [us-east-1, eu-west-1]
durations: { rdsPromote: 240, rdsCreateReplica: 900 }
rds:
  clusters:
    - { id: orders-euw1, region: eu-west-1 }
    - { id: plain-euw1, region: eu-west-1, encrypted: false }
`;

describe('sandbox rds CreateDBCluster (read replica form) and CreateDBInstance into it', () => {
  const suite = rdsSandboxSuite(WORLD);
  const rds = (region: string) => suite.rds(region);
  const cluster = async (region: string, id: string): Promise<DBCluster> =>
    (await rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];
  const create = (id: string, source: string, extra: Record<string, unknown> = {}) =>
    rds('us-east-1').send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: 'aurora-mysql', ReplicationSourceIdentifier: source, ...extra }));

  test('the replica cluster is creating, then available and headless; its instance makes it serve; the source lists it', async () => {
    const out = await create('orders-use1-r', carn('eu-west-1', 'orders-euw1'), { KmsKeyId: 'alias/orders', Tags: [{ Key: 'mr:replica-of', Value: 'x' }] });
    assert.equal(out.DBCluster?.Status, 'creating');
    assert.equal(out.DBCluster?.ReplicationSourceIdentifier, carn('eu-west-1', 'orders-euw1'));
    assert.equal(out.DBCluster?.KmsKeyId, 'alias/orders');
    await rejectsAs(
      rds('us-east-1').send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: 'i1',
          DBClusterIdentifier: 'orders-use1-r',
          Engine: 'aurora-mysql',
          DBInstanceClass: 'db.r6g.large',
        }),
      ),
      'InvalidDBClusterStateFault',
      400,
    );
    suite.sb.control.advance(900_000);
    const built = await cluster('us-east-1', 'orders-use1-r');
    assert.deepEqual([built.Status, built.DBClusterMembers], ['available', []]);
    assert.deepEqual(built.TagList, [{ Key: 'mr:replica-of', Value: 'x' }]);
    assert.deepEqual((await cluster('eu-west-1', 'orders-euw1')).ReadReplicaIdentifiers, [carn('us-east-1', 'orders-use1-r')]);
    const i = await rds('us-east-1').send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'orders-use1-r-instance-1',
        DBClusterIdentifier: 'orders-use1-r',
        Engine: 'aurora-mysql',
        DBInstanceClass: 'db.r6g.xlarge',
      }),
    );
    assert.deepEqual([i.DBInstance?.DBInstanceStatus, i.DBInstance?.DBClusterIdentifier], ['creating', 'orders-use1-r']);
    suite.sb.control.advance(300_000);
    const members = (await cluster('us-east-1', 'orders-use1-r')).DBClusterMembers;
    assert.deepEqual(
      members?.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter]),
      [['orders-use1-r-instance-1', true]],
    );
    const read = (await rds('us-east-1').send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-use1-r-instance-1' }))).DBInstances![0];
    assert.deepEqual([read.DBInstanceStatus, read.DBInstanceClass], ['available', 'db.r6g.xlarge']);
    // A world cluster's writer instance is a DB instance too.
    const w = (await rds('eu-west-1').send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-euw1-instance-1' }))).DBInstances![0];
    assert.equal(w.DBClusterIdentifier, 'orders-euw1');
  });

  test('faults: encrypted source without KmsKeyId, a key of another region, unknown source, duplicate, not a replica form', async () => {
    await rejectsAs(create('a', carn('eu-west-1', 'orders-euw1')), 'KMSKeyNotAccessibleFault', 400);
    await rejectsAs(create('a', carn('eu-west-1', 'orders-euw1'), { KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/abc' }), 'KMSKeyNotAccessibleFault', 400);
    await rejectsAs(create('a', carn('eu-west-1', 'ghost')), 'DBClusterNotFoundFault', 404);
    await rejectsAs(create('a', 'orders-euw1'), 'DBClusterNotFoundFault', 404);
    await rejectsAs(rds('us-east-1').send(new CreateDBClusterCommand({ DBClusterIdentifier: 'a', Engine: 'aurora-mysql' })), 'InvalidParameterValue', 400);
    await create('p', carn('eu-west-1', 'plain-euw1'));
    await rejectsAs(create('p', carn('eu-west-1', 'plain-euw1')), 'DBClusterAlreadyExistsFault', 400);
    suite.sb.control.setFaults({ regionsDown: ['eu-west-1'] });
    await rejectsAs(create('q', carn('eu-west-1', 'plain-euw1')), 'InvalidDBClusterStateFault', 400);
    suite.sb.control.clearFaults();
    await rejectsAs(
      rds('us-east-1').send(
        new CreateDBInstanceCommand({ DBInstanceIdentifier: 'i', DBClusterIdentifier: 'ghost', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }),
      ),
      'DBClusterNotFoundFault',
      404,
    );
    assert.deepEqual(
      (await rds('us-east-1').send(new DescribeDBClustersCommand({}))).DBClusters?.map((c) => c.DBClusterIdentifier),
      ['p'],
      'nothing else was created',
    );
  });
});
