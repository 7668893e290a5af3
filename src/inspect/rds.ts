// RDS DB instances with cross-region read replicas: gather (each region's instances and ReplicaLag, read
// in that region) and judge (lag over the bound, replication stopped or in error, a replica whose source
// is gone). AWS sources: DescribeDBInstances (API reference), "Monitoring read replication"
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html: the replication
// states replicating / replication degraded / error / terminated / stopped, and ReplicaLag).
import type { Aws, DbClusterInfo, DbInstanceInfo, Region } from '../aws/types.js';
import { isAwsCallError } from '../aws/errors.js';
import type { Topology } from '../config/schema.js';
import { observe } from './observe.js';
import type { Finding, Observed, ObservedState, RdsClusterView, RdsInstanceView, RdsState } from './types.js';

export async function gatherRds(t: Topology, aws: Aws, timeoutMs: number): Promise<RdsState | undefined> {
  const cfg = t.rds;
  if (!cfg) return undefined;
  const regions = await Promise.all(
    t.regions.map((r) =>
      observe(async (): Promise<RdsInstanceView[]> => {
        const found = await Promise.all(
          (cfg.instances[r] ?? []).map(async (id) => {
            try {
              return await aws.rds(r).readDbInstance(id);
            } catch (e) {
              // A listed identifier that does not exist (yet): the rebuild's name before the rebuild.
              if (isAwsCallError(e) && e.code === 'DBInstanceNotFoundFault') return undefined;
              throw e;
            }
          }),
        );
        const live = found.filter((i): i is DbInstanceInfo => i !== undefined);
        // ReplicaLag only for replicas: a primary or standalone instance publishes none.
        return Promise.all(live.map(async (i) => ({ ...i, lagMs: i.source ? await aws.cloudwatch(r).replicaLag(i.id) : null })));
      }, timeoutMs),
    ),
  );
  const clusters = cfg.clusters ? await gatherClusters(cfg.clusters, t, aws, timeoutMs) : undefined;
  return { maxLagMs: cfg.maxLagMs, regions: Object.fromEntries(t.regions.map((r, i) => [r, regions[i]])), ...(clusters ? { clusters } : {}) };
}

/** Cross-region read replica clusters (DescribeDBClusters in each region; AuroraBinlogReplicaLag for replicas, read there). */
async function gatherClusters(ids: Record<Region, string[]>, t: Topology, aws: Aws, timeoutMs: number): Promise<Record<Region, Observed<RdsClusterView[]>>> {
  const out = await Promise.all(
    t.regions.map((r) =>
      observe(async (): Promise<RdsClusterView[]> => {
        const found = await Promise.all(
          (ids[r] ?? []).map(async (id) => {
            try {
              return await aws.rds(r).readDbCluster(id);
            } catch (e) {
              if (isAwsCallError(e) && e.code === 'DBClusterNotFoundFault') return undefined;
              throw e;
            }
          }),
        );
        const live = found.filter((c): c is DbClusterInfo => c !== undefined);
        return Promise.all(live.map(async (c) => ({ ...c, lagMs: c.source ? await aws.cloudwatch(r).clusterReplicaLag(c.id) : null })));
      }, timeoutMs),
    ),
  );
  return Object.fromEntries(t.regions.map((r, i) => [r, out[i]]));
}

/** What an instance is: "primary", "read replica of app-use1 (us-east-1)", "standalone". */
export function roleOf(i: DbInstanceInfo): string {
  if (i.source) return `read replica of ${i.source.id} (${i.source.region})`;
  return i.replicas.length ? 'primary' : 'standalone';
}

/**
 * The region holding the writable RDS instance: the one whose instance has replicas, else the only
 * region with a standalone instance, else (an old primary left standalone after a failover) the one of
 * those that takes the traffic.
 */
