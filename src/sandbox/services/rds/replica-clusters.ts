// Aurora DB clusters replicating across regions without a global database (Aurora MySQL cross-Region read
// replicas, binlog replication). They reuse the instance model (instances.ts: source, lag, a promotion
// settled by the clock, the cut), with the cluster's own shapes and calls:
// - DescribeDBClusters: ReplicationSourceIdentifier ("the identifier of the source DB cluster if this DB
//   cluster is a read replica": the source's ARN across regions) and ReadReplicaIdentifiers/ReadReplicaIdentifier
//   (the replicas' ARNs), as the SDK's DBCluster schema reads them (node_modules/@aws-sdk/client-rds, DBCluster$,
//   ReadReplicaIdentifierList).
// - PromoteReadReplicaDBCluster (API reference: "Promotes a read replica DB cluster to a standalone DB cluster";
//   DBClusterIdentifier "Must match the identifier of an existing DB cluster read replica"; errors
//   DBClusterNotFoundFault 404, InvalidDBClusterStateFault 400). "When you promote an Aurora MySQL read replica,
//   its DB instances are rebooted before they become available ... can take several minutes or longer"
//   (AuroraMySQL.Replication.CrossRegion.Promote.html): status `promoting` (a DBCluster status, Aurora.Status),
//   then `available` with no source. The duration is the world's rdsPromote.
// - AuroraBinlogReplicaLag: AWS/RDS, "the amount of time a replica DB cluster running on Aurora MySQL lags
//   behind the source DB cluster", Seconds (Aurora.AuroraMonitoring.Metrics.html). ⚠ Its dimensions are not
//   spelled out for this use; we answer DBClusterIdentifier=<replica cluster> in the replica's region only.
import { SandboxAwsError, type ServiceContext } from '../../contract.js';
import { el, esc, wrap } from '../../protocol/xml.js';
import { str, xmlList, type QueryTree } from '../../protocol/query.js';
import { clusterMembers, durationS, replicaLagAt, servingMembers, settleInstances, type RdsInstance, type RdsInstanceState } from './instances.js';

const ENDPOINT_HASH = 'c0ffee';

export function clusterArn(account: string, region: string, id: string): string {
  return `arn:aws:rds:${region}:${account}:cluster:${id}`;
}

export function clusterNotFound(id: string): SandboxAwsError {
  return new SandboxAwsError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
}

export function replicaClusterStatus(c: RdsInstance, now: number): string {
  if (!c.operation || now >= c.operation.endsAt) return 'available';
  return c.operation.kind === 'create' ? 'creating' : 'promoting';
}

/** An AWS managed key's ARN for a cluster encrypted without a KmsKeyId (a stand-in: one key per region). */
export function defaultKmsKey(account: string, region: string): string {
  return `arn:aws:kms:${region}:${account}:key/00000000-0000-4000-8000-00000000c0de`;
}

export function findCluster(state: RdsInstanceState, region: string, raw: string): RdsInstance | undefined {
  const arn = /^arn:aws[\w-]*:rds:([\w-]+):\d*:cluster:(.+)$/i.exec(raw);
  if (arn && arn[1] !== region) return undefined;
  const id = (arn ? arn[2] : raw).toLowerCase();
  return (state.clusters ?? []).find((c) => c.region === region && c.id === id);
}

