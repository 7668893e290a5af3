// RDS DB instances with cross-region read replicas, as state that is a function of the clock: a
// promotion or a replica creation is stored with its simulated start and end and settled on every read.
// AWS sources: "Working with DB instance read replicas"
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html), "Promoting a read replica
// to be a standalone DB instance" (USER_ReadRepl.Promote.html: "RDS reboots the DB instance before making
// it available. The promotion process can take several minutes or longer"), "Creating a read replica in a
// different AWS Region" (USER_ReadRepl.XRgn.html), "Monitoring read replication" (USER_ReadRepl.Monitoring.html:
// the replication states and ReplicaLag), DBInstanceStatusInfo (API reference: StatusType "read replication",
// Status replicating | replication stop point set | replication stop point reached | error | stopped | terminated).
import { z } from 'zod';
import { SandboxAwsError, type ServiceContext } from '../../contract.js';
import { parseSection, sectionError } from '../section.js';
import { taskCounts, type EcsState } from '../ecs/state.js';

const instanceSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'an RDS DB instance identifier'),
    region: z.string(),
    engine: z.string().default('postgres'),
    engineVersion: z.string().default('16.4'),
    instanceClass: z.string().default('db.r6g.large'),
    /** The source instance's id (a replica); absent for a primary. */
    replicaOf: z.string().optional(),
    /** Steady replication lag while the source answers (ms). */
    lagMs: z.number().nonnegative().optional(),
    /** A replication fault from the start: its StatusInfos status and message. */
    replication: z
      .object({ status: z.enum(['error', 'stopped', 'terminated']), message: z.string().optional() })
      .strict()
      .optional(),
    /** The ECS services in this instance's region that write to it: once all are scaled to 0 and their tasks
     * have stopped, nothing is written and its replicas catch up (lag to 0). */
    writers: z
      .object({ cluster: z.string().min(1), services: z.array(z.string().min(1)).min(1) })
      .strict()
      .optional(),
  })
  .strict();

/**
 * Aurora DB clusters replicating across regions without a global database (Aurora MySQL binlog replicas:
 * "Replicating Amazon Aurora MySQL DB clusters across AWS Regions", AuroraMySQL.Replication.CrossRegion.html).
 * The same fields as an instance; `replicaOf` names a source cluster.
 */
const clusterSchema = instanceSchema.extend({
  engine: z.string().default('aurora-mysql'),
  engineVersion: z.string().default('8.0.mysql_aurora.3.05.2'),
  /** StorageEncrypted (with an AWS managed key of its region); a replica of it in another region needs a KmsKeyId there. */
  encrypted: z.boolean().default(true),
});

const sectionSchema = z.object({ instances: z.array(instanceSchema).default([]), clusters: z.array(clusterSchema).default([]) }).strict();

const DEFAULT_LAG_MS = 1000;
/** "several minutes or longer" (USER_ReadRepl.Promote.html); 4 minutes keeps rehearsals short. */
const DEFAULT_PROMOTE_S = 240;
/** ⚠ AWS gives no figure for a cross-region replica's creation (a snapshot copied across regions); 15 minutes. */
const DEFAULT_CREATE_S = 900;

export interface InstanceOperation {
  kind: 'promote' | 'create';
  startedAt: number;
  endsAt: number;
}

export interface RdsInstance {
  id: string;
  region: string;
  engine: string;
  engineVersion: string;
  instanceClass: string;
  /** While it is a replica: its source. Removed when a promotion completes. */
  source?: { region: string; id: string };
  lagMs: number;
  replication?: { status: string; message?: string };
  writers?: { cluster: string; services: string[] };
  operation?: InstanceOperation;
  /** A promotion's cut: replication stopped at `at` with this lag (ms), kept after promotion for the metric. */
  cut?: { at: number; lagMs: number };
  createdAt: number;
  /** A DB cluster (DescribeDBClusters, PromoteReadReplicaDBCluster), not a DB instance. */
  cluster?: boolean;
  /** Tags given at creation (CreateDBInstanceReadReplica Tags), returned as DBInstance.TagList. */
  tags?: { key: string; value: string }[];
  /** A DB instance of a DB cluster (CreateDBInstance with DBClusterIdentifier): the cluster's id, same region. */
  clusterId?: string;
  /** A cluster's StorageEncrypted and KmsKeyId (absent: encrypted with its region's AWS managed key). */
  encrypted?: boolean;
  kmsKeyId?: string;
}

