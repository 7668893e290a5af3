// Issue 10 item 2: the Global Datastore's replication lag (GlobalDatastoreReplicationLag, AWS/ElastiCache,
// seconds, per cache cluster) as the sandbox publishes it and mr's CloudWatch adapter reads it, through the
// real SDK clients over HTTP: steady on a secondary, growing while the primary's region is down, frozen
// while a promotion runs, absent on the primary (null, never 0).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ElastiCacheClient, FailoverGlobalReplicationGroupCommand } from '@aws-sdk/client-elasticache';
import { createAws } from '../../src/aws/factory.js';
import type { Aws } from '../../src/aws/types.js';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };
const MINUTE = 60_000;

describe('Global Datastore replication lag in CloudWatch', () => {
  let sb: SandboxHandle;
  let aws: Aws;
  const lagOf = async (region: string, rg: string) => {
    const group = await aws.elasticache(region).readReplicationGroup(rg);
    return aws.cloudwatch(region).datastoreReplicationLag(group.memberClusters ?? []);
  };

  before(async () => {
    // Time scale 1: the simulated clock moves only by control.advance() as far as these tests can tell.
    sb = await withSandbox({ timeScale: 1 });
    aws = createAws({ endpointUrl: sb.endpoint, credentials, userAgentSuffix: 'mr/0.1.0 run/test' });
  });
  after(async () => {
    aws.destroy();
    await sb.stop();
  });
  beforeEach(() => {
    sb.control.reset();
    sb.control.advance(10 * MINUTE);
  });

  test('a secondary: its cache clusters publish the steady lag in its region, in seconds; mr reads it in ms', async () => {
    const group = await aws.elasticache('eu-west-1').readReplicationGroup('demo-sessions-euw1');
    assert.deepEqual(group.memberClusters, ['demo-sessions-euw1-001', 'demo-sessions-euw1-002']);
    assert.equal(await lagOf('eu-west-1', 'demo-sessions-euw1'), 200);
    const calls = sb.control.calls().filter((c) => c.operation === 'GetMetricData');
    assert.deepEqual(
      calls.map((c) => `${c.service} ${c.region}`),
      ['monitoring eu-west-1'],
      'one GetMetricData for every cluster of the group, in its region',
    );

    // The wire form: namespace AWS/ElastiCache, node-level dimensions, seconds.
    const cw = new CloudWatchClient(sdkConfig(sb.endpoint, 'eu-west-1', 1));
    try {
      const res = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(sb.control.now() - 5 * MINUTE),
          EndTime: new Date(sb.control.now()),
          MetricDataQueries: [
            {
              Id: 'node',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/ElastiCache',
                  MetricName: 'GlobalDatastoreReplicationLag',
                  Dimensions: [
                    { Name: 'CacheClusterId', Value: 'demo-sessions-euw1-001' },
                    { Name: 'CacheNodeId', Value: '0001' },
                  ],
                },
                Period: 60,
                Stat: 'Maximum',
              },
            },
            {
              Id: 'elsewhere',
              MetricStat: {
                // The same cluster asked for in the wrong namespace: nothing.
                Metric: {
                  Namespace: 'AWS/RDS',
                  MetricName: 'GlobalDatastoreReplicationLag',
                  Dimensions: [{ Name: 'CacheClusterId', Value: 'demo-sessions-euw1-001' }],
                },
                Period: 60,
                Stat: 'Maximum',
              },
            },
          ],
        }),
      );
      const [node, elsewhere] = res.MetricDataResults!;
      assert.ok(node.Values!.length >= 5 && node.Values!.every((v) => v === 0.2), JSON.stringify(node.Values));
      assert.deepEqual(elsewhere.Values, []);
    } finally {
      cw.destroy();
    }
  });

  test('the primary and a cluster asked for in another region have no datapoint: null, not 0', async () => {
    assert.equal(await lagOf('us-east-1', 'demo-sessions-use1'), null);
    assert.equal(await aws.cloudwatch('us-west-2').datastoreReplicationLag(['demo-sessions-euw1-001']), null);
    assert.equal(await aws.cloudwatch('eu-west-1').datastoreReplicationLag([]), null);
  });

  test("the primary's region down: the lag grows with the outage, is frozen while the promotion runs, and the new primary has none", async () => {
    sb.control.setFaults({ regionsDown: ['us-east-1'] });
    sb.control.advance(MINUTE);
    const grown = await lagOf('eu-west-1', 'demo-sessions-euw1');
    assert.ok(grown !== null && grown >= 60_200 && grown < 62_000, String(grown));

    const ec = new ElastiCacheClient(sdkConfig(sb.endpoint, 'eu-west-1', 1));
    try {
      await ec.send(
        new FailoverGlobalReplicationGroupCommand({
          GlobalReplicationGroupId: 'ldgnf-demo-sessions',
          PrimaryRegion: 'eu-west-1',
          PrimaryReplicationGroupId: 'demo-sessions-euw1',
        }),
      );
    } finally {
      ec.destroy();
    }
    sb.control.advance(20_000); // the demo world's promotion takes 50 simulated seconds
    const frozen = await lagOf('eu-west-1', 'demo-sessions-euw1');
    assert.ok(frozen !== null && Math.abs(frozen - grown) < 2_000, `${frozen} vs ${grown}`);
    // The other secondary keeps losing ground until the new primary takes over.
    const other = await lagOf('us-west-2', 'demo-sessions-usw2');
    assert.ok(other !== null && other >= 80_000, String(other));

    sb.control.advance(31_000 + 5 * MINUTE);
    assert.equal(await lagOf('eu-west-1', 'demo-sessions-euw1'), null);
    assert.equal(await lagOf('us-west-2', 'demo-sessions-usw2'), 200, 'replicates from the new primary, whose region is up');
  });
});
