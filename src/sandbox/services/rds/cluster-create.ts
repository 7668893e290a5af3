// The return trip for Aurora clusters replicating across regions: CreateDBCluster in its read replica form and
// CreateDBInstance into a cluster. AWS sources: "Replicating Amazon Aurora MySQL DB clusters across AWS Regions"
// (AuroraMySQL.Replication.CrossRegion.html: call create-db-cluster in the destination region with
// --replication-source-identifier set to the source cluster's ARN, wait for the cluster to be available, then
// create its primary instance with create-db-instance --db-cluster-identifier); CreateDBCluster in the API
// reference (ReplicationSourceIdentifier "The Amazon Resource Name (ARN) of the source DB instance or DB cluster
// if this DB cluster is created as a read replica"; KmsKeyId "If you create a read replica of an encrypted DB
// cluster in another Amazon Web Services Region, make sure to set KmsKeyId to a KMS key identifier that is valid
// in the destination Amazon Web Services Region"; Engine required); CreateDBInstance (DBClusterIdentifier "The
// identifier of the DB cluster that this DB instance will belong to"; DBInstanceClass, Engine required). Wire
// codes from the SDK model's awsQueryError: DBClusterAlreadyExistsFault 400, DBClusterNotFoundFault 404,
// InvalidDBClusterStateFault 400, KMSKeyNotAccessibleFault 400, DBInstanceAlreadyExists 400.
import { SandboxAwsError, type ServiceContext } from '../../contract.js';
import { wrap } from '../../protocol/xml.js';
import { bool, str, trees, type QueryTree } from '../../protocol/query.js';
import { instanceXml } from './instance-xml.js';
import { clusterNotFound, findCluster, replicaClusterStatus, replicaClusterXml } from './replica-clusters.js';
import { durationS, findInstance, type RdsInstance, type RdsInstanceState } from './instances.js';

const ID = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;

function required(q: QueryTree, key: string): string {
  const v = str(q, key);
  if (!v) throw new SandboxAwsError('MissingParameter', `The request must contain the parameter ${key}`);
  return v;
}

function identifier(q: QueryTree, key: string): string {
  const id = required(q, key);
  if (!ID.test(id) || /--|-$/.test(id)) throw new SandboxAwsError('InvalidParameterValue', `The parameter ${key} is not a valid identifier: ${id}`);
  return id.toLowerCase();
}

const tagsOf = (q: QueryTree) => trees(q, 'Tags', 'Tag').map((t) => ({ key: str(t, 'Key') ?? '', value: str(t, 'Value') ?? '' }));

/**
 * A KMS key valid in `region`: an alias name, a key id, or an ARN of that region. ⚠ The sandbox has no KMS: any
 * such name is taken as existing; an ARN of another region is KMSKeyNotAccessibleFault (not valid there).
 */
function kmsKeyIn(raw: string, region: string): string {
  const arn = /^arn:aws[\w-]*:kms:([\w-]+):/.exec(raw);
  if (arn && arn[1] !== region) throw new SandboxAwsError('KMSKeyNotAccessibleFault', `The specified KMS key ${raw} is not accessible in ${region}.`);
  return raw;
}

