// A hand-fed world for unit tests of step planning (over test/helpers/fake-aws.ts): each read returns the state the test set, and
// every call is logged as "service region operation" so tests can assert where calls went.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AwsCallError } from '../../src/aws/errors.js';
import type { Aws, DbClusterInfo, EcsServiceInfo, GlobalClusterInfo, GlobalDatastoreInfo, HealthCheckObservation, RecordSet } from '../../src/aws/types.js';
import { topologySchema, type Topology } from '../../src/config/schema.js';
import type { RunBaseContext } from '../../src/engine/types.js';
import { fakeAws } from '../helpers/fake-aws.js';
import { demoTopology } from '../helpers/paths.js';

export function demo(): Topology {
  return topologySchema.parse(parse(readFileSync(demoTopology, 'utf8')));
}

const arn = (region: string, id: string) => `arn:aws:rds:${region}:123456789012:cluster:${id}`;

export class FakeState {
  calls: string[] = [];
  global: GlobalClusterInfo = {
    id: 'demo-global',
    arn: 'arn:aws:rds::123456789012:global-cluster:demo-global',
    status: 'available',
    members: [
      { clusterArn: arn('us-east-1', 'demo-use1'), clusterId: 'demo-use1', region: 'us-east-1', isWriter: true, syncStatus: 'connected', readers: [] },
      { clusterArn: arn('eu-west-1', 'demo-euw1'), clusterId: 'demo-euw1', region: 'eu-west-1', isWriter: false, syncStatus: 'connected', readers: [] },
      { clusterArn: arn('us-west-2', 'demo-usw2'), clusterId: 'demo-usw2', region: 'us-west-2', isWriter: false, syncStatus: 'connected', readers: [] },
    ],
  };
  clusterStatus: Record<string, string> = {};
  replicationGroupStatus: Record<string, string> = {};
  lag: Record<string, number | null> = { 'demo-euw1': 80, 'demo-usw2': 120 };
  /** GlobalDatastoreReplicationLag (ms) of the secondary replication group in a region. */
  cacheLag: Record<string, number | null> = { 'eu-west-1': 200, 'us-west-2': 300 };
  datastore: GlobalDatastoreInfo = {
    id: 'ldgnf-demo-sessions',
    status: 'available',
    members: [
      { replicationGroupId: 'demo-sessions-use1', region: 'us-east-1', role: 'PRIMARY', status: 'associated' },
      { replicationGroupId: 'demo-sessions-euw1', region: 'eu-west-1', role: 'SECONDARY', status: 'associated' },
      { replicationGroupId: 'demo-sessions-usw2', region: 'us-west-2', role: 'SECONDARY', status: 'associated' },
    ],
  };
  services: Record<string, EcsServiceInfo[]> = {};
  records: RecordSet[] = [];
  /** Scalable targets by "region cluster/service" (none by default: not under Application Auto Scaling). */
  scalable: Record<string, { min: number; max: number }> = {};
  healthy: Record<string, boolean> = { 'us-east-1': true, 'eu-west-1': true, 'us-west-2': true };
  down = new Set<string>();

  constructor() {
    for (const [region, cluster] of [
      ['us-east-1', 'demo-use1'],
      ['eu-west-1', 'demo-euw1'],
      ['us-west-2', 'demo-usw2'],
    ]) {
      this.services[region] = [
        { cluster, name: 'api', status: 'ACTIVE', desired: 2, running: 2, pending: 0, deployments: 1 },
        { cluster, name: 'worker', status: 'ACTIVE', desired: 1, running: 1, pending: 0, deployments: 1 },
      ];
    }
    for (const [name, type, ttl] of [
      ['api.demo.example.com.', 'A', 60],
      ['app.demo.example.com.', 'CNAME', 300],
    ] as const) {
      for (const [setIdentifier, weight] of [
        ['use1', 100],
        ['euw1', 0],
        ['usw2', 0],
      ] as const) {
        this.records.push({
          name,
          type,
          setIdentifier,
          weight,
          ttl,
          values: [`${setIdentifier}.example.net`],
          healthCheckId: type === 'A' ? `hc-${setIdentifier}` : undefined,
        });
      }
    }
  }

