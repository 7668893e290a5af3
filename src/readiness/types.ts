// What `mr check` reports: for a failover to one region, each thing not in place, with its fix.
import type { Aws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import type { ObservedState } from '../inspect/types.js';

export interface ReadinessFinding {
  /** The region a failover would go to. */
  target: Region;
  /** What is not in place, e.g. "aurora cluster demo-euw1". */
  resource: string;
  problem: string;
  fix: string;
  /** could-not-check: the read failed or was denied; it counts as not ready (never a silent pass). */
  kind: 'not-ready' | 'could-not-check';
}

export interface ReadinessContext {
  topology: Topology;
  state: ObservedState;
  aws: Aws;
  account: string;
  callerArn: string;
  timeoutMs: number;
  /** One read shared by several kinds (e.g. the task definitions). */
  memo<T>(key: string, read: () => Promise<T>): Promise<T>;
}

/**
 * One resource kind's readiness check: a row of the table in checks.ts. Kinds added later (RDS read
 * replicas, latency and failover records, scalable targets) are one more row each.
 */
export interface ReadinessKind {
  name: string;
  /** Whether the topology has anything of this kind. */
  applies(t: Topology): boolean;
  check(ctx: ReadinessContext, target: Region): ReadinessFinding[] | Promise<ReadinessFinding[]>;
}

export interface ReadinessReport {
  version: 1;
  topology: string;
  checkedAt: string;
  account: string;
  caller: string;
  /** Per target region: ready when it has no finding. */
  targets: { region: Region; ready: boolean; findings: ReadinessFinding[] }[];
  ready: boolean;
}
