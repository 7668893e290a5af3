// What `gather` observed, as plain JSON. `mr status --json` prints this document (plus findings),
// so its shape is a public contract: see src/cli/render/STATUS-JSON.md. Add fields; never rename.
import type { CheckVerdict } from '../steps/health-verdict.js';
import type {
  DbClusterInfo,
  DbInstanceInfo,
  EcsServiceInfo,
  GlobalClusterInfo,
  GlobalDatastoreInfo,
  HealthCheckConfigInfo,
  HealthCheckObservation,
  Region,
  ReplicationGroupInfo,
} from '../aws/types.js';

/** One read: its value, or why there is none. `unreachable` means the endpoint did not answer at all. */
export type Observed<T> = { ok: true; value: T } | { ok: false; error: string; unreachable: boolean };

export interface WeightedSetView {
  region: Region;
  setIdentifier: string;
  /** False when the zone has no record with this set identifier. */
  found: boolean;
  weight?: number;
  healthCheckId?: string;
}

export interface RecordView {
  name: string;
  type: string;
  sets: WeightedSetView[];
}

export interface HealthCheckView {
  id: string;
  config: HealthCheckConfigInfo;
  /** Each checker's latest observation. */
  checkers: HealthCheckObservation[];
  /** The last failure each checker reported (may be old). */
  lastFailures: HealthCheckObservation[];
  healthyCheckers: number;
  /** What Route 53 concludes: disabled = healthy; > 18% of checkers healthy; inverted flips. */
  healthy: boolean;
  /** The verdict with its basis (src/steps/health-verdict.ts); absent only in hand-built views. */
  verdict?: CheckVerdict;
}

/** A latency or failover record group: which region has which record, and the check that governs it. */
export interface RoutedView {
  name: string;
  type: string;
  kind: 'latency' | 'failover';
  sets: { region: Region; setIdentifier: string; found: boolean; failover?: 'PRIMARY' | 'SECONDARY'; healthCheckId?: string }[];
}

export interface Route53State {
  hostedZoneId: string;
  /** Latency and failover records (absent when the topology has none). */
  routed?: (Observed<RoutedView> & { name: string; type: string })[];
  /** Each region's control check (absent when the topology names none). */
  controlChecks?: Record<Region, Observed<HealthCheckView>>;
  /** One per topology record, in topology order; name and type are repeated outside the read so a failed read still says which record. */
  records: (Observed<RecordView> & { name: string; type: string })[];
  healthChecks: Record<Region, Observed<HealthCheckView>>;
}

export interface AuroraState {
  globalClusterId: string;
  maxLagMs: number;
  /** `readIn`: the region whose endpoint answered (the first that did, in topology order). */
  global: Observed<GlobalClusterInfo & { readIn: Region }>;
  clusters: Record<Region, Observed<DbClusterInfo>>;
  /** AuroraGlobalDBReplicationLag in ms, read in each region; null when there is no datapoint (e.g. the writer). */
  lagMs: Record<Region, Observed<number | null>>;
  /**
   * What the global writer endpoint resolves to (its CNAME targets, lowercased; `via`: the name servers asked),
   * read after the global cluster; absent when it has none or nothing can resolve (src/aws/dns.ts).
   */
  writerEndpoint?: Observed<{ name: string; names: string[]; via: string }>;
}

export interface ElastiCacheState {
  globalReplicationGroupId: string;
  datastore: Observed<GlobalDatastoreInfo & { readIn: Region }>;
  replicationGroups: Record<Region, Observed<ReplicationGroupInfo>>;
}

export interface RdsInstanceView extends DbInstanceInfo {
  /** ReplicaLag in ms (replicas only; null: no datapoint, or not a replica). */
  lagMs: number | null;
}

export interface RdsClusterView extends DbClusterInfo {
  /** AuroraBinlogReplicaLag in ms (replica clusters only; null: no datapoint, or not a replica). */
  lagMs: number | null;
}

export interface RdsState {
  maxLagMs: number;
  /** Per region: the topology's instances that exist there, read in that region. */
  regions: Record<Region, Observed<RdsInstanceView[]>>;
  /** Per region: the topology's cross-region replica clusters and their sources (rds.clusters; absent without). */
  clusters?: Record<Region, Observed<RdsClusterView[]>>;
}

export interface EcsRegionState {
  cluster: string;
  services: (EcsServiceInfo & { capacity: number })[];
}

export interface ObservedState {
  version: 1;
  topology: string;
  observedAt: string; // ISO-8601
  regions: Region[];
  /** Regions whose endpoints did not answer, with the first reason seen. */
  unreachable: Record<Region, string>;
  route53?: Route53State;
  aurora?: AuroraState;
  elasticache?: ElastiCacheState;
  rds?: RdsState;
  ecs?: Record<Region, Observed<EcsRegionState>>;
}

export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  region?: Region;
  /** One line, saying what is wrong and where. */
  message: string;
}
