// RDS (awsQuery, 2014-10-31): the Aurora global database operations mr uses.
import { SandboxAwsError, type ServiceContext, type ServiceModule } from '../../contract.js';
import { el, wrap } from '../../protocol/xml.js';
import { bool, int, invalidAction, page, queryAction, queryError, queryOperation, str, strings, trees, xmlList, type QueryTree } from '../../protocol/query.js';
import { checkCanTakeOver } from './preconditions.js';
import { dbClusterXml, globalClusterXml } from './render.js';
import { replicaClusterRows } from './replica-clusters.js';
import { initAurora, memberOf, regionOf, settleAll, syncStatus, type AuroraGlobalCluster, type AuroraMember, type AuroraState } from './state.js';

const XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';

function notFoundGlobal(id: string): SandboxAwsError {
  return new SandboxAwsError('GlobalClusterNotFoundFault', `The global cluster ${id} doesn't exist.`, 404);
}

function notFoundCluster(id: string): SandboxAwsError {
  return new SandboxAwsError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
}

function required(q: QueryTree, key: string): string {
  const v = str(q, key);
  if (!v) throw new SandboxAwsError('MissingParameter', `The request must contain the parameter ${key}`);
  return v;
}

function findGlobal(state: AuroraState, id: string): AuroraGlobalCluster {
  // GlobalClusterIdentifier is not case-sensitive.
  const gc = state.globalClusters.find((g) => g.id.toLowerCase() === id.toLowerCase());
  if (!gc) throw notFoundGlobal(id);
  return gc;
}

/** Filters.Filter.N.{Name, Values.Value.N} -> name -> values. */
function filters(q: QueryTree, allowed: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of trees(q, 'Filters', 'Filter')) {
    const name = str(f, 'Name');
    if (!name || !allowed.includes(name))
      throw new SandboxAwsError('InvalidParameterValue', `Unrecognized filter name: ${name ?? ''}. Supported: ${allowed.join(', ')}`);
    out.set(name, strings(f, 'Values', 'Value'));
  }
  return out;
}

/**
 * The target of a switchover or failover. An ARN is matched by region and id. ⚠ AWS does not say whether
 * a bare identifier works for a cluster in another region; we accept one only when the cluster is in the
 * called region (as RDS resolves bare identifiers regionally) and answer DBClusterNotFoundFault otherwise.
 */
function resolveTarget(gc: AuroraGlobalCluster, raw: string, callRegion: string): AuroraMember {
  const arn = /^arn:aws[\w-]*:rds:([\w-]+):\d*:cluster:(.+)$/.exec(raw);
  const region = arn ? arn[1] : callRegion;
  const id = arn ? arn[2] : raw;
  const m = memberOf(gc, id);
  if (!m || m.region !== region) throw notFoundCluster(raw);
  return m;
}

function describeGlobalClusters(q: QueryTree, state: AuroraState, ctx: ServiceContext): string {
  const id = str(q, 'GlobalClusterIdentifier');
  const byRegion = filters(q, ['region']).get('region');
  // ⚠ Which regions answer DescribeGlobalClusters is not documented: the global cluster is visible from
  // every region (so mr can read it from a surviving secondary); the `region` filter keeps clusters that
  // have a member in one of the given regions.
  let list = id ? [findGlobal(state, id)] : state.globalClusters;
  if (byRegion) list = list.filter((gc) => gc.members.some((m) => byRegion.includes(m.region)));
  const p = page(list, int(q, 'MaxRecords'), str(q, 'Marker'));
  const now = ctx.now();
  return xmlList('GlobalClusters', 'GlobalClusterMember', p.items, (gc) => globalClusterXml(gc, ctx.account, now)) + el('Marker', p.marker);
}

function describeDbClusters(q: QueryTree, state: AuroraState, ctx: ServiceContext, region: string): string {
  const raw = str(q, 'DBClusterIdentifier');
  const f = filters(q, ['db-cluster-id', 'engine']);
  const now = ctx.now();
  // RDS is regional: only the clusters that live in the called region: global cluster members, then
  // cross-region read replica clusters and their sources (replica-clusters.ts).
  let found = [
    ...state.globalClusters.flatMap((gc) =>
      gc.members.filter((m) => m.region === region).map((m) => ({ id: m.clusterId, engine: gc.engine, xml: () => dbClusterXml(gc, m, ctx.account, now) })),
    ),
    ...replicaClusterRows(ctx, region),
  ];
  if (raw) {
    const arn = /^arn:aws[\w-]*:rds:([\w-]+):\d*:cluster:(.+)$/i.exec(raw);
    const id = (arn ? arn[2] : raw).toLowerCase();
    if (arn && arn[1] !== region) throw notFoundCluster(raw);
    found = found.filter((c) => c.id.toLowerCase() === id);
    if (found.length === 0) throw notFoundCluster(raw);
  }
  const ids = f.get('db-cluster-id');
  if (ids) found = found.filter((c) => ids.some((v) => v.toLowerCase() === c.id.toLowerCase() || v === `arn:aws:rds:${region}:${ctx.account}:cluster:${c.id}`));
  const engines = f.get('engine');
  if (engines) found = found.filter((c) => engines.includes(c.engine));
  const p = page(found, int(q, 'MaxRecords'), str(q, 'Marker'));
  return xmlList('DBClusters', 'DBCluster', p.items, (c) => c.xml()) + el('Marker', p.marker);
}

function refuseIfBusy(gc: AuroraGlobalCluster): void {
  if (gc.transition) {
    throw new SandboxAwsError(
      'InvalidGlobalClusterStateFault',
      `Global cluster ${gc.id} is in ${gc.transition.kind === 'switchover' ? 'switching-over' : 'failing-over'} state; wait until it is available.`,
    );
  }
}

