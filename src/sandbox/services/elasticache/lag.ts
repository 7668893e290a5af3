// GlobalDatastoreReplicationLag as the sandbox publishes it (namespace AWS/ElastiCache, unit Seconds): "the lag
// between the secondary Region's primary node and the primary Region's primary node" (ElastiCache user guide,
// Metrics for Valkey and Redis OSS, https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html).
// Each metric there "is calculated at the cache node level"; node metrics carry CacheClusterId (and CacheNodeId,
// CacheMetrics.html). The model follows the Aurora lag's (src/sandbox/services/rds/state.ts):
// - a secondary lags by its steady `lagMs` (default below);
// - while the primary's region is down it receives nothing, so its lag grows with the time since the outage;
// - the target of a promotion under way is frozen at its lag when the promotion began (the cut);
// - the primary, a member with `publishesLag: false`, or a cluster in another region has no datapoint.
// ⚠ AWS does not say which of a secondary's cache clusters publishes it: every cluster of the group does here.
import type { ServiceContext } from '../../contract.js';
import type { DatastoreState, ElastiCacheState } from './state.js';

/** ElastiCache says cross-region replication is typically under a second; ⚠ the sandbox's default is ours. */
const DEFAULT_LAG_MS = 200;
export const DATASTORE_LAG_METRIC = 'GlobalDatastoreReplicationLag';
/** The cache clusters of a replication group, as DescribeReplicationGroups lists them (MemberClusters). */
export const memberClusterIds = (replicationGroupId: string) => ['001', '002'].map((n) => `${replicationGroupId}-${n}`);

function primaryAt(d: DatastoreState, t: number): string {
  return d.failover && t >= d.failover.endsAt ? d.failover.to : d.primary;
}

function lagMsAt(d: DatastoreState, rgId: string, t: number, ctx: ServiceContext): number | undefined {
  const member = d.members.find((m) => m.replicationGroupId === rgId);
  if (!member || member.publishesLag === false) return undefined;
  if (primaryAt(d, t) === rgId) return undefined;
  if (d.failover && d.failover.to === rgId && t >= d.failover.startedAt) return lagMsAt(d, rgId, d.failover.startedAt - 1, ctx);
  const primaryRegion = d.members.find((m) => m.replicationGroupId === primaryAt(d, t))?.region;
  const steady = member.lagMs ?? DEFAULT_LAG_MS;
  const down = primaryRegion === undefined ? undefined : ctx.regionDownSince(primaryRegion);
  return down !== undefined && t >= down ? steady + (t - down) : steady;
}

/** The lag in seconds of the cache cluster `cacheClusterId` in `region` at simulated time t, or undefined. */
export function datastoreLagSeconds(
  state: ElastiCacheState | undefined,
  region: string,
  cacheClusterId: string,
  t: number,
  ctx: ServiceContext,
): number | undefined {
  for (const d of state?.globalDatastores ?? []) {
    const member = d.members.find((m) => m.region === region && memberClusterIds(m.replicationGroupId).includes(cacheClusterId));
    if (!member) continue;
    const ms = lagMsAt(d, member.replicationGroupId, t, ctx);
    return ms === undefined ? undefined : ms / 1000;
  }
  return undefined;
}
