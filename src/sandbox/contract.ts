// The contract between the sandbox core (server, routing, faults, clock, persistence) and the
// service modules (route53, sts, rds, elasticache, ecs, cloudwatch). The core owns HTTP and the
// world file; each service owns its slice of state and its wire protocol.
// Models no AWS behaviour itself: the sandbox's own plumbing (AWS behaviours are cited in src/sandbox/services/).
import type { IncomingHttpHeaders } from 'node:http';

/** Simulated seconds each operation takes (world file `durations`). */
export interface Durations {
  auroraSwitchover: number;
  auroraFailover: number;
  datastoreFailover: number;
  dnsPropagation: number;
  taskStart: number;
  healthCheckInterval: number;
  /** PromoteReadReplica, modifying -> rebooting -> available. */
  rdsPromote: number;
  /** CreateDBInstanceReadReplica, creating -> available. */
  rdsCreateReplica: number;
  /** An Aurora member's rebuild after an unplanned failover; absent: twice auroraFailover. */
  auroraRebuild?: number;
}

export interface SandboxRequest {
  /** SigV4 signing name from the Authorization credential scope: route53, rds, elasticache, ecs, sts, monitoring. */
  service: string;
  /** SigV4 region from the credential scope. */
  region: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The request id the core will also put in x-amzn-RequestId; services echo it in bodies. */
  requestId: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** An AWS error a service throws; the core renders it in the service's protocol. */
export class SandboxAwsError extends Error {
  constructor(
    readonly code: string, // the wire code, e.g. InvalidGlobalReplicationGroupState
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** What a service sees of the world around it. Times are simulated epoch milliseconds. */
export interface ServiceContext {
  now(): number;
  /** Simulated milliseconds an operation takes. */
  durationMs(key: keyof Durations): number;
  account: string;
  regions: string[];
  /** Since when (simulated ms) a region has been down, or undefined when up. */
  regionDownSince(region: string): number | undefined;
  /** False when the application in the region is marked unhealthy (or the region is down). */
  appHealthy(region: string): boolean;
  /** Read another service's state (e.g. cloudwatch reads aurora lag). */
  peek<T>(service: string): T;
  /** Whether a fault has taken this thing away (services/removed.ts names the keys). */
  removed?(key: string): boolean;
}

/** One operation of a service: declared once, in its module's table. */
export interface Operation<State = unknown> {
  /** Whether it changes state (the core persists after it, and the call log marks it). */
  mutating: boolean;
  /** Answer the request. Throw SandboxAwsError for modelled AWS errors. */
  handle(req: SandboxRequest, state: State, ctx: ServiceContext): SandboxResponse | Promise<SandboxResponse>;
}

export type OperationTable<State> = Record<string, Operation<State>>;

export interface ServiceModule<State = unknown> {
  /** The SigV4 signing name this module answers. */
  signingName: string;
  /** Key of this module's slice in the world file and in the saved state. */
  stateKey: string;
  /**
   * A global service (Route 53): one control plane for the account whatever region the request is
   * signed for, so a region outage does not reach it; its own control-plane fault and account rate
   * limit do (see faults.ts).
   */
  global?: boolean;
  /** Build the initial state from the world file's section (may be undefined). */
  init(section: unknown, ctx: ServiceContext): State;
  /** The operation name for the call log and fault matching (e.g. "SwitchoverGlobalCluster"); need not be in the table. */
  operation(req: SandboxRequest): string;
  /** Every operation the module answers. */
  operations: OperationTable<State>;
  /**
   * Bring the state up to the clock before a request or a control call: apply what happened by itself
   * since (an Application Auto Scaling policy's scaling activity), each at the time it happened.
   * Returns true when it changed something (the core then saves the state).
   */
  settle?(state: State, ctx: ServiceContext): boolean;
  /** The error for a request that names no operation of the table. */
  unknownOperation(req: SandboxRequest, operation: string): SandboxAwsError;
  /** Render an error in this protocol (restXml / awsQuery / awsJson). */
  renderError(err: SandboxAwsError, req: SandboxRequest, operation: string): SandboxResponse;
}

export function operationOf<State>(module: ServiceModule<State>, operation: string): Operation<State> | undefined {
  return Object.hasOwn(module.operations, operation) ? module.operations[operation] : undefined;
}

/** Answer a request with the module's operation, or its unknown-operation error. */
export function dispatch<State>(
  module: ServiceModule<State>,
  req: SandboxRequest,
  state: State,
  ctx: ServiceContext,
  operation: string,
): SandboxResponse | Promise<SandboxResponse> {
  const op = operationOf(module, operation);
  if (!op) throw module.unknownOperation(req, operation);
  return op.handle(req, state, ctx);
}
