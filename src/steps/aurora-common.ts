// What the two Aurora step kinds share: their parameters, finding members in a global cluster, and
// the one-line description of its state used in progress and timeouts.
import { isAwsCallError } from '../aws/errors.js';
import { lagMetricFor } from '../aws/aurora-engine.js';
import type { AuroraLagMetric, DbClusterInfo, GlobalClusterInfo, GlobalClusterMember, MutationResult, RdsReads, ReadAws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { stepUsageError, type StepPlan } from './contract.js';

export interface AuroraTarget {
  target: Region;
  globalClusterId: string;
  targetClusterId: string;
}

/** The target region's cluster and the global cluster, from the topology (the step's `target` is already a topology region). */
export function auroraTarget(kind: string, id: string, target: Region, topology: Topology): AuroraTarget {
  if (!topology.aurora) throw stepUsageError(kind, id, 'the topology has no aurora section');
  return { target, globalClusterId: topology.aurora.globalClusterId, targetClusterId: topology.aurora.clusters[target] };
}

/**
 * The plan of an Aurora step (or gate) in a topology without Aurora (e.g. the active-passive world, whose
 * database is not a global cluster): nothing to do, so the shared failover playbooks run on it.
 */
export function noAuroraPlan<D extends Record<string, unknown>>(what: string, data: D): StepPlan<D> {
  return { title: `${what}: the topology has no Aurora global cluster`, changes: [], checks: [], noop: true, data, observed: {} };
}

export function memberFor(gc: GlobalClusterInfo, region: Region, clusterId: string): GlobalClusterMember | undefined {
  // RDS identifiers are case-insensitive; ARNs carry them lowercased.
  return gc.members.find((m) => m.region === region && m.clusterId.toLowerCase() === clusterId.toLowerCase());
}

export function writerOf(gc: GlobalClusterInfo): GlobalClusterMember | undefined {
  return gc.members.find((m) => m.isWriter);
}

/** A switchover or failover toward `arn` that has not finished (cancelling means it is being undone). */
export function underWayToward(gc: GlobalClusterInfo, arn: string | undefined): boolean {
  return !!gc.failover && !!arn && gc.failover.toArn === arn && gc.failover.status !== 'cancelling';
}

export function describeGlobal(gc: GlobalClusterInfo): string {
  const w = writerOf(gc);
  const fo = gc.failover ? `, ${gc.failover.status}${gc.failover.toArn ? ` to ${gc.failover.toArn.split(':')[3] ?? gc.failover.toArn}` : ''}` : '';
  return `writer ${w ? w.region : 'none'}, status ${gc.status}${fo}`;
}

/** What the plan fingerprint depends on: roles, sync and state, not the lag (which moves all the time). */
export function observedGlobal(gc: GlobalClusterInfo): Record<string, unknown> {
  return {
    status: gc.status,
    failover: gc.failover ?? null,
    members: gc.members.map((m) => ({ cluster: m.clusterId, region: m.region, writer: m.isWriter, sync: m.syncStatus ?? null })),
  };
}

/**
 * After a switchover or failover call whose answer was lost: the global cluster as read when an
 * operation toward `targetArn` is under way or done (the call took effect), undefined when not.
 * AWS documents no idempotency token for these calls; FailoverState names the target while the
 * operation runs (DescribeGlobalClusters, FailoverState.ToDbClusterArn), which is what is read here.
 */
export async function reconcileToward(rds: RdsReads, globalClusterId: string, targetArn: string): Promise<(GlobalClusterInfo & MutationResult) | undefined> {
  const gc = await rds.readGlobalCluster(globalClusterId);
  const target = gc.members.find((m) => m.clusterArn === targetArn);
  return underWayToward(gc, targetArn) || target?.isWriter ? gc : undefined;
}

/**
 * Lag of a secondary in ms from the metric AWS says to read for its engine and version (see
 * src/aws/aurora-engine.ts), or the reason it could not be read; a read failure never stops a plan by itself.
 */
export async function readLag(
  aws: ReadAws,
  region: Region,
  cluster: Pick<DbClusterInfo, 'id' | 'engine' | 'engineVersion'>,
): Promise<{ lagMs: number | null; metric: AuroraLagMetric; error?: string }> {
  const metric = lagMetricFor(cluster.engine, cluster.engineVersion);
  try {
    return { lagMs: (await aws.cloudwatch(region).auroraReplicationLags(cluster.id))[metric], metric };
  } catch (e) {
    return { lagMs: null, metric, error: isAwsCallError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e) };
  }
}
