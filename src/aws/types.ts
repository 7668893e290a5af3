// Plain domain types returned by the adapters. Nothing above src/aws sees an SDK type.
// This file is the contract between src/aws and everything that uses it.
// The states these types carry are AWS's: GlobalClusterMember.SynchronizationStatus (connected |
// pending-resync), FailoverState (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalClusterMember.html,
// API_FailoverState.html), Global Datastore member roles PRIMARY/SECONDARY (ElastiCache API reference,
// GlobalReplicationGroupMember), Route 53 change status PENDING/INSYNC (API_ChangeInfo.html).

import type { AuroraLagMetric } from './aurora-engine.js';
import type { MutateOptions, MutationResult, MutationSink } from './mutation.js';
import type { SandboxApi, SandboxMutations } from './sandbox-control.js';
import type { EcrApi, IamApi, SecretsManagerApi, TaskDefinitionInfo } from './readiness-types.js';

export type { AuroraLagMetric } from './aurora-engine.js';
export type { MutateOptions, MutationCall, MutationEnd, MutationResult, MutationSink } from './mutation.js';
export type { SandboxApi, SandboxFault, SandboxFaults, SandboxFaultSpec, SandboxMutations } from './sandbox-control.js';
export type Region = string;

// ---------- Route 53 ----------

export interface AliasTarget {
  hostedZoneId: string;
  dnsName: string;
  evaluateTargetHealth: boolean;
}

export interface RecordSet {
  name: string; // fully qualified, with the trailing dot, as Route 53 returns it
  type: string;
  setIdentifier?: string;
  weight?: number;
  region?: string; // latency routing
  failover?: 'PRIMARY' | 'SECONDARY';
  ttl?: number;
  values?: string[];
  aliasTarget?: AliasTarget;
  healthCheckId?: string;
  /** Every other field as read (GeoLocation, MultiValueAnswer, CidrRoutingConfig, ...), kept so an UPSERT
   * rewrites the record unchanged but for what the plan changes. */
  extra?: Record<string, unknown>;
}

export interface RecordChange {
  action: 'CREATE' | 'UPSERT' | 'DELETE';
  record: RecordSet;
}

export interface HostedZoneInfo {
  id: string; // bare id, without /hostedzone/
  name: string;
  recordCount?: number;
}

export interface ChangeInfo extends MutationResult {
  changeId: string; // bare id, without /change/
  status: 'PENDING' | 'INSYNC';
  submittedAt?: string;
}

export interface HealthCheckConfigInfo {
  type: string;
  ipAddress?: string;
  port?: number;
  resourcePath?: string;
  fqdn?: string;
  searchString?: string;
  requestInterval?: number;
  failureThreshold?: number;
  inverted: boolean;
  disabled: boolean;
  measureLatency?: boolean;
  enableSni?: boolean;
  regions?: string[];
  /** CALCULATED checks: the child check ids, and how many must be healthy. */
  childHealthChecks?: string[];
  healthThreshold?: number;
}

export interface HealthCheckInfo {
  id: string;
  version: number;
  config: HealthCheckConfigInfo;
}

export interface HealthCheckObservation {
  checkerRegion: string;
  ipAddress?: string;
  status: string; // free text, e.g. "Success: HTTP Status Code 200, OK"
  checkedTime?: string; // ISO-8601
  healthy: boolean; // derived: status starts with "Success"
}

/** What Route 53 would answer a resolver (and EDNS0 client subnet) for a name and type. */
export interface DnsAnswer {
  nameserver: string;
  recordName: string;
  recordType: string;
  data: string[];
  responseCode: string; // NOERROR, NXDOMAIN, ...
  protocol: string;
}

export interface DnsQuestion {
  /** The resolver to simulate; Route 53 uses one in us-east-1 when omitted. */
  resolverIp?: string;
  /** A client address (EDNS0 client subnet): where latency records are judged from. */
  clientSubnet?: string;
  subnetMask?: number;
}

export interface Route53Api {
  getHostedZone(zoneId: string): Promise<HostedZoneInfo>;
  /**
   * Every record of one name and type, read starting at that name and type (calls do not grow with the zone).
   * `expected`, the number of record sets the caller expects (its set identifiers), sizes the page.
   */
  readRecords(zoneId: string, name: string, type: string, expected?: number): Promise<RecordSet[]>;
  getChange(changeId: string): Promise<ChangeInfo>;
  getHealthCheck(id: string): Promise<HealthCheckInfo>;
  getHealthCheckStatus(id: string): Promise<HealthCheckObservation[]>;
  getHealthCheckLastFailureReason(id: string): Promise<HealthCheckObservation[]>;
  /** TestDNSAnswer: Route 53's answer for a name and type as a resolver/client would get it. */
  testDnsAnswer(zoneId: string, name: string, type: string, question?: DnsQuestion): Promise<DnsAnswer>;
}