/** CreateDBCluster with ReplicationSourceIdentifier, called in the replica's region: `creating`, then `available`. */
export function createReplicaCluster(q: QueryTree, state: RdsInstanceState, ctx: ServiceContext, region: string): string {
  const id = identifier(q, 'DBClusterIdentifier');
  const engine = required(q, 'Engine');
  const rawSource = str(q, 'ReplicationSourceIdentifier');
  if (!rawSource)
    throw new SandboxAwsError('InvalidParameterValue', 'The sandbox models CreateDBCluster only as a read replica: ReplicationSourceIdentifier is required.');
  const arn = /^arn:aws[\w-]*:rds:([\w-]+):\d*:cluster:(.+)$/i.exec(rawSource);
  // A bare identifier names a cluster in the called region; one in another region is named by its ARN.
  const source = findCluster(state, arn ? arn[1] : region, rawSource);
  if (!source) throw clusterNotFound(rawSource);
  state.clusters ??= [];
  if (state.clusters.some((c) => c.region === region && c.id === id))
    throw new SandboxAwsError('DBClusterAlreadyExistsFault', `DB cluster already exists: ${id}`);
  if (ctx.regionDownSince(source.region) !== undefined) {
    // ⚠ AWS does not document this case; the replica is seeded from the source, which cannot be reached.
    throw new SandboxAwsError('InvalidDBClusterStateFault', `The source DB cluster ${source.id} in ${source.region} cannot be reached.`);
  }
  const now = ctx.now();
  if (source.source || source.operation) {
    throw new SandboxAwsError(
      'InvalidDBClusterStateFault',
      `The source DB cluster ${source.id} must be an available primary (it is ${source.source ? 'a read replica' : replicaClusterStatus(source, now)}).`,
    );
  }
  // ⚠ AWS does not name the error for an engine other than the source's; the common one for such a mismatch.
  if (engine !== source.engine) throw new SandboxAwsError('InvalidParameterCombination', `Engine ${engine} does not match the source's ${source.engine}.`);
  const rawKey = str(q, 'KmsKeyId');
  const encrypted = source.encrypted !== false || bool(q, 'StorageEncrypted') === true;
  // The source's key is not valid in another region ("make sure to set KmsKeyId"): ⚠ the error is not documented.
  if (encrypted && source.region !== region && !rawKey)
    throw new SandboxAwsError('KMSKeyNotAccessibleFault', `The source DB cluster ${source.id} is encrypted: a KmsKeyId valid in ${region} is required.`);
  const replica: RdsInstance = {
    id,
    region,
    engine: source.engine,
    engineVersion: str(q, 'EngineVersion') ?? source.engineVersion,
    instanceClass: source.instanceClass,
    source: { region: source.region, id: source.id },
    lagMs: 0,
    operation: { kind: 'create', startedAt: now, endsAt: now + durationS(ctx, 'rdsCreateReplica') },
    createdAt: now,
    cluster: true,
    encrypted,
    ...(rawKey ? { kmsKeyId: kmsKeyIn(rawKey, region) } : {}),
    tags: tagsOf(q),
  };
  state.clusters.push(replica);
  return wrap('DBCluster', replicaClusterXml(replica, state, ctx));
}

/**
 * CreateDBInstance into a cross-region read replica cluster (or its source): `creating`, then `available`.
 * ⚠ AWS gives no figure for an instance's creation; a third of the world's rdsCreateReplica.
 */
export function createClusterInstance(q: QueryTree, state: RdsInstanceState, ctx: ServiceContext, region: string): string {
  const id = identifier(q, 'DBInstanceIdentifier');
  const engine = required(q, 'Engine');
  const instanceClass = required(q, 'DBInstanceClass');
  const rawCluster = str(q, 'DBClusterIdentifier');
  if (!rawCluster)
    throw new SandboxAwsError('InvalidParameterValue', 'The sandbox models CreateDBInstance only into a DB cluster: DBClusterIdentifier is required.');
  const cluster = findCluster(state, region, rawCluster);
  if (!cluster) throw clusterNotFound(rawCluster);
  if (findInstance(state, region, id)) throw new SandboxAwsError('DBInstanceAlreadyExists', `DB instance already exists: ${id}`);
  const now = ctx.now();
  const status = replicaClusterStatus(cluster, now);
  if (status !== 'available') throw new SandboxAwsError('InvalidDBClusterStateFault', `DB cluster ${cluster.id} is not in the available state (${status}).`);
  if (engine !== cluster.engine)
    throw new SandboxAwsError('InvalidParameterCombination', `Engine ${engine} does not match DB cluster ${cluster.id}'s ${cluster.engine}.`);
  const i: RdsInstance = {
    id,
    region,
    engine: cluster.engine,
    engineVersion: cluster.engineVersion,
    instanceClass,
    lagMs: 0,
    clusterId: cluster.id,
    operation: { kind: 'create', startedAt: now, endsAt: now + Math.round(durationS(ctx, 'rdsCreateReplica') / 3) },
    createdAt: now,
    tags: tagsOf(q),
  };
  state.instances.push(i);
  return wrap('DBInstance', instanceXml(i, state, ctx));
}
