// The regional adapters (RDS, ElastiCache, ECS, STS, CloudWatch) through the real SDK clients, over HTTP,
// against the sandbox's demo world: reads, the mutations and their convergence, modelled errors, a region down.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { createAws } from '../../src/aws/factory.js';
import { isAwsCallError } from '../../src/aws/errors.js';
import type { Aws } from '../../src/aws/types.js';
import { recordingSink } from '../helpers/fake-aws.js';

const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };
const ACCOUNT = '123456789012';
const arnOf = (region: string, clusterId: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:${clusterId}`;
const TEN_MINUTES = 10 * 60_000;

describe('regional adapters against the sandbox', () => {
  let sb: SandboxHandle;
  let aws: Aws;

  before(async () => {
    // No scalable targets: these are the ECS adapter's own behaviours, without the demo's scaling
    // policies (an idle standby's hand-set count is scaled back in after their cooldown).
    sb = await startSandbox({ timeScale: 600, port: 0, worldOverrides: (w) => void delete (w as Record<string, unknown>)['application-autoscaling'] });
    aws = createAws({ endpointUrl: sb.endpoint, credentials, userAgentSuffix: 'mr/0.1.0 run/test' });
  });
  after(async () => {
    aws.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  describe('rds', () => {
    test('readGlobalCluster: members with region and id from their ARNs, one writer, no failover', async () => {
      const gc = await aws.rds('eu-west-1').readGlobalCluster('demo-global');
      assert.equal(gc.id, 'demo-global');
      assert.equal(gc.status, 'available');
      assert.equal(gc.engine, 'aurora-postgresql');
      assert.equal(gc.failover, undefined);
      const members = gc.members.map((m) => [m.clusterId, m.region, m.isWriter, m.clusterArn]).sort();
      assert.deepEqual(members, [
        ['demo-euw1', 'eu-west-1', false, arnOf('eu-west-1', 'demo-euw1')],
        ['demo-use1', 'us-east-1', true, arnOf('us-east-1', 'demo-use1')],
        ['demo-usw2', 'us-west-2', false, arnOf('us-west-2', 'demo-usw2')],
      ]);
      assert.ok(gc.members.filter((m) => !m.isWriter).every((m) => m.syncStatus === 'connected'));
    });

    test('readDbCluster in its own region', async () => {
      const c = await aws.rds('eu-west-1').readDbCluster('demo-euw1');
      assert.equal(c.id, 'demo-euw1');
      assert.equal(c.arn, arnOf('eu-west-1', 'demo-euw1'));
      assert.equal(c.region, 'eu-west-1');
      assert.equal(c.status, 'available');
      assert.equal(c.globalClusterId, 'demo-global');
      assert.ok(c.endpoint);
    });

    test('a modelled error keeps its SDK name, status and request id', async () => {
      await assert.rejects(aws.rds('eu-west-1').readDbCluster('no-such-cluster'), (e: unknown) => {
        assert.ok(isAwsCallError(e));
        assert.equal(e.code, 'DBClusterNotFoundFault');
        assert.equal(e.details.httpStatus, 404);
        assert.ok(e.details.requestId);
        assert.equal(e.details.unreachable, false);
        assert.equal(e.oneLine().startsWith('rds DescribeDBClusters in eu-west-1: DBClusterNotFoundFault: '), true);
        return true;
      });
    });

    test('switchover from the primary region: immediate response, then the writer moves', async () => {
      const res = await aws.mutating(recordingSink()).rds('us-east-1').switchoverGlobalCluster('demo-global', arnOf('eu-west-1', 'demo-euw1'));
      assert.ok(res.requestId);
      assert.equal(res.id, 'demo-global');
      assert.equal(res.status, 'switching-over');
      assert.equal(res.failover?.dataLossAllowed, false);
      assert.equal(res.failover?.toArn, arnOf('eu-west-1', 'demo-euw1'));
      const call = sb.control.calls().find((c) => c.operation === 'SwitchoverGlobalCluster');
      assert.equal(call?.region, 'us-east-1');
      sb.control.advance(TEN_MINUTES);
      const done = await aws.rds('eu-west-1').readGlobalCluster('demo-global');
      assert.equal(done.members.find((m) => m.isWriter)?.clusterId, 'demo-euw1');
      assert.equal(done.failover, undefined);
    });

    test('failover with data loss from the target region, while the primary region is down', async () => {
      sb.control.setFaults({ regionsDown: ['us-east-1'] });
      const res = await aws.mutating(recordingSink()).rds('eu-west-1').failoverGlobalCluster('demo-global', arnOf('eu-west-1', 'demo-euw1'));
      assert.ok(res.requestId);
      assert.equal(res.status, 'failing-over');
      assert.equal(res.failover?.dataLossAllowed, true);
      sb.control.advance(TEN_MINUTES);
      const done = await aws.rds('eu-west-1').readGlobalCluster('demo-global');
      assert.equal(done.members.find((m) => m.isWriter)?.clusterId, 'demo-euw1');
    });

    test('a region that is down is unreachable: ECONNRESET after the configured attempts', async () => {
      sb.control.setFaults({ regionsDown: ['us-east-1'] });
      await assert.rejects(aws.rds('us-east-1').readDbCluster('demo-use1'), (e: unknown) => {
        assert.ok(isAwsCallError(e));
        assert.equal(e.code, 'ECONNRESET');
        assert.equal(e.details.unreachable, true);
        assert.equal(e.details.attempts, 3);
        assert.equal(e.region, 'us-east-1');
        return true;
      });
      const resets = sb.control.calls().filter((c) => c.region === 'us-east-1' && c.status === 0);
      assert.equal(resets.length, 3);
      // The other regions still answer.
      assert.equal((await aws.rds('eu-west-1').readDbCluster('demo-euw1')).status, 'available');
    });
  });

  describe('elasticache', () => {
    test('readGlobalDatastore lists members with regions and roles', async () => {
      const g = await aws.elasticache('eu-west-1').readGlobalDatastore('ldgnf-demo-sessions');
      assert.equal(g.id, 'ldgnf-demo-sessions');
      assert.equal(g.status, 'available');
      assert.equal(g.engine, 'valkey');
      assert.deepEqual(g.members.map((m) => [m.replicationGroupId, m.region, m.role]).sort(), [
        ['demo-sessions-euw1', 'eu-west-1', 'SECONDARY'],
        ['demo-sessions-use1', 'us-east-1', 'PRIMARY'],
        ['demo-sessions-usw2', 'us-west-2', 'SECONDARY'],
      ]);
    });

    test('readReplicationGroup carries the global role', async () => {
      const r = await aws.elasticache('eu-west-1').readReplicationGroup('demo-sessions-euw1');
      // The primary endpoint too: the cache name follows it after a promotion (route53.point).
      assert.deepEqual(r, {
        id: 'demo-sessions-euw1',
        status: 'available',
        globalRole: 'SECONDARY',
        endpoint: 'master.demo-sessions-euw1.c0ffee.euw1.cache.amazonaws.com',
        // Where ElastiCache publishes node-level metrics such as GlobalDatastoreReplicationLag.
        memberClusters: ['demo-sessions-euw1-001', 'demo-sessions-euw1-002'],
      });
    });

    test('failoverGlobalDatastore names the new primary; it becomes primary after the failover', async () => {
      const res = await aws
        .mutating(recordingSink())
        .elasticache('eu-west-1')
        .failoverGlobalDatastore('ldgnf-demo-sessions', 'eu-west-1', 'demo-sessions-euw1');
      assert.ok(res.requestId);
      assert.equal(res.id, 'ldgnf-demo-sessions');
      assert.equal(res.status, 'modifying');
      sb.control.advance(TEN_MINUTES);
      const g = await aws.elasticache('eu-west-1').readGlobalDatastore('ldgnf-demo-sessions');
      assert.equal(g.status, 'available');
      assert.equal(g.members.find((m) => m.role === 'PRIMARY')?.replicationGroupId, 'demo-sessions-euw1');
    });

    test('an unknown datastore is GlobalReplicationGroupNotFoundFault', async () => {
      await assert.rejects(aws.elasticache('eu-west-1').readGlobalDatastore('ldgnf-nope'), (e: unknown) => {
        assert.ok(isAwsCallError(e));
        assert.equal(e.code, 'GlobalReplicationGroupNotFoundFault');
        assert.equal(e.details.httpStatus, 404);
        return true;
      });
    });
  });

  describe('ecs', () => {
    test('describeServices in request order, a missing service as MISSING', async () => {
      const services = await aws.ecs('eu-west-1').describeServices('demo-euw1', ['worker', 'nope', 'api']);
      assert.deepEqual(
        services.map((s) => [s.name, s.status, s.desired]),
        [
          ['worker', 'ACTIVE', 1],
          ['nope', 'MISSING', 0],
          ['api', 'ACTIVE', 2],
        ],
      );
      assert.ok(services.every((s) => s.cluster === 'demo-euw1'));
      assert.ok(services[2].arn?.endsWith('/api'));
    });

    test('more than 10 services are read in chunks of 10', async () => {
      const names = Array.from({ length: 23 }, (_, i) => (i === 0 ? 'api' : `svc-${i}`));
      const services = await aws.ecs('us-east-1').describeServices('demo-use1', names);
      assert.equal(services.length, 23);
      assert.deepEqual(
        services.map((s) => s.name),
        names,
      );
      assert.equal(services[0].status, 'ACTIVE');
      assert.ok(services.slice(1).every((s) => s.status === 'MISSING'));
      assert.equal(sb.control.calls().filter((c) => c.operation === 'DescribeServices').length, 3);
    });

    test('updateDesiredCount changes only the desired count; running converges', async () => {
      const res = await aws.mutating(recordingSink()).ecs('eu-west-1').updateDesiredCount('demo-euw1', 'api', 6);
      assert.ok(res.requestId);
      assert.equal(res.name, 'api');
      assert.equal(res.desired, 6);
      assert.equal(res.deployments, 1);
      sb.control.advance(TEN_MINUTES);
      const [api] = await aws.ecs('eu-west-1').describeServices('demo-euw1', ['api']);
      assert.deepEqual([api.desired, api.running, api.pending], [6, 6, 0]);
    });

    test('updating a missing service is ServiceNotFoundException', async () => {
      await assert.rejects(aws.mutating(recordingSink()).ecs('eu-west-1').updateDesiredCount('demo-euw1', 'nope', 1), (e: unknown) => {
        assert.ok(isAwsCallError(e));
        assert.equal(e.code, 'ServiceNotFoundException');
        assert.equal(e.details.httpStatus, 400);
        return true;
      });
    });
  });

  describe('sts and cloudwatch', () => {
    test('callerIdentity names the sandbox account', async () => {
      const id = await aws.sts('us-west-2').callerIdentity();
      assert.equal(id.account, ACCOUNT);
      assert.match(id.arn, /^arn:aws:(iam|sts)::123456789012:/);
      assert.ok(id.userId);
    });

    test("auroraReplicationLags of a secondary, read in its region in one call, is the simulated lag under its engine's metric", async () => {
      // The demo cluster is Aurora PostgreSQL: its lag is AuroraGlobalDBRPOLag (src/aws/aurora-engine.ts),
      // and the sandbox publishes only that one.
      const before = sb.control.calls().filter((c) => c.operation === 'GetMetricData').length;
      const lags = await aws.cloudwatch('eu-west-1').auroraReplicationLags('demo-euw1');
      const lag = lags.AuroraGlobalDBRPOLag;
      assert.ok(lag !== null && lag >= 0 && lag < 1000, String(lag));
      assert.equal(lags.AuroraGlobalDBReplicationLag, null);
      const calls = sb.control.calls().filter((c) => c.operation === 'GetMetricData');
      assert.equal(calls.length - before, 1, 'both metrics in one GetMetricData');
      assert.equal(calls.at(-1)?.service, 'monitoring');
      assert.equal(calls.at(-1)?.region, 'eu-west-1');
    });

    test('no datapoints (the writer has no lag metric) gives null', async () => {
      assert.deepEqual(await aws.cloudwatch('us-east-1').auroraReplicationLags('demo-use1'), {
        AuroraGlobalDBRPOLag: null,
        AuroraGlobalDBReplicationLag: null,
      });
    });
  });
});