export function replicaClusterXml(c: RdsInstance, state: RdsInstanceState, ctx: ServiceContext): string {
  const host = (kind: string) => `${c.id}.${kind}-${ENDPOINT_HASH}.${c.region}.rds.amazonaws.com`;
  const ref = (region: string, id: string) => (region === c.region ? id : clusterArn(ctx.account, region, id));
  const replicas = (state.clusters ?? []).filter((r) => r.source?.region === c.region && r.source.id === c.id).map((r) => ref(r.region, r.id));
  return (
    el('DBClusterIdentifier', c.id) +
    el('Status', replicaClusterStatus(c, ctx.now())) +
    el('Endpoint', host('cluster')) +
    el('ReaderEndpoint', host('cluster-ro')) +
    el('MultiAZ', false) +
    el('Engine', c.engine) +
    el('EngineVersion', c.engineVersion) +
    el('Port', c.engine.includes('postgres') ? 5432 : 3306) +
    el('ReplicationSourceIdentifier', c.source ? ref(c.source.region, c.source.id) : undefined) +
    xmlList('ReadReplicaIdentifiers', 'ReadReplicaIdentifier', replicas, esc) +
    // A cluster made by CreateDBCluster has none until CreateDBInstance adds one (AuroraMySQL.Replication.CrossRegion.html).
    xmlList(
      'DBClusterMembers',
      'DBClusterMember',
      clusterMembers(state, c),
      (m) =>
        el('DBInstanceIdentifier', m.id) +
        el('IsClusterWriter', m === clusterMembers(state, c)[0]) +
        el('DBClusterParameterGroupStatus', 'in-sync') +
        el('PromotionTier', 1),
    ) +
    el('HostedZoneId', 'Z2R2ITUGPM61AM') +
    el('StorageEncrypted', c.encrypted !== false) +
    el('KmsKeyId', c.encrypted !== false ? (c.kmsKeyId ?? defaultKmsKey(ctx.account, c.region)) : undefined) +
    el('DBClusterArn', clusterArn(ctx.account, c.region, c.id)) +
    (c.tags?.length ? xmlList('TagList', 'Tag', c.tags, (t) => el('Key', t.key) + el('Value', t.value)) : '')
  );
}

/** The replica clusters (and their sources) of a region, for DescribeDBClusters (the Aurora module answers it). */
export function replicaClusterRows(ctx: ServiceContext, region: string): { id: string; engine: string; xml: () => string }[] {
  const live = ctx.peek<RdsInstanceState | undefined>('rds');
  if (!live?.clusters?.length) return [];
  const state = structuredClone(live);
  settleInstances(state, ctx);
  return (state.clusters ?? []).filter((c) => c.region === region).map((c) => ({ id: c.id, engine: c.engine, xml: () => replicaClusterXml(c, state, ctx) }));
}

export function promoteCluster(q: QueryTree, state: RdsInstanceState, ctx: ServiceContext, region: string): string {
  const raw = str(q, 'DBClusterIdentifier');
  if (!raw) throw new SandboxAwsError('MissingParameter', 'The request must contain the parameter DBClusterIdentifier');
  const c = findCluster(state, region, raw);
  if (!c) throw clusterNotFound(raw);
  const now = ctx.now();
  if (!c.source) throw new SandboxAwsError('InvalidDBClusterStateFault', `DB cluster ${c.id} is not a read replica.`);
  if (c.operation)
    throw new SandboxAwsError('InvalidDBClusterStateFault', `DB cluster ${c.id} is not in the available state (${replicaClusterStatus(c, now)}).`);
  // ⚠ AWS does not say what promoting a cluster with no DB instance does; a headless cluster cannot take writes, so refused.
  if (servingMembers(state, c, now).length === 0)
    throw new SandboxAwsError('InvalidDBClusterStateFault', `DB cluster ${c.id} has no available DB instance to promote.`);
  // The cut: binlog replication stops now with whatever lag the replica has; nothing is needed from the source.
  c.cut = { at: now, lagMs: replicaLagAt(c, now, ctx) ?? 0 };
  c.operation = { kind: 'promote', startedAt: now, endsAt: now + durationS(ctx, 'rdsPromote') };
  return wrap('DBCluster', replicaClusterXml(c, state, ctx));
}

export const BINLOG_LAG_METRIC = 'AuroraBinlogReplicaLag';

/** AuroraBinlogReplicaLag in SECONDS of the replica cluster `id` in `region` at t; undefined = no datapoint. */
export function binlogLagSeconds(state: RdsInstanceState | undefined, region: string, id: string, t: number, ctx: ServiceContext): number | undefined {
  if (!state?.clusters?.length) return undefined;
  const copy = structuredClone(state);
  settleInstances(copy, ctx);
  const c = copy.clusters?.find((x) => x.region === region && x.id === id.toLowerCase());
  // A replica cluster with no DB instance running replicates nothing anyone can read: no datapoint.
  const ms = c && (c.cut || servingMembers(copy, c, t).length) ? replicaLagAt(c, t, ctx) : undefined;
  return ms === undefined ? undefined : ms / 1000;
}