export interface Route53Mutations {
  changeRecords(zoneId: string, changes: RecordChange[], comment?: string, opts?: MutateOptions<ChangeInfo>): Promise<ChangeInfo>;
  /**
   * Set a check's Inverted flag (UpdateHealthCheck); every other setting is left as it is. `version`
   * (HealthCheckVersion as read) makes Route 53 refuse when the check changed since.
   */
  setHealthCheckInverted(
    id: string,
    inverted: boolean,
    version?: number,
    opts?: MutateOptions<HealthCheckInfo & MutationResult>,
  ): Promise<HealthCheckInfo & MutationResult>;
}

// ---------- RDS / Aurora ----------

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
  /** CreateDBInstanceReadReplica; call on the client of the new replica's region, naming the source by ARN. */
  createReadReplica(
    instanceId: string,
    sourceArn: string,
    opts?: MutateOptions<DbInstanceInfo & MutationResult> & { tags?: Record<string, string> },
  ): Promise<DbInstanceInfo & MutationResult>;
}

// ---------- ElastiCache Global Datastore ----------

export interface DatastoreMember {
  replicationGroupId: string;
  region: Region;
  role: 'PRIMARY' | 'SECONDARY' | string;
  status: string;
}

export interface GlobalDatastoreInfo {
  id: string;
  status: string; // available | modifying | primary-only | ...
  engine?: string;
  members: DatastoreMember[];
}

export interface ReplicationGroupInfo {
  id: string;
  status: string;
  globalRole?: string;
  /** Where clients connect: the configuration endpoint (cluster mode enabled), else the primary endpoint. */
  endpoint?: string;
  /** Its cache clusters (MemberClusters), where ElastiCache publishes node-level metrics. */
  memberClusters?: string[];
}

export interface ElastiCacheApi {
  readGlobalDatastore(globalReplicationGroupId: string): Promise<GlobalDatastoreInfo>;
  readReplicationGroup(replicationGroupId: string): Promise<ReplicationGroupInfo>;
}

export interface ElastiCacheMutations {
  /** Promote the named replication group; call on the client of the target's region. */
  failoverGlobalDatastore(
    globalReplicationGroupId: string,
    primaryRegion: Region,
    primaryReplicationGroupId: string,
    opts?: MutateOptions<GlobalDatastoreInfo & MutationResult>,
  ): Promise<GlobalDatastoreInfo & MutationResult>;
}

// ---------- ECS ----------

export interface EcsServiceInfo {
  cluster: string;
  name: string;
  arn?: string;
  status: string; // ACTIVE | DRAINING | INACTIVE | MISSING
  desired: number;
  running: number;
  pending: number;
  deployments: number;
  /** The task definition ARN the service runs. */
  taskDefinition?: string;
}

export interface EcsApi {
  /** Missing services come back with status MISSING rather than throwing. */
  describeServices(cluster: string, services: string[]): Promise<EcsServiceInfo[]>;
  /** The containers of a task definition (family, family:revision or ARN), read in this region. */
  describeTaskDefinition(taskDefinition: string): Promise<TaskDefinitionInfo>;
}

export interface EcsMutations {
  updateDesiredCount(
    cluster: string,
    service: string,
    desired: number,
    opts?: MutateOptions<EcsServiceInfo & MutationResult>,
  ): Promise<EcsServiceInfo & MutationResult>;
}

// ---------- Application Auto Scaling (ECS services) ----------

export interface ScalableTargetInfo {
  resourceId: string; // service/<cluster>/<service>
  min: number;
  max: number;
}

export interface AutoScalingApi {
  /** The scalable target of an ECS service; undefined when the service is not under Application Auto Scaling. */
  readEcsScalableTarget(cluster: string, service: string): Promise<ScalableTargetInfo | undefined>;
}

export interface AutoScalingMutations {
  /** RegisterScalableTarget with both bounds; the service's desired count is kept inside them by AWS. */
  setEcsCapacityRange(
    cluster: string,
    service: string,
    range: { min: number; max: number },
    opts?: MutateOptions<ScalableTargetInfo & MutationResult>,
  ): Promise<ScalableTargetInfo & MutationResult>;
}

// ---------- STS, CloudWatch ----------

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface StsApi {
  callerIdentity(): Promise<CallerIdentity>;
}

