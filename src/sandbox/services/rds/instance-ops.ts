// RDS DB instances (awsQuery, 2014-10-31): DescribeDBInstances, PromoteReadReplica and
// CreateDBInstanceReadReplica. Its own module with the same signing name as the Aurora one: the server
// gives each request to the module whose table has the operation (src/sandbox/server.ts).
// AWS sources: the RDS API reference, DescribeDBInstances (Filters: db-instance-id, engine, ...; a missing
// identifier is DBInstanceNotFound), PromoteReadReplica ("Must match the identifier of an existing read replica
// DB instance"; DBInstanceNotFound, InvalidDBInstanceState), CreateDBInstanceReadReplica ("If the source DB
// instance is in a different AWS Region than the read replica, specify a valid DB instance ARN"; called in the
// read replica's region; DBInstanceAlreadyExists, DBInstanceNotFound, InvalidDBInstanceState); wire codes and
// HTTP statuses from the SDK model (node_modules/@aws-sdk/client-rds: awsQueryError DBInstanceNotFound 404,
// InvalidDBInstanceState 400, DBInstanceAlreadyExists 400).
import { SandboxAwsError, type ServiceContext, type ServiceModule } from '../../contract.js';
import { el, wrap } from '../../protocol/xml.js';
import { int, invalidAction, page, queryAction, queryError, queryOperation, str, strings, trees, xmlList, type QueryTree } from '../../protocol/query.js';
import { instanceXml } from './instance-xml.js';
import { promoteCluster } from './replica-clusters.js';
import { createClusterInstance, createReplicaCluster } from './cluster-create.js';
import {
  durationS,
  findInstance,
  initInstances,
  instanceStatus,
  notFound,
  parseInstanceRef,
  replicaLagAt,
  settleInstances,
  type RdsInstanceState,
} from './instances.js';

const XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';

function required(q: QueryTree, key: string): string {
  const v = str(q, key);
  if (!v) throw new SandboxAwsError('MissingParameter', `The request must contain the parameter ${key}`);
  return v;
}

function describe(q: QueryTree, state: RdsInstanceState, ctx: ServiceContext, region: string): string {
  // RDS is regional: only the instances in the called region.
  let list = state.instances.filter((i) => i.region === region);
  const raw = str(q, 'DBInstanceIdentifier');
  if (raw) {
    const ref = parseInstanceRef(raw, region);
    const found = ref.region === region ? findInstance(state, region, ref.id) : undefined;
    if (!found) throw notFound(raw);
    list = [found];
  }
  for (const f of trees(q, 'Filters', 'Filter')) {
    const name = str(f, 'Name');
    const values = strings(f, 'Values', 'Value');
    if (name === 'db-instance-id') list = list.filter((i) => values.some((v) => parseInstanceRef(v, region).id === i.id));
    else if (name === 'engine') list = list.filter((i) => values.includes(i.engine));
    else throw new SandboxAwsError('InvalidParameterValue', `Unrecognized filter name: ${name ?? ''}. Supported by the sandbox: db-instance-id, engine`);
  }
  const p = page(list, int(q, 'MaxRecords'), str(q, 'Marker'));
  return xmlList('DBInstances', 'DBInstance', p.items, (i) => instanceXml(i, state, ctx)) + el('Marker', p.marker);
}

function promote(q: QueryTree, state: RdsInstanceState, ctx: ServiceContext, region: string): string {
  const raw = required(q, 'DBInstanceIdentifier');
  const i = findInstance(state, region, raw);
  if (!i) throw notFound(raw);
  const now = ctx.now();
  if (!i.source) throw new SandboxAwsError('InvalidDBInstanceState', `DB instance ${i.id} is not a read replica.`);
  if (i.operation || instanceStatus(i, now) !== 'available') {
    throw new SandboxAwsError('InvalidDBInstanceState', `DB instance ${i.id} is not in the available state (${instanceStatus(i, now)}).`);
  }
  // The cut: replication stops now, with whatever lag the replica has (the source may be down: a
  // promotion is called in the replica's region and needs nothing from the source).
  i.cut = { at: now, lagMs: replicaLagAt(i, now, ctx) ?? 0 };
  i.operation = { kind: 'promote', startedAt: now, endsAt: now + durationS(ctx, 'rdsPromote') };
  return wrap('DBInstance', instanceXml(i, state, ctx));
}