export interface RdsInstanceState {
  instances: RdsInstance[];
  /** Cross-region read replica clusters and their sources (absent in state files saved before them). */
  clusters?: RdsInstance[];
}

export function initInstances(section: unknown, ctx: ServiceContext): RdsInstanceState {
  const parsed = parseSection(sectionSchema, section, 'rds');
  const clusters = initList(parsed.clusters, 'clusters', true, ctx);
  parsed.clusters.forEach((c, n) => (clusters[n].encrypted = c.encrypted));
  // Each world cluster has one DB instance, its writer (DBClusterMembers, IsClusterWriter), listed by DescribeDBInstances too.
  const members = clusters.map((c): RdsInstance => ({ ...pick(c), id: `${c.id}-instance-1`, lagMs: 0, clusterId: c.id, createdAt: c.createdAt }));
  return { instances: [...initList(parsed.instances, 'instances', false, ctx), ...members], clusters };
}

const pick = (c: RdsInstance) => ({ region: c.region, engine: c.engine, engineVersion: c.engineVersion, instanceClass: c.instanceClass });

/** The DB instances of a cluster (DBClusterMembers), oldest first: the first is its writer. */
export function clusterMembers(state: RdsInstanceState, c: Pick<RdsInstance, 'id' | 'region'>): RdsInstance[] {
  return state.instances.filter((i) => i.clusterId === c.id && i.region === c.region);
}

/** A cluster with no available DB instance serves nothing: no lag datapoint, nothing to promote. */
export function servingMembers(state: RdsInstanceState, c: Pick<RdsInstance, 'id' | 'region'>, now: number): RdsInstance[] {
  return clusterMembers(state, c).filter((i) => instanceStatus(i, now) === 'available');
}

function initList(list: z.output<typeof instanceSchema>[], key: string, cluster: boolean, ctx: ServiceContext): RdsInstance[] {
  const what = cluster ? 'cluster' : 'instance';
  const out = list.map((i, n): RdsInstance => {
    if (!ctx.regions.includes(i.region)) throw sectionError(`rds.${key}[${n}].region`, `region ${i.region} is not in the world's regions`);
    return {
      id: i.id.toLowerCase(),
      region: i.region,
      engine: i.engine,
      engineVersion: i.engineVersion,
      instanceClass: i.instanceClass,
      lagMs: i.lagMs ?? DEFAULT_LAG_MS,
      ...(i.replication ? { replication: { ...i.replication } } : {}),
      ...(i.writers ? { writers: { cluster: i.writers.cluster, services: [...i.writers.services] } } : {}),
      ...(cluster ? { cluster: true } : {}),
      createdAt: ctx.now(),
    };
  });
  list.forEach((i, n) => {
    if (!i.replicaOf) return;
    const src = list.find((s) => s.id.toLowerCase() === i.replicaOf!.toLowerCase());
    if (!src) throw sectionError(`rds.${key}[${n}].replicaOf`, `no ${what} ${i.replicaOf} in rds.${key}`);
    if (src.replicaOf) throw sectionError(`rds.${key}[${n}].replicaOf`, `${i.replicaOf} is itself a replica (the sandbox models one level)`);
    out[n].source = { region: src.region, id: src.id.toLowerCase() };
  });
  const seen = new Set<string>();
  out.forEach((i, n) => {
    const k = `${i.region}/${i.id}`;
    if (seen.has(k)) throw sectionError(`rds.${key}[${n}].id`, `duplicate ${what} ${i.id} in ${i.region}`);
    seen.add(k);
  });
  return out;
}

export function durationS(ctx: ServiceContext, key: 'rdsPromote' | 'rdsCreateReplica'): number {
  const ms = ctx.durationMs(key);
  // A state file written before these durations existed has none: the defaults.
  return Number.isFinite(ms) ? ms : (key === 'rdsPromote' ? DEFAULT_PROMOTE_S : DEFAULT_CREATE_S) * 1000;
}

export function instanceArn(account: string, region: string, id: string): string {
  return `arn:aws:rds:${region}:${account}:db:${id}`;
}

/** Instance identifiers are case-insensitive and stored lowercase (API reference, DBInstanceIdentifier). */
export function findInstance(state: RdsInstanceState, region: string, id: string): RdsInstance | undefined {
  return state.instances.find((i) => i.region === region && i.id === id.toLowerCase());
}

