// What the two RDS read replica step kinds share: the region's instances from the topology as they
// are live, and one-line descriptions. An instance's role is what DescribeDBInstances says
// (ReadReplicaSourceDBInstanceIdentifier / ReadReplicaDBInstanceIdentifiers), never the topology.
import { isAwsCallError } from '../aws/errors.js';
import type { DbClusterInfo, DbInstanceInfo, RdsReads, ReadAws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { RefusedError } from '../io/errors.js';
import { stepUsageError, type PlannedStep, type StepContext } from './contract.js';

/**
 * The tag rds.create-replica puts on a replica it builds, valued with the source's ARN. Tags stay on an
 * instance when it is promoted (CreateDBInstanceReadReplica Tags; DBInstance.TagList), so a re-run or a
 * resume after the promotion still knows the rebuild was done and is not asked to build another.
 */
export const REPLICA_OF_TAG = 'mr:replica-of';

type RebuildKind = 'rds.create-replica' | 'rds.create-replica-cluster';
const builtId = (kind: RebuildKind) => (kind === 'rds.create-replica' ? 'instanceId' : 'clusterId');

/** An earlier step of this plan that builds a replica in `target` (an rds.create-replica[-cluster] with work left). */
export function rebuiltEarlier(earlier: readonly PlannedStep[] | undefined, target: Region, kind: RebuildKind = 'rds.create-replica') {
  const key = builtId(kind);
  const s = earlier?.find((x) => x.kind === kind && x.data.target === target && !x.noop && x.data[key]);
  return s ? { step: s.id, instanceId: String(s.data[key]), sourceId: String(s.data.sourceId), from: String(s.data.from) } : undefined;
}

/** An earlier step of this plan that promotes, planned when reached, the replica (cluster) built in `target`. */
export function promotedEarlier(
  earlier: readonly PlannedStep[] | undefined,
  target: Region,
  kind: 'rds.promote-replica' | 'rds.promote-replica-cluster' = 'rds.promote-replica',
) {
  const s = earlier?.find((x) => x.kind === kind && x.data.target === target && x.deferred);
  const id = kind === 'rds.promote-replica' ? s?.data.instanceId : s?.data.clusterId;
  return s ? { step: s.id, instanceId: String(id) } : undefined;
}

export function rdsIds(kind: string, id: string, topology: Topology, region: Region): string[] {
  if (!topology.rds) throw stepUsageError(kind, id, 'the topology has no rds section');
  return topology.rds.instances[region] ?? [];
}

export function clusterIds(kind: string, id: string, topology: Topology, region: Region): string[] {
  if (!topology.rds?.clusters) throw stepUsageError(kind, id, 'the topology has no rds.clusters');
  return topology.rds.clusters[region] ?? [];
}

export function describeCluster(c: DbClusterInfo): string {
  const role = c.source
    ? `read replica cluster of ${c.source.id} (${c.source.region})`
    : c.replicas?.length
      ? `source of ${c.replicas.length} replica cluster(s)`
      : 'standalone';
  const headless = c.instances === 0 ? ', no DB instance' : '';
  return `cluster ${c.id} in ${c.region}: ${role}, ${c.status}${headless}`;
}

/** AuroraBinlogReplicaLag of a replica cluster in ms, or why it could not be read (never stops a plan by itself). */
export async function readClusterLag(aws: ReadAws, region: Region, id: string): Promise<{ lagMs: number | null; error?: string }> {
  try {
    return { lagMs: await aws.cloudwatch(region).clusterReplicaLag(id) };
  } catch (e) {
    return { lagMs: null, error: isAwsCallError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e) };
  }
}

/** The topology's instances that exist in the region (read in that region only); an unknown one is left out. */
export async function liveInstances(rds: RdsReads, ids: string[]): Promise<DbInstanceInfo[]> {
  const found = await Promise.all(
    ids.map(async (id) => {
      try {
        return await rds.readDbInstance(id);
      } catch (e) {
        if (isAwsCallError(e) && (e.code === 'DBInstanceNotFoundFault' || e.code === 'DBInstanceNotFound')) return undefined;
        throw e;
      }
    }),
  );
  return found.filter((i): i is DbInstanceInfo => i !== undefined);
}

/** The topology's DB clusters that exist in the region (read there only); an unknown one is left out. */
export async function liveClusters(rds: RdsReads, ids: string[]): Promise<DbClusterInfo[]> {
  const found = await Promise.all(
    ids.map(async (id) => {
      try {
        return await rds.readDbCluster(id);
      } catch (e) {
        if (isAwsCallError(e) && e.code === 'DBClusterNotFoundFault') return undefined;
        throw e;
      }
    }),
  );
  return found.filter((c): c is DbClusterInfo => c !== undefined);
}

