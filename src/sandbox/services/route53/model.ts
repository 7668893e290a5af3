// The shapes of Route 53's slice of the sandbox state (plain JSON, persisted by the core). Kept apart
// from state.ts so the record store (records.ts) and the initial state can both use them without an
// import circle.

export interface StoredRecord {
  /** Lower case, with the trailing dot. */
  name: string;
  type: string;
  setIdentifier?: string;
  weight?: number;
  region?: string;
  failover?: 'PRIMARY' | 'SECONDARY';
  multiValueAnswer?: boolean;
  ttl?: number;
  values?: string[];
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
  healthCheckId?: string;
}

export interface Zone {
  /** Bare id (Z...); bodies carry /hostedzone/<id>. */
  id: string;
  name: string;
  callerReference: string;
  comment?: string;
  privateZone: boolean;
  nameServers: string[];
  /** Sorted by records.ts's order; kept sorted on every change. */
  records: StoredRecord[];
}

export interface HealthCheckConfig {
  type: string;
  ipAddress?: string;
  port?: number;
  resourcePath?: string;
  fqdn?: string;
  searchString?: string;
  requestInterval: number;
  failureThreshold: number;
  measureLatency: boolean;
  inverted: boolean;
  disabled: boolean;
  enableSNI?: boolean;
  regions?: string[];
  healthThreshold?: number;
  childHealthChecks?: string[];
  insufficientDataHealthStatus?: string;
}

export interface HealthCheckState {
  id: string;
  callerReference: string;
  version: number;
  config: HealthCheckConfig;
  /** The region whose application this check probes; undefined: an endpoint the sandbox knows nothing of (always healthy). */
  watches?: string;
  createdAt: number;
}

export interface ChangeRecord {
  /** Bare id (C...); bodies carry /change/<id>. */
  id: string;
  submittedAt: number;
  comment?: string;
}

export interface Route53State {
  zones: Zone[];
  healthChecks: HealthCheckState[];
  /** Newest last; trimmed to CHANGE_HISTORY. */
  changes: ChangeRecord[];
}