function createReplica(q: QueryTree, state: RdsInstanceState, ctx: ServiceContext, region: string): string {
  const id = required(q, 'DBInstanceIdentifier');
  const rawSource = required(q, 'SourceDBInstanceIdentifier');
  if (!/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(id) || /--|-$/.test(id)) {
    throw new SandboxAwsError('InvalidParameterValue', `The parameter DBInstanceIdentifier is not a valid identifier: ${id}`);
  }
  const ref = parseInstanceRef(rawSource, region);
  // A bare identifier names an instance in the called region; one in another region needs its ARN.
  const source = findInstance(state, ref.region, ref.id);
  if (!source) throw notFound(rawSource);
  if (findInstance(state, region, id)) throw new SandboxAwsError('DBInstanceAlreadyExists', `DB instance already exists: ${id.toLowerCase()}`);
  if (ctx.regionDownSince(source.region) !== undefined) {
    // ⚠ AWS does not document this case; the replica is built from the source, which cannot be reached.
    throw new SandboxAwsError('InvalidDBInstanceState', `The source DB instance ${source.id} in ${source.region} cannot be reached.`);
  }
  const now = ctx.now();
  // ⚠ An Aurora cluster's instance is replicated at the cluster level (CreateDBCluster), not as an instance.
  if (source.clusterId)
    throw new SandboxAwsError('InvalidDBInstanceState', `DB instance ${source.id} belongs to DB cluster ${source.clusterId}: replicate the cluster.`);
  if (source.source || source.operation || instanceStatus(source, now) !== 'available') {
    throw new SandboxAwsError(
      'InvalidDBInstanceState',
      `The source DB instance ${source.id} must be an available primary (it is ${source.source ? 'a read replica' : instanceStatus(source, now)}).`,
    );
  }
  const replica = {
    id: id.toLowerCase(),
    region,
    engine: source.engine,
    engineVersion: source.engineVersion,
    instanceClass: str(q, 'DBInstanceClass') ?? source.instanceClass,
    source: { region: source.region, id: source.id },
    lagMs: 0,
    operation: { kind: 'create' as const, startedAt: now, endsAt: now + durationS(ctx, 'rdsCreateReplica') },
    createdAt: now,
    // Tags.Tag.N.{Key,Value} (the SDK's TagList, member name Tag); the replica carries them for its life, promotion included.
    tags: trees(q, 'Tags', 'Tag').map((t) => ({ key: str(t, 'Key') ?? '', value: str(t, 'Value') ?? '' })),
  };
  state.instances.push(replica);
  return wrap('DBInstance', instanceXml(replica, state, ctx));
}

const op = (mutating: boolean, answer: (q: QueryTree, state: RdsInstanceState, ctx: ServiceContext, region: string) => string) =>
  queryOperation<RdsInstanceState>(XMLNS, mutating, (q, state, ctx, req) => answer(q, state, ctx, req.region), settleInstances);

export const rdsInstanceService: ServiceModule<RdsInstanceState> = {
  signingName: 'rds',
  stateKey: 'rds',
  init: (section, ctx) => initInstances(section, ctx),
  operation: (req) => queryAction(req),
  operations: {
    DescribeDBInstances: op(false, describe),
    PromoteReadReplica: op(true, promote),
    CreateDBInstanceReadReplica: op(true, createReplica),
    // Cross-region read replica clusters (replica-clusters.ts); DescribeDBClusters is the Aurora module's.
    PromoteReadReplicaDBCluster: op(true, promoteCluster),
    CreateDBCluster: op(true, createReplicaCluster),
    CreateDBInstance: op(true, createClusterInstance),
  },
  unknownOperation: (_req, operation) => invalidAction(operation),
  renderError: (err, req) => queryError(err, req.requestId),
};