/**
 * Planned switchover: called in the current primary's region, every member in sync, both regions up.
 * ⚠ The error for a call from another region is not documented; we answer InvalidGlobalClusterStateFault
 * naming the region to call. A target that cannot take the writer role is InvalidDBClusterStateFault.
 */
function startSwitchover(gc: AuroraGlobalCluster, target: AuroraMember, region: string, ctx: ServiceContext): void {
  refuseIfBusy(gc);
  const primaryRegion = regionOf(gc, gc.writer);
  if (region !== primaryRegion) {
    throw new SandboxAwsError(
      'InvalidGlobalClusterStateFault',
      `A switchover of ${gc.id} must be requested in the region of its primary cluster (${primaryRegion}), not ${region}.`,
    );
  }
  if (target.clusterId === gc.writer)
    throw new SandboxAwsError('InvalidDBClusterStateFault', `DB cluster ${target.clusterId} is already the primary cluster of ${gc.id}.`);
  if (ctx.regionDownSince(primaryRegion) !== undefined)
    throw new SandboxAwsError('InvalidGlobalClusterStateFault', `The primary cluster ${gc.writer} is not available.`);
  if (ctx.regionDownSince(target.region) !== undefined)
    throw new SandboxAwsError('InvalidDBClusterStateFault', `DB cluster ${target.clusterId} is not available.`);
  checkCanTakeOver(gc, target);
  const unsynced = gc.members.find((m) => syncStatus(gc, m.clusterId) !== 'connected');
  if (unsynced)
    throw new SandboxAwsError('InvalidGlobalClusterStateFault', `Global cluster ${gc.id} member ${unsynced.clusterId} is not in sync (pending-resync).`);
  const now = ctx.now();
  gc.transition = { kind: 'switchover', from: gc.writer, to: target.clusterId, startedAt: now, endsAt: now + ctx.durationMs('auroraSwitchover') };
}

/**
 * Unplanned failover with data loss: called in the target's region; works while the primary's region is
 * down (that is what it is for). ⚠ The error for a call from another region is not documented; we answer
 * InvalidGlobalClusterStateFault naming the region to call.
 */
function startFailover(gc: AuroraGlobalCluster, target: AuroraMember, region: string, ctx: ServiceContext): void {
  refuseIfBusy(gc);
  if (region !== target.region) {
    throw new SandboxAwsError(
      'InvalidGlobalClusterStateFault',
      `A failover of ${gc.id} with data loss must be requested in the region of the target cluster (${target.region}), not ${region}.`,
    );
  }
  if (target.clusterId === gc.writer)
    throw new SandboxAwsError('InvalidDBClusterStateFault', `DB cluster ${target.clusterId} is already the primary cluster of ${gc.id}.`);
  if (syncStatus(gc, target.clusterId) !== 'connected')
    throw new SandboxAwsError('InvalidDBClusterStateFault', `DB cluster ${target.clusterId} is being rebuilt (pending-resync) and cannot be promoted.`);
  checkCanTakeOver(gc, target);
  const now = ctx.now();
  const fromRegionDown = ctx.regionDownSince(regionOf(gc, gc.writer)) !== undefined;
  gc.transition = { kind: 'failover', from: gc.writer, to: target.clusterId, startedAt: now, endsAt: now + ctx.durationMs('auroraFailover'), fromRegionDown };
}

function switchOrFail(op: string, q: QueryTree, state: AuroraState, ctx: ServiceContext, region: string): string {
  const gc = findGlobal(state, required(q, 'GlobalClusterIdentifier'));
  const target = resolveTarget(gc, required(q, 'TargetDbClusterIdentifier'), region);
  let dataLoss = false;
  if (op === 'FailoverGlobalCluster') {
    // The SDK sends explicit `false` for a flag that is set to false: only `true` counts.
    dataLoss = bool(q, 'AllowDataLoss') === true;
    // ⚠ AWS says the two "can't be specified together" but not which error it gives; we answer
    // InvalidParameterCombination (RDS's common error for exclusive parameters).
    if (dataLoss && bool(q, 'Switchover') === true) {
      throw new SandboxAwsError('InvalidParameterCombination', 'AllowDataLoss and Switchover cannot be specified together.');
    }
  }
  if (dataLoss) startFailover(gc, target, region, ctx);
  else startSwitchover(gc, target, region, ctx);
  return wrap('GlobalCluster', globalClusterXml(gc, ctx.account, ctx.now()));
}

const op = (mutating: boolean, answer: (q: QueryTree, state: AuroraState, ctx: ServiceContext, region: string) => string) =>
  queryOperation<AuroraState>(XMLNS, mutating, (q, state, ctx, req) => answer(q, state, ctx, req.region), settleAll);

export const rdsService: ServiceModule<AuroraState> = {
  signingName: 'rds',
  stateKey: 'aurora',
  init: (section, ctx) => initAurora(section, ctx),
  operation: (req) => queryAction(req),
  operations: {
    DescribeGlobalClusters: op(false, (q, state, ctx) => describeGlobalClusters(q, state, ctx)),
    DescribeDBClusters: op(false, describeDbClusters),
    SwitchoverGlobalCluster: op(true, (q, state, ctx, region) => switchOrFail('SwitchoverGlobalCluster', q, state, ctx, region)),
    FailoverGlobalCluster: op(true, (q, state, ctx, region) => switchOrFail('FailoverGlobalCluster', q, state, ctx, region)),
  },
  unknownOperation: (_req, operation) => invalidAction(operation),
  renderError: (err, req) => queryError(err, req.requestId),
};
