import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { demoTopology } from '../helpers/paths.js';
import { parseTopology } from '../../src/config/load.js';
import { gather } from '../../src/inspect/gather.js';
import { firstAnswer } from '../../src/inspect/observe.js';
import { judge } from '../../src/inspect/judge.js';
import { AwsCallError } from '../../src/aws/errors.js';
import type { Aws } from '../../src/aws/types.js';
import { fakeAws } from '../helpers/fake-aws.js';

const topology = parseTopology(readFileSync(demoTopology, 'utf8'), 'demo.yaml');
const SHORT: Record<string, string> = { 'us-east-1': 'use1', 'eu-west-1': 'euw1', 'us-west-2': 'usw2' };
const arn = (r: string) => `arn:aws:rds:${r}:123456789012:cluster:demo-${SHORT[r]}`;

/** A fake Aws over the demo world: `dead` regions reset connections, `silent` ones never answer. Every call is logged. */
function demoAws(opts: { dead?: string[]; silent?: string[]; route53Dead?: boolean; clustersHeld?: Promise<void> } = {}) {
  const calls: string[] = [];
  const gate = (service: string, region: string, op: string) => {
    calls.push(`${service} ${region} ${op}`);
    if (opts.silent?.includes(region)) return new Promise<never>(() => {});
    const dead = service === 'route53' ? opts.route53Dead : opts.dead?.includes(region);
    if (dead) return Promise.reject(new AwsCallError(service, region, op, 'ECONNRESET', 'socket hang up', { unreachable: true, throttled: false }));
    return Promise.resolve();
  };
  const hc = (id: string) => ({ id, version: 1, config: { type: 'HTTPS', port: 443, inverted: false, disabled: false } });
  const aws: Aws = fakeAws({
    route53: () => ({
      readRecords: async (_z, name, type) => {
        await gate('route53', 'us-east-1', `ListResourceRecordSets ${name} ${type}`);
        return Object.values(SHORT).map((sid) => ({ name, type, setIdentifier: sid, weight: sid === 'use1' ? 100 : 0 }));
      },
      changeRecords: async () => assert.fail('gather must not write'),
      getHealthCheck: async (id) => (await gate('route53', 'us-east-1', 'GetHealthCheck'), hc(id)),
      getHealthCheckStatus: async () => (
        await gate('route53', 'us-east-1', 'GetHealthCheckStatus'),
        [{ checkerRegion: 'us-east-1', status: 'Success: HTTP Status Code 200, OK', healthy: true }]
      ),
      getHealthCheckLastFailureReason: async () => (await gate('route53', 'us-east-1', 'GetHealthCheckLastFailureReason'), []),
    }),
    rds: (region) => ({
      readGlobalCluster: async (id) => {
        await gate('rds', region, 'DescribeGlobalClusters');
        return {
          id,
          arn: 'arn:g',
          status: 'available',
          members: Object.keys(SHORT).map((r) => ({
            clusterArn: arn(r),
            clusterId: `demo-${SHORT[r]}`,
            region: r,
            isWriter: r === 'us-east-1',
            syncStatus: 'connected',
            readers: [],
          })),
        };
      },
      readDbCluster: async (id) => {
        await gate('rds', region, 'DescribeDBClusters');
        await opts.clustersHeld;
        return { id, arn: arn(region), region, status: 'available', engine: 'aurora-postgresql', engineVersion: '16.4' };
      },
      switchoverGlobalCluster: async () => assert.fail('gather must not write'),
      failoverGlobalCluster: async () => assert.fail('gather must not write'),
    }),
    elasticache: (region) => ({
      readGlobalDatastore: async (id) => {
        await gate('elasticache', region, 'DescribeGlobalReplicationGroups');
        return {
          id,
          status: 'available',
          members: Object.keys(SHORT).map((r) => ({
            replicationGroupId: `demo-sessions-${SHORT[r]}`,
            region: r,
            role: r === 'us-east-1' ? 'PRIMARY' : 'SECONDARY',
            status: 'associated',
          })),
        };
      },
      readReplicationGroup: async (id) => (await gate('elasticache', region, 'DescribeReplicationGroups'), { id, status: 'available' }),
      failoverGlobalDatastore: async () => assert.fail('gather must not write'),
    }),
    ecs: (region) => ({
      describeServices: async (cluster, names) => {
        await gate('ecs', region, `DescribeServices ${names.join(',')}`);
        return names.map((name) => ({ cluster, name, status: 'ACTIVE', desired: 6, running: 6, pending: 0, deployments: 1 }));
      },
      updateDesiredCount: async () => assert.fail('gather must not write'),
    }),
    cloudwatch: (region) => ({
      auroraReplicationLags: async () => {
        await gate('cloudwatch', region, 'GetMetricData');
        // Aurora PostgreSQL publishes AuroraGlobalDBRPOLag; the other figure is there to be left unread.
        return region === 'us-east-1'
          ? { AuroraGlobalDBRPOLag: null, AuroraGlobalDBReplicationLag: null }
          : { AuroraGlobalDBRPOLag: 90, AuroraGlobalDBReplicationLag: 7000 };
      },
    }),
  });
  return { aws, calls };
}

