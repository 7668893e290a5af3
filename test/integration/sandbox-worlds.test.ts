// The bundled worlds (src/sandbox/worlds/<name>/world.yaml): each loads and validates, starts a
// sandbox, and says what its comments say: latency records one per region governed by calculated
// checks over an app check and a control check; failover records PRIMARY/SECONDARY; the db and cache
// CNAMEs name the endpoints the sandbox's RDS and ElastiCache report for the writer and the primary.
// Also the world file's rules for calculated checks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { Route53Client, TestDNSAnswerCommand } from '@aws-sdk/client-route-53';
import { serviceModules } from '../../src/sandbox/services/index.js';
import { loadWorld, parseWorld } from '../../src/sandbox/world.js';
import type { WorldFile } from '../../src/sandbox/world-schema.js';
import { distRoot } from '../helpers/paths.js';
import { sdkConfig, withSandbox } from '../helpers/sandbox.js';

const sections = serviceModules.map((m) => m.stateKey);
const worldPath = (name: string) => join(distRoot, 'src/sandbox/worlds', name, 'world.yaml');

function checksOf(w: WorldFile) {
  return new Map((w.route53?.healthChecks ?? []).map((h) => [h.id, h]));
}

function cname(w: WorldFile, name: string): string {
  const r = w.route53!.zones[0]!.records.find((x) => x.name === name && x.type === 'CNAME');
  assert.ok(r?.values, `${name} CNAME`);
  return r.values[0]!;
}