export interface CloudWatchApi {
  /**
   * Latest replication lag (ms) of a secondary cluster, read in the secondary's region; null if no
   * datapoint. `metric` as lagMetricFor() picks it (default AuroraGlobalDBReplicationLag).
   */
  auroraReplicationLag(clusterId: string, metric?: AuroraLagMetric): Promise<number | null>;
  /** Latest ReplicaLag of an RDS read replica in ms (CloudWatch publishes seconds), read in its region; null if no datapoint. */
  replicaLag(instanceId: string): Promise<number | null>;
  /**
   * Latest GlobalDatastoreReplicationLag (ms; CloudWatch publishes seconds) of a secondary replication group,
   * the largest over its cache clusters, read in its region; null if no cluster has a datapoint.
   */
  datastoreReplicationLag(cacheClusterIds: string[]): Promise<number | null>;
  /** Latest AuroraBinlogReplicaLag of a cross-region read replica cluster in ms (published in seconds), read in its region; null if none. */
  clusterReplicaLag(clusterId: string): Promise<number | null>;
}

// ---------- Discovery (mr init) ----------

export interface ZoneSummary {
  id: string;
  name: string;
  privateZone: boolean;
}

export interface DiscoveryApi {
  hostedZones(): Promise<ZoneSummary[]>;
  zoneRecords(zoneId: string): Promise<RecordSet[]>;
  /** Every health check of the account, with its configuration (ListHealthChecks). */
  healthChecks(): Promise<HealthCheckInfo[]>;
  globalClusters(region: Region): Promise<GlobalClusterInfo[]>;
  /** Every DB instance of the region (DescribeDBInstances, no identifier). */
  dbInstances(region: Region): Promise<DbInstanceInfo[]>;
  globalDatastores(region: Region): Promise<GlobalDatastoreInfo[]>;
  ecsClusters(region: Region): Promise<string[]>;
  ecsServices(region: Region, cluster: string): Promise<EcsServiceInfo[]>;
}

// ---------- The factory's face ----------

export interface AwsOptions {
  profile?: string;
  endpointUrl?: string;
  /** Bounded per-request timeout; reads of a region that does not answer fail within this. */
  requestTimeoutMs?: number;
  maxAttempts?: number;
  /** Appended to the user agent, e.g. "mr/0.1.0 run/<run-id>". */
  userAgentSuffix?: string;
  /** Static credentials (sandbox only). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Route 53 calls per second (and burst) this process may make; default Route 53's 5 req/s account limit. */
  route53Rate?: { rate: number; burst?: number };
}

/**
 * The read half of every adapter: what a step's plan() gets, so a plan that mutates does not compile.
 * Aws is a ReadAws with a way to mutate.
 */
export interface ReadAws {
  route53(): Route53Api; // always us-east-1: Route 53's control plane
  rds(region: Region): RdsApi;
  elasticache(region: Region): ElastiCacheApi;
  ecs(region: Region): EcsApi;
  sts(region?: Region): StsApi;
  cloudwatch(region: Region): CloudWatchApi;
  applicationAutoScaling(region: Region): AutoScalingApi;
  ecr(region: Region): EcrApi;
  secretsManager(region: Region): SecretsManagerApi;
  /** Global: always us-east-1. */
  iam(): IamApi;
  /** Listing reads for mr init. */
  discovery(): DiscoveryApi;
  /** Not AWS: the control endpoint of a sandbox behind the endpoint override (absent in test fakes: no sandbox). */
  sandbox?(): SandboxApi;
}

/** The mutating half of every adapter, bound to one audit sink (src/aws/mutation.ts). */
export interface MutatingAws {
  route53(): Route53Mutations;
  rds(region: Region): RdsMutations;
  elasticache(region: Region): ElastiCacheMutations;
  ecs(region: Region): EcsMutations;
  applicationAutoScaling(region: Region): AutoScalingMutations;
  /** Faults in a sandbox (game days): audited like every change, never sent to AWS. */
  sandbox?(): SandboxMutations;
}

export interface Aws extends ReadAws {
  /** The only way to the mutating methods: every call they make writes its intent and result to `sink`. */
  mutating(sink: MutationSink): MutatingAws;
  /**
   * Load these services' SDK packages now, together. Optional: callers that bound their first calls
   * with timers (status's hedged reads) call it first so the timers do not count a cold SDK load.
   * Never rejects; a package that fails to load fails its calls later, as it would have anyway.
   */
  preload?(services: AwsService[]): Promise<void>;
  /**
   * How long `calls` Route 53 calls asked for now would wait for their turn under the process's
   * Route 53 pacing, in ms. A read bound that covers a batch of Route 53 calls adds this, so calls
   * waiting their turn are not mistaken for an endpoint that does not answer.
   */
  route53QueueMs?(calls: number): number;
  destroy(): void;
}

/** The adapters' APIs are reads only; these names stay for the code that spelled them so. */
export type Route53Reads = Route53Api;
export type RdsReads = RdsApi;
export type ElastiCacheReads = ElastiCacheApi;
export type EcsReads = EcsApi;

export type AwsService = 'route53' | 'rds' | 'elasticache' | 'ecs' | 'sts' | 'cloudwatch' | 'application-autoscaling' | 'ecr' | 'secretsmanager' | 'iam';
