// The contract between the sandbox core (server, routing, faults, clock, persistence) and the
// service modules (route53, sts, rds, elasticache, ecs, cloudwatch). The core owns HTTP and the
// world file; each service owns its slice of state and its wire protocol.
import type { IncomingHttpHeaders } from 'node:http';

/** Simulated seconds each operation takes (world file `durations`). */
export interface Durations {
  auroraSwitchover: number;
  auroraFailover: number;
  datastoreFailover: number;
  dnsPropagation: number;
  taskStart: number;
  healthCheckInterval: number;
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
}

export interface ServiceModule<State = unknown> {
  /** The SigV4 signing name this module answers. */
  signingName: string;
  /** Key of this module's slice in the world file and in the saved state. */
  stateKey: string;
  /** Build the initial state from the world file's section (may be undefined). */
  init(section: unknown, ctx: ServiceContext): State;
  /** The operation name for the call log and fault matching (e.g. "SwitchoverGlobalCluster"). */
  operation(req: SandboxRequest): string;
  /** Whether the operation changes state (the core persists after it, and the call log marks it). */
  mutating(operation: string): boolean;
  /** Answer the request. Throw SandboxAwsError for modelled AWS errors. */
  handle(req: SandboxRequest, state: State, ctx: ServiceContext, operation: string): SandboxResponse | Promise<SandboxResponse>;
  /** Render an error in this protocol (restXml / awsQuery / awsJson). */
  renderError(err: SandboxAwsError, req: SandboxRequest, operation: string): SandboxResponse;
}