/** The db and cache CNAMEs against what the sandbox's RDS and ElastiCache say about the writer and primary. */
async function dataNamesMatch(name: string, w: WorldFile, zone: string, opts: { aurora: boolean }): Promise<void> {
  await withSandbox({ world: worldPath(name) }, async (sb) => {
    const region = w.regions[0]!;
    const rds = new RDSClient(sdkConfig(sb.endpoint, region));
    const ec = new ElastiCacheClient(sdkConfig(sb.endpoint, region));
    const r53 = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1'));
    try {
      if (opts.aurora) {
        const writer = (await rds.send(new DescribeDBClustersCommand({}))).DBClusters?.find((c) => c.DBClusterMembers?.some((m) => m.IsClusterWriter));
        assert.equal(cname(w, `db.${zone}`), writer?.Endpoint);
      }
      const groups = (await ec.send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups ?? [];
      const primary = groups.find((g) => g.GlobalReplicationGroupInfo?.GlobalReplicationGroupMemberRole?.toLowerCase() === 'primary');
      assert.equal(cname(w, `cache.${zone}`), primary?.NodeGroups?.[0]?.PrimaryEndpoint?.Address);
      const answer = await r53.send(new TestDNSAnswerCommand({ HostedZoneId: w.route53!.zones[0]!.id, RecordName: `cache.${zone}`, RecordType: 'CNAME' }));
      assert.deepEqual(answer.RecordData, [primary?.NodeGroups?.[0]?.PrimaryEndpoint?.Address]);
    } finally {
      rds.destroy();
      ec.destroy();
      r53.destroy();
    }
  });
}

describe('bundled sandbox worlds', () => {
  test('latency: three regions, api and app latency records one per region, each governed by calculated(app, control) with threshold 2', async () => {
    const w = loadWorld(worldPath('latency'), sections);
    assert.deepEqual(w.regions, ['us-east-1', 'eu-west-1', 'ap-southeast-1']);
    const checks = checksOf(w);
    const zone = w.route53!.zones[0]!;
    for (const name of ['api.latency.example.com.', 'app.latency.example.com.']) {
      const records = zone.records.filter((r) => r.name === name);
      assert.deepEqual(records.map((r) => r.region).sort(), [...w.regions].sort(), name);
      for (const r of records) {
        const parent = checks.get(r.healthCheckId!);
        assert.equal(parent?.type, 'CALCULATED', `${name} ${r.region}`);
        if (parent?.type !== 'CALCULATED') continue;
        assert.equal(parent.healthThreshold, 2);
        const kids = parent.childHealthChecks.map((id) => checks.get(id)!);
        assert.deepEqual(kids.map((k) => (k.type === 'CALCULATED' ? 'calculated' : (k.watches ?? 'control'))).sort(), [r.region, 'control'].sort());
      }
    }
    assert.deepEqual(
      (w.aurora?.globalClusters ?? []).map((g) => g.members.map((m) => m.region)),
      [w.regions],
    );
    assert.deepEqual(
      (w.elasticache?.globalDatastores ?? []).map((g) => g.members.map((m) => m.region)),
      [w.regions],
    );
    assert.deepEqual(
      (w.ecs?.clusters ?? []).map((c) => c.region),
      w.regions,
    );
    await dataNamesMatch('latency', w, 'latency.example.com.', { aurora: true });
  });

  test('active-passive: us-east-1 primary, eu-west-1 warm standby, failover records with /api/v1/health checks (3 x 30 s)', async () => {
    const w = loadWorld(worldPath('active-passive'), sections);
    assert.deepEqual(w.regions, ['us-east-1', 'eu-west-1']);
    const checks = checksOf(w);
    const zone = w.route53!.zones[0]!;
    for (const name of ['api.active-passive.example.com.', 'app.active-passive.example.com.']) {
      const records = zone.records.filter((r) => r.name === name);
      assert.deepEqual(records.map((r) => r.failover).sort(), ['PRIMARY', 'SECONDARY'], name);
      const primary = checks.get(records.find((r) => r.failover === 'PRIMARY')!.healthCheckId!);
      assert.ok(primary && primary.type !== 'CALCULATED');
      assert.deepEqual([primary.watches, primary.resourcePath, primary.failureThreshold, primary.requestInterval], ['us-east-1', '/api/v1/health', 3, 30]);
    }
    assert.ok(
      zone.records.filter((r) => r.alias).every((r) => r.alias!.evaluateTargetHealth),
      'the api aliases evaluate target health',
    );
    const services = (region: string) => w.ecs!.clusters.find((c) => c.region === region)!.services as { desired: number }[];
    const desired = (region: string) => services(region).reduce((n, s) => n + s.desired, 0);
    assert.ok(desired('eu-west-1') < desired('us-east-1'), 'warm standby runs less');
    await dataNamesMatch('active-passive', w, 'active-passive.example.com.', { aurora: false });
  });

  test('a calculated check needs existing children and cannot include itself; a control check has no watches', () => {
    const base = readFileSync(worldPath('latency'), 'utf8');
    const parse = (text: string) => () => parseWorld(text, 'w.yaml', sections);
    assert.throws(
      parse(base.replace('childHealthChecks: [7a7e0000-0000-4000-8000-0000000a0001,', 'childHealthChecks: [7a7e0000-0000-4000-8000-0000000a0009,')),
      /route53\.healthChecks\[6\]\.childHealthChecks\[0\]: no health check 7a7e0000-0000-4000-8000-0000000a0009/,
    );
    assert.throws(
      parse(base.replace('childHealthChecks: [7a7e0000-0000-4000-8000-0000000a0001,', 'childHealthChecks: [7a7e0000-0000-4000-8000-0000000c0001,')),
      /route53\.healthChecks\[6\]\.childHealthChecks: 7a7e0000-0000-4000-8000-0000000c0001 includes itself/,
    );
    assert.throws(parse(base.replace('healthThreshold: 2 }', 'healthThreshold: 300 }')), /route53\.healthChecks\[6\]\.healthThreshold/);
    assert.throws(
      parse(base.replace('type: CALCULATED, childHealthChecks: [', 'type: CALCULATED, port: 443, childHealthChecks: [')),
      /route53\.healthChecks\[6\]/,
    );
    const w = parse(base)();
    const control = checksOf(w).get('7a7e0000-0000-4000-8000-0000000b0001');
    assert.ok(control && control.type !== 'CALCULATED' && control.watches === undefined);
  });
});