export function notFound(id: string): SandboxAwsError {
  return new SandboxAwsError('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
}

/** An identifier or an ARN, as DescribeDBInstances and CreateDBInstanceReadReplica take them. */
export function parseInstanceRef(raw: string, callRegion: string): { region: string; id: string } {
  const arn = /^arn:aws[\w-]*:rds:([\w-]+):\d*:db:(.+)$/i.exec(raw);
  return arn ? { region: arn[1], id: arn[2].toLowerCase() } : { region: callRegion, id: raw.toLowerCase() };
}

/** Apply whatever the clock says has finished. Deterministic in the clock, so it is safe on reads. */
export function settleInstances(state: RdsInstanceState, ctx: ServiceContext): void {
  const now = ctx.now();
  for (const i of [...state.instances, ...(state.clusters ?? [])]) {
    const op = i.operation;
    if (!op || now < op.endsAt) continue;
    if (op.kind === 'promote') {
      delete i.source;
      delete i.replication;
    }
    delete i.operation;
  }
}

/**
 * DBInstanceStatus. A promotion shows `modifying`, then `rebooting` ("RDS reboots the DB instance before
 * making it available"), then `available`; ⚠ the split between the two is not documented: a third modifying,
 * the rest rebooting. A new replica is `creating` until it is `available`.
 */
export function instanceStatus(i: RdsInstance, now: number): string {
  const op = i.operation;
  if (!op) return 'available';
  if (op.kind === 'create') return 'creating';
  return now < op.startedAt + (op.endsAt - op.startedAt) / 3 ? 'modifying' : 'rebooting';
}

/**
 * The replication state of a replica (StatusInfos, StatusType "read replication"), undefined for a
 * primary or standalone instance. ⚠ AWS does not say what a cross-region replica shows while its
 * source's region is out; the safer reading is `error` (replication is not happening), not `replicating`.
 */
export function replicationState(i: RdsInstance, ctx: ServiceContext): { status: string; normal: boolean; message?: string } | undefined {
  if (!i.source || i.operation?.kind === 'promote') return undefined;
  if (i.operation?.kind === 'create') return undefined;
  if (i.replication) return { status: i.replication.status, normal: false, ...(i.replication.message ? { message: i.replication.message } : {}) };
  if (ctx.regionDownSince(i.source.region) !== undefined) {
    return { status: 'error', normal: false, message: `The source DB instance ${i.source.id} in ${i.source.region} cannot be reached.` };
  }
  return { status: 'replicating', normal: true };
}

/**
 * Replica lag (ms) of an instance at simulated time t, or undefined when it does not replicate at t
 * (a primary, a standalone instance, one still being created). While the source's region is down the
 * replica receives nothing, so its lag grows with the time since the outage; a promotion freezes it at the cut.
 */
export function replicaLagAt(i: RdsInstance, t: number, ctx: ServiceContext): number | undefined {
  if (i.cut && t >= i.cut.at) return i.operation?.kind === 'promote' ? i.cut.lagMs : undefined;
  if (!i.source) return undefined;
  if (i.operation?.kind === 'create' || t < i.createdAt) return undefined;
  if (i.replication && i.replication.status !== 'error') return undefined;
  const down = ctx.regionDownSince(i.source.region);
  if (down !== undefined && t >= down) return i.lagMs + (t - down);
  // Nothing written since the source's writers stopped: the replica catches up, then stays at 0.
  const quiet = writersStoppedAt(source(i, ctx), t, ctx);
  if (quiet !== undefined && t >= quiet) return Math.max(0, i.lagMs - (t - quiet));
  return i.lagMs;
}

function source(i: RdsInstance, ctx: ServiceContext): RdsInstance | undefined {
  const state = ctx.peek<RdsInstanceState | undefined>('rds');
  const list = i.cluster ? (state?.clusters ?? []) : state?.instances;
  return i.source ? list?.find((s) => s.region === i.source!.region && s.id === i.source!.id) : undefined;
}

/** When the last writer task of the instance stopped, if every writer service is scaled to 0 (simulated ms). */
export function writersStoppedAt(primary: RdsInstance | undefined, t: number, ctx: ServiceContext): number | undefined {
  if (!primary?.writers) return undefined;
  const cluster = ctx.peek<EcsState | undefined>('ecs')?.clusters.find((c) => c.region === primary.region && c.name === primary.writers!.cluster);
  if (!cluster) return undefined;
  let last = 0;
  for (const name of primary.writers.services) {
    const svc = cluster.services.find((s) => s.name === name);
    if (!svc || svc.desired !== 0) return undefined;
    last = Math.max(last, taskCounts(svc, t, ctx).steadyAt);
  }
  return last;
}
