// Route 53's plain domain types (records, zones, changes, health checks, TestDNSAnswer), part of the
// adapters' contract re-exported by types.ts. States are AWS's: change status PENDING/INSYNC
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeInfo.html).
import type { MutateOptions, MutationResult } from './mutation.js';

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
  /** The zone's name when already known (this process, or kept on disk by an earlier run): no call. */
  knownZoneName(zoneId: string): string | undefined;
  /** The zone's name, fully qualified: GetHostedZone once per zone and endpoint, then kept on disk (route53-zones.ts). */
  zoneName(zoneId: string): Promise<string>;
  /** Forget the kept name (a change named after it was refused): the next zoneName asks Route 53. */
  forgetZoneName(zoneId: string): void;
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