describe('gather', () => {
  test('reads every region and service once; records by name and type', async () => {
    const { aws, calls } = demoAws();
    const s = await gather(topology, aws, { timeoutMs: 1000, now: () => new Date('2030-01-01T00:00:00Z') });
    assert.equal(s.observedAt, '2030-01-01T00:00:00.000Z');
    assert.deepEqual(s.unreachable, {});
    assert.deepEqual(calls.filter((c) => c.includes('ListResourceRecordSets')).sort(), [
      'route53 us-east-1 ListResourceRecordSets api.demo.example.com. A',
      'route53 us-east-1 ListResourceRecordSets app.demo.example.com. CNAME',
    ]);
    // The global cluster and the datastore are read once, in the first region, when it answers.
    assert.deepEqual(
      calls.filter((c) => c.includes('DescribeGlobal')),
      ['rds us-east-1 DescribeGlobalClusters', 'elasticache us-east-1 DescribeGlobalReplicationGroups'],
    );
    assert.equal(calls.filter((c) => c.startsWith('ecs ')).length, 3);
    assert.equal(calls.filter((c) => c.includes('GetHealthCheckLastFailureReason')).length, 0);
    const api = s.route53!.records[0];
    assert.ok(api.ok);
    assert.deepEqual(
      api.value.sets.map((x) => [x.region, x.weight]),
      [
        ['us-east-1', 100],
        ['eu-west-1', 0],
        ['us-west-2', 0],
      ],
    );
    assert.deepEqual(s.aurora!.lagMs['eu-west-1'], { ok: true, value: 90 });
    const ecs = s.ecs!['us-west-2'];
    assert.ok(ecs.ok);
    assert.deepEqual(
      ecs.value.services.map((x) => [x.name, x.capacity]),
      [
        ['api', 6],
        ['worker', 4],
      ],
    );
  });

  test("each region's lag read goes out at once, not after its cluster's engine is known, and the engine picks the metric", async () => {
    let release!: () => void;
    const clustersHeld = new Promise<void>((r) => (release = r));
    const { aws, calls } = demoAws({ clustersHeld });
    const s = gather(topology, aws, { timeoutMs: 1000 });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(calls.filter((c) => c.startsWith('cloudwatch ')).length, 3, calls.join('\n'));
    release();
    const lag = (await s).aurora!.lagMs;
    assert.deepEqual(lag['eu-west-1'], { ok: true, value: 90 });
    assert.deepEqual(lag['us-east-1'], { ok: true, value: null });
  });

  test('a dead region is reported unreachable and does not hide the others; the global cluster is read elsewhere', async () => {
    const { aws } = demoAws({ dead: ['us-east-1'] });
    const s = await gather(topology, aws, { timeoutMs: 1000 });
    assert.deepEqual(Object.keys(s.unreachable), ['us-east-1']);
    assert.match(s.unreachable['us-east-1'], /ECONNRESET: socket hang up/);
    assert.equal(s.aurora!.global.ok && s.aurora!.global.value.readIn, 'eu-west-1');
    assert.equal(s.elasticache!.datastore.ok && s.elasticache!.datastore.value.readIn, 'eu-west-1');
    assert.equal(s.ecs!['eu-west-1'].ok, true);
    assert.equal(s.ecs!['us-east-1'].ok, false);
    assert.equal(judge(s, topology)[0].message.startsWith('us-east-1: unreachable: '), true);
  });

  test('a region that never answers is cut off at the bound and the rest still arrive', async () => {
    const { aws } = demoAws({ silent: ['us-west-2'] });
    const s = await gather(topology, aws, { timeoutMs: 60, hedgeMs: 10 });
    assert.match(s.unreachable['us-west-2'], /no answer within 60ms/);
    assert.equal(s.ecs!['us-east-1'].ok, true);
    assert.equal(s.aurora!.clusters['eu-west-1'].ok, true);
  });

  test('first answer wins: a silent first region hands over to the next after the hedge', async () => {
    const asked: string[] = [];
    const r = await firstAnswer(
      ['a', 'b', 'c'],
      (region) => {
        asked.push(region);
        return region === 'a' ? new Promise<never>(() => {}) : Promise.resolve({ v: region });
      },
      { timeoutMs: 1000, hedgeMs: 5 },
    );
    assert.deepEqual(r, { ok: true, value: { v: 'b', readIn: 'b' } });
    assert.deepEqual(asked, ['a', 'b']);
    const none = await firstAnswer(
      ['a', 'b'],
      (region) => Promise.reject(new AwsCallError('rds', region, 'X', 'ECONNRESET', 'reset', { unreachable: true, throttled: false })),
      { timeoutMs: 1000, hedgeMs: 5 },
    );
    assert.deepEqual(none, { ok: false, error: 'no region answered (a: ECONNRESET: reset; b: ECONNRESET: reset)', unreachable: true });
  });

  test('the Route 53 control plane down is not blamed on a region', async () => {
    const { aws } = demoAws({ route53Dead: true });
    const s = await gather(topology, aws, { timeoutMs: 1000 });
    assert.deepEqual(s.unreachable, {});
    assert.equal(
      s.route53!.records.every((r) => !r.ok && r.unreachable),
      true,
    );
    assert.match(judge(s, topology)[0].message, /^route 53 control plane \(us-east-1\) unreachable/);
  });
});