export function describeInstance(i: DbInstanceInfo): string {
  const role = i.source
    ? `read replica of ${i.source.id} (${i.source.region})`
    : i.replicas.length
      ? `primary of ${i.replicas.length} replica(s)`
      : 'standalone';
  const repl = i.replication ? `, replication ${i.replication.status}${i.replication.message ? ` (${i.replication.message})` : ''}` : '';
  return `${i.id} in ${i.region}: ${role}, ${i.status}${repl}`;
}

/** ReplicaLag of a replica in ms, or why it could not be read; a read failure never stops a plan by itself. */
export async function readReplicaLag(aws: ReadAws, region: Region, id: string): Promise<{ lagMs: number | null; error?: string }> {
  try {
    return { lagMs: await aws.cloudwatch(region).replicaLag(id) };
  } catch (e) {
    return { lagMs: null, error: isAwsCallError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e) };
  }
}

/** A lag as an operator reads it ("31.5 s (31500 ms)"); unknown when there is no datapoint. */
export function lagText(ms: number | null): string {
  return ms === null ? 'unknown (no ReplicaLag datapoint)' : `${(ms / 1000).toFixed(1)} s (${ms} ms)`;
}

/** The writer services the topology names in a region (`writer: true`): what a fence stops. */
export function writersOf(topology: Topology, region: Region): { cluster: string; services: string[] } | undefined {
  const cfg = topology.ecs?.[region];
  const services = (cfg?.services ?? []).filter((s) => s.writer).map((s) => s.name);
  return cfg && services.length ? { cluster: cfg.cluster, services } : undefined;
}

/**
 * Where the writer is, for a target region: the source region of the target's replica; else (no replica
 * there, e.g. before a rebuild) the one other region whose instance is a standalone primary. Reads in the
 * target first, the other regions only when needed (never in an unplanned run: its playbook has no fence).
 */
export async function writerRegion(aws: ReadAws, topology: Topology, target: Region): Promise<Region | null> {
  const instances = topology.rds?.instances ?? {};
  const live = await liveInstances(aws.rds(target), instances[target] ?? []);
  const replica = live.find((i) => i.source);
  if (replica?.source) return replica.source.region;
  // A cross-region read replica cluster in the target names its source's region the same way.
  const clusters = await liveClusters(aws.rds(target), topology.rds?.clusters?.[target] ?? []);
  const replicaCluster = clusters.find((c) => c.source);
  if (replicaCluster?.source) return replicaCluster.source.region;
  const others = topology.regions.filter((r) => r !== target);
  const clusterIds = topology.rds?.clusters ?? {};
  // A standalone instance, or a standalone cluster (a topology of clusters only, before a cluster rebuild).
  const standalone = async (r: Region) =>
    (await liveInstances(aws.rds(r), instances[r] ?? [])).some((i) => !i.source) ||
    (!(instances[r] ?? []).length && (await liveClusters(aws.rds(r), clusterIds[r] ?? [])).some((c) => !c.source));
  const primaries = await Promise.all(others.map(async (r) => ((await standalone(r)) ? r : undefined)));
  const found = primaries.filter((r): r is Region => r !== undefined);
  return found.length === 1 ? found[0] : null;
}

/**
 * A planned cut's precondition, at the cut: the source region's `writer: true` services at 0 (else a
 * refusal: nothing promoted), then the replica's lag down to 0 (RPO 0). `lagOf` names the metric read.
 */
export async function fencedAndCaughtUp(
  stepId: string,
  sourceRegion: Region,
  lagOf: string,
  readLag: () => Promise<{ lagMs: number | null }>,
  ctx: StepContext,
): Promise<void> {
  const writers = writersOf(ctx.topology, sourceRegion);
  if (!writers) throw new RefusedError(`step "${stepId}": no writer services named in ${sourceRegion}; a planned cut cannot show they are fenced`);
  const live = await ctx.aws.ecs(sourceRegion).describeServices(writers.cluster, writers.services);
  const writing = live.filter((s) => s.desired > 0);
  if (writing.length) {
    throw new RefusedError(
      `step "${stepId}": ${sourceRegion}'s writers are not fenced (${writing.map((s) => `${s.name} desired ${s.desired}`).join(', ')}): nothing promoted`,
      'run the fence stage first, or use the unplanned failover',
    );
  }
  await ctx.waitFor(`${lagOf} to reach 0 with the writers fenced`, async () => {
    const lag = await readLag();
    return { done: lag.lagMs === 0, detail: `lag ${lagText(lag.lagMs)}` };
  });
}
