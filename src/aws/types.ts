// Plain domain types returned by the adapters. Nothing above src/aws sees an SDK type.
// This file is the contract between src/aws and everything that uses it.
// The states these types carry are AWS's: GlobalClusterMember.SynchronizationStatus (connected |
// pending-resync), FailoverState (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalClusterMember.html,
// API_FailoverState.html), Global Datastore member roles PRIMARY/SECONDARY (ElastiCache API reference,
// GlobalReplicationGroupMember), Route 53 change status PENDING/INSYNC (API_ChangeInfo.html).

import type { AuroraLagMetric } from './aurora-engine.js';
import type { MutateOptions, MutationResult, MutationSink } from './mutation.js';
import type { SandboxApi, SandboxMutations } from './sandbox-control.js';
import type { DnsApi } from './dns.js';
import type { EcrApi, IamApi, SecretsManagerApi, TaskDefinitionInfo } from './readiness-types.js';

export type { AuroraLagMetric } from './aurora-engine.js';

/** A secondary's lag (ms) under each Aurora global database lag metric; null where there is no datapoint. */
export type AuroraLags = Record<AuroraLagMetric, number | null>;
export type { MutateOptions, MutationCall, MutationEnd, MutationResult, MutationSink } from './mutation.js';
export type { CnameAnswer, DnsApi } from './dns.js';
export type { SandboxApi, SandboxFault, SandboxFaults, SandboxFaultSpec, SandboxMutations } from './sandbox-control.js';

// Route 53 and RDS/Aurora types live in their own files; every importer keeps importing from here.
export type * from './types-route53.js';
export type * from './types-rds.js';
import type { HealthCheckInfo, RecordSet, Route53Api, Route53Mutations } from './types-route53.js';
import type { DbInstanceInfo, GlobalClusterInfo, RdsApi, RdsMutations, Region } from './types-rds.js';

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
   * Latest replication lag (ms) of a secondary cluster under each metric AWS may publish it as, read in
   * the secondary's region in one call; null where no datapoint. lagMetricFor() says which one to use.
   */
  auroraReplicationLags(clusterId: string): Promise<AuroraLags>;
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
  /** The DNS server ("127.0.0.1:5353") names are resolved with; default: the sandbox's behind endpointUrl, else the system's. */
  dnsServer?: string;
  /** The user's cache dir ($XDG_CACHE_HOME/mr): hosted zone names are kept there between runs (route53-zones.ts). None: this process only. */
  cacheDir?: string;
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
  /** DNS as applications see it (src/aws/dns.ts); absent in test fakes: nothing is resolved. */
  dns?(): DnsApi;
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