  private call(service: string, region: string, op: string): void {
    this.calls.push(`${service} ${region} ${op}`);
    if (this.down.has(region)) {
      throw new AwsCallError(service, region, op, 'ECONNRESET', 'socket hang up', { unreachable: true, throttled: false });
    }
  }

  aws(): Aws {
    const s = this;
    const hcRegion: Record<string, string> = {
      '6d0b1a8e-0000-4000-8000-00000000e001': 'us-east-1',
      '6d0b1a8e-0000-4000-8000-00000000e002': 'eu-west-1',
      '6d0b1a8e-0000-4000-8000-00000000e003': 'us-west-2',
    };
    return fakeAws({
      route53: () => ({
        readRecords: async (_zone: string, name: string, type: string) => {
          s.call('route53', 'us-east-1', 'ListResourceRecordSets');
          return s.records.filter((r) => r.name === name && r.type === type).map((r) => ({ ...r }));
        },
        getHealthCheck: async (id: string) => {
          s.call('route53', 'us-east-1', 'GetHealthCheck');
          return { id, version: 1, config: { type: 'HTTPS', inverted: false, disabled: false } };
        },
        getHealthCheckStatus: async (id: string): Promise<HealthCheckObservation[]> => {
          s.call('route53', 'us-east-1', 'GetHealthCheckStatus');
          const ok = s.healthy[hcRegion[id]];
          return Array.from({ length: 8 }, () => ({ checkerRegion: 'us-east-1', status: ok ? 'Success' : 'Failure', healthy: ok }));
        },
      }),
      rds: (region: string) => ({
        readGlobalCluster: async () => {
          s.call('rds', region, 'DescribeGlobalClusters');
          return structuredClone(s.global);
        },
        readDbCluster: async (id: string): Promise<DbClusterInfo> => {
          s.call('rds', region, 'DescribeDBClusters');
          return { id, arn: arn(region, id), region, status: s.clusterStatus[id] ?? 'available' };
        },
      }),
      elasticache: (region: string) => ({
        readGlobalDatastore: async () => {
          s.call('elasticache', region, 'DescribeGlobalReplicationGroups');
          return structuredClone(s.datastore);
        },
        readReplicationGroup: async (id: string) => {
          s.call('elasticache', region, 'DescribeReplicationGroups');
          return { id, status: s.replicationGroupStatus[id] ?? 'available', memberClusters: [`${id}-001`] };
        },
      }),
      ecs: (region: string) => ({
        describeServices: async (_cluster: string, names: string[]) => {
          s.call('ecs', region, 'DescribeServices');
          return names.map(
            (n) =>
              s.services[region].find((x) => x.name === n) ?? {
                cluster: _cluster,
                name: n,
                status: 'MISSING',
                desired: 0,
                running: 0,
                pending: 0,
                deployments: 0,
              },
          );
        },
      }),
      applicationAutoScaling: (region: string) => ({
        readEcsScalableTarget: async (cluster: string, service: string) => {
          s.call('application-autoscaling', region, 'DescribeScalableTargets');
          const t = s.scalable[`${region} ${cluster}/${service}`];
          return t ? { resourceId: `service/${cluster}/${service}`, ...t } : undefined;
        },
      }),
      cloudwatch: (region: string) => ({
        // The fake's clusters name no engine, and lagMetricFor() reads AuroraGlobalDBReplicationLag for those.
        auroraReplicationLags: async (id: string) => {
          s.call('monitoring', region, 'GetMetricData');
          return { AuroraGlobalDBRPOLag: null, AuroraGlobalDBReplicationLag: s.lag[id] ?? null };
        },
        datastoreReplicationLag: async (ids: string[]) => {
          s.call('monitoring', region, 'GetMetricData');
          return ids.length ? (s.cacheLag[region] ?? null) : null;
        },
      }),
    });
  }

  ctx(topology: Topology = demo()): RunBaseContext {
    return { topology, aws: this.aws(), flags: { yes: true, allowDataLoss: false, dryRun: true } };
  }
}
