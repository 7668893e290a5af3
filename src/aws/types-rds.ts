// RDS and Aurora's plain domain types (global clusters, DB clusters and instances, replicas), part of the
// adapters' contract re-exported by types.ts. States are AWS's: GlobalClusterMember.SynchronizationStatus
// (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalClusterMember.html), FailoverState
// (API_FailoverState.html).
import type { MutateOptions, MutationResult } from './mutation.js';
import type { AuroraLagMetric } from './aurora-engine.js';

/** An AWS region name (us-east-1). */
export type Region = string;

export interface GlobalClusterMember {
  clusterArn: string;
  clusterId: string; // parsed from the ARN
  region: Region; // parsed from the ARN
  isWriter: boolean;
  syncStatus?: string; // connected | pending-resync
  writeForwarding?: string;
  readers: string[];
}

export interface FailoverStateInfo {
  status: string; // pending | switching-over | failing-over | cancelling
  fromArn?: string;
  toArn?: string;
  dataLossAllowed: boolean;
}

export interface GlobalClusterInfo {
  id: string;
  arn: string;
  status: string;
  engine?: string;
  engineVersion?: string;
  members: GlobalClusterMember[];
  failover?: FailoverStateInfo;
  /**
   * The global writer endpoint (GlobalCluster.Endpoint), where the global cluster has one: a DNS name Aurora
   * keeps pointed at the current primary cluster's writer ("Connecting to Amazon Aurora Global Database",
   * aurora-global-database-connecting.html; SDK model GlobalCluster.Endpoint). Absent on global databases without one.
   */
  writerEndpoint?: string;
}

export interface DbClusterInfo {
  id: string;
  arn: string;
  region: Region;
  status: string;
  endpoint?: string;
  globalClusterId?: string;
  engine?: string;
  engineVersion?: string;
  /** DB instances in the cluster (DBClusterMembers); 0 = headless, it cannot take the writer role. */
  instances?: number;
  /** A cross-region read replica cluster's source (ReplicationSourceIdentifier: the source cluster's ARN). */
  source?: { ref: string; region: Region; id: string };
  /** ReadReplicaIdentifiers, as read (the replica clusters' ARNs); absent when not sent. */
  replicas?: string[];
  /** The DB instance that is the cluster's writer (DBClusterMembers, IsClusterWriter), when it has one. */
  writerInstance?: string;
  /** StorageEncrypted; a replica of an encrypted cluster in another region needs a KMS key of that region. */
  encrypted?: boolean;
  /** DBCluster.TagList as key -> value (empty when it has none). */
  tags?: Record<string, string>;
}

/** What CreateDBCluster is sent to create a cross-region read replica cluster (src/aws/rds-clusters.ts). */
export interface ReplicaClusterSpec {
  /** The source cluster's ARN (ReplicationSourceIdentifier). */
  sourceArn: string;
  engine: string;
  engineVersion?: string;
  /** A KMS key valid in the destination region; needed when the source is encrypted. */
  kmsKeyId?: string;
  tags?: Record<string, string>;
}

/** One replication state of a DB instance (StatusInfos, StatusType "read replication"). */
export interface ReplicationStatus {
  status: string; // replicating | replication stop point set | replication stop point reached | error | stopped | terminated
  normal: boolean;
  message?: string;
}

export interface DbInstanceInfo {
  id: string;
  arn: string;
  region: Region;
  status: string; // available | modifying | rebooting | creating | backing-up | ...
  endpoint?: string;
  engine?: string;
  engineVersion?: string;
  /** A read replica's source (ReadReplicaSourceDBInstanceIdentifier: an ARN across regions, an id within one). */
  source?: { ref: string; region: Region; id: string };
  /** ReadReplicaDBInstanceIdentifiers, as read (ARNs for cross-region replicas). */
  replicas: string[];
  replication?: ReplicationStatus;
  /** DBInstance.TagList as key -> value (empty when it has none). */
  tags?: Record<string, string>;
  instanceClass?: string;
  /** The DB cluster the instance belongs to (DBClusterIdentifier), if any. */
  clusterId?: string;
}

export interface RdsApi {
  readGlobalCluster(globalClusterId: string): Promise<GlobalClusterInfo>;
  readDbCluster(clusterId: string): Promise<DbClusterInfo>;
  /** DescribeDBInstances of one instance in this client's region; DBInstanceNotFoundFault when it is not there. */
  readDbInstance(instanceId: string): Promise<DbInstanceInfo>;
}

export interface RdsMutations {
  /** Planned switchover; call on the client of the current primary's region. */
  switchoverGlobalCluster(
    globalClusterId: string,
    targetClusterArn: string,
    opts?: MutateOptions<GlobalClusterInfo & MutationResult>,
  ): Promise<GlobalClusterInfo & MutationResult>;
  /** Unplanned failover with data loss; call on the client of the target's region. */
  failoverGlobalCluster(
    globalClusterId: string,
    targetClusterArn: string,
    opts?: MutateOptions<GlobalClusterInfo & MutationResult>,
  ): Promise<GlobalClusterInfo & MutationResult>;
  /** PromoteReadReplicaDBCluster (a cross-region read replica cluster); call on the client of the replica's region. */
  promoteReadReplicaCluster(clusterId: string, opts?: MutateOptions<DbClusterInfo & MutationResult>): Promise<DbClusterInfo & MutationResult>;
  /** PromoteReadReplica; call on the client of the replica's region. */
  promoteReadReplica(instanceId: string, opts?: MutateOptions<DbInstanceInfo & MutationResult>): Promise<DbInstanceInfo & MutationResult>;
  /** CreateDBCluster with ReplicationSourceIdentifier; call on the client of the new replica cluster's region. */
  createReplicaCluster(
    clusterId: string,
    spec: ReplicaClusterSpec,
    opts?: MutateOptions<DbClusterInfo & MutationResult>,
  ): Promise<DbClusterInfo & MutationResult>;
  /** CreateDBInstance with DBClusterIdentifier: a DB instance for a cluster, in the cluster's region. */
  createClusterInstance(
    instanceId: string,
    clusterId: string,
    spec: { engine: string; instanceClass: string; tags?: Record<string, string> },
    opts?: MutateOptions<DbInstanceInfo & MutationResult>,
  ): Promise<DbInstanceInfo & MutationResult>;
  /** CreateDBInstanceReadReplica; call on the client of the new replica's region, naming the source by ARN. */
  createReadReplica(
    instanceId: string,
    sourceArn: string,
    opts?: MutateOptions<DbInstanceInfo & MutationResult> & { tags?: Record<string, string> },
  ): Promise<DbInstanceInfo & MutationResult>;
}