export function rdsWriter(state: ObservedState, traffic: Region[] | undefined): Region | undefined {
  const rds = state.rds;
  if (!rds) return undefined;
  const standalone: Region[] = [];
  for (const r of state.regions) {
    const o = rds.regions[r];
    if (!o?.ok) continue;
    if (o.value.some((i) => !i.source && i.replicas.length > 0)) return r;
    if (o.value.some((i) => !i.source)) standalone.push(r);
  }
  if (standalone.length === 1) return standalone[0];
  const serving = standalone.filter((r) => traffic?.includes(r));
  return serving.length === 1 ? serving[0] : undefined;
}

/** Replica clusters: not available, lag over the bound, a source gone (as the source's region reads it). */
function judgeClusters(state: ObservedState, rds: RdsState, add: (f: Finding) => void): void {
  const clusters = rds.clusters;
  if (!clusters) return;
  for (const region of state.regions) {
    const o = clusters[region];
    if (!o || state.unreachable[region]) continue;
    if (!o.ok) {
      add({ severity: 'warning', region, message: `${region}: cannot read rds clusters: ${o.error}` });
      continue;
    }
    for (const c of o.value) {
      const where = `${region}: rds cluster ${c.id}`;
      if (c.status !== 'available') add({ severity: 'warning', region, message: `${where} is ${c.status}` });
      if (!c.source) continue;
      if (c.lagMs !== null && c.lagMs > rds.maxLagMs)
        add({ severity: 'warning', region, message: `${where}: AuroraBinlogReplicaLag ${c.lagMs} ms is above the bound ${rds.maxLagMs} ms` });
      const src = c.source;
      const there = clusters[src.region];
      if (there?.ok && !there.value.some((x) => x.id === src.id))
        add({ severity: 'critical', region, message: `${where}: its source ${src.id} is not in ${src.region} (gone, or not in the topology)` });
    }
  }
}

export function judgeRds(state: ObservedState, add: (f: Finding) => void): void {
  const rds = state.rds;
  if (!rds) return;
  judgeClusters(state, rds, add);
  const standalone = state.regions.flatMap((r) => {
    const o = rds.regions[r];
    return o?.ok ? o.value.filter((i) => !i.source && i.replicas.length === 0).map((i) => `${i.id} (${r})`) : [];
  });
  if (standalone.length > 1) {
    add({
      severity: 'info',
      message: `rds: ${standalone.length} standalone instances (${standalone.join(', ')}): each is writable; an old primary left after a failover is yours to delete`,
    });
  }
  for (const region of state.regions) {
    const o = rds.regions[region];
    if (!o || state.unreachable[region]) continue;
    if (!o.ok) {
      add({ severity: 'warning', region, message: `${region}: cannot read rds instances: ${o.error}` });
      continue;
    }
    if (o.value.length === 0 && !rds.clusters) add({ severity: 'warning', region, message: `${region}: none of the topology's rds instances exists` });
    for (const i of o.value) {
      const where = `${region}: rds ${i.id}`;
      if (i.status !== 'available') add({ severity: 'warning', region, message: `${where} is ${i.status}` });
      if (!i.source) continue;
      const src = i.source;
      if (i.replication && i.replication.status !== 'replicating') {
        add({
          severity: 'critical',
          region,
          message: `${where}: replication ${i.replication.status}${i.replication.message ? ` (${i.replication.message})` : ''}`,
        });
      }
      if (i.lagMs !== null && i.lagMs > rds.maxLagMs)
        add({ severity: 'warning', region, message: `${where}: ReplicaLag ${i.lagMs} ms is above the bound ${rds.maxLagMs} ms` });
      // The source as its own region reads it: gone when that region answers and does not list it.
      const there = rds.regions[src.region];
      if (there?.ok && !there.value.some((x) => x.id === src.id)) {
        const listed = state.regions.includes(src.region);
        if (listed) add({ severity: 'critical', region, message: `${where}: its source ${src.id} is not in ${src.region} (gone, or not in the topology)` });
      }
    }
  }
}
