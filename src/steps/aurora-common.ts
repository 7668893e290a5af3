// What the two Aurora step kinds share: their parameters, finding members in a global cluster, and
// the one-line description of its state used in progress and timeouts.
import { isAwsCallError } from '../aws/errors.js';
import type { GlobalClusterInfo, GlobalClusterMember, ReadAws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { stepUsageError } from './contract.js';

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

/** Lag of a secondary in ms, or the reason it could not be read; a read failure never stops a plan by itself. */
export async function readLag(aws: ReadAws, region: Region, clusterId: string): Promise<{ lagMs: number | null; error?: string }> {
  try {
    return { lagMs: await aws.cloudwatch(region).auroraReplicationLag(clusterId) };
  } catch (e) {
    return { lagMs: null, error: isAwsCallError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e) };
  }
}
