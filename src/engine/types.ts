// Plans are data; steps compute them from live state. The contract between src/engine (runner,
// approval, choke point, audit) and src/steps (one file per step kind).
import type { Aws, MutationResult, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';

export type Risk = 'safe' | 'disruptive' | 'data-loss';

export type StepKind =
  | 'ecs.scale'
  | 'aurora.switchover'
  | 'aurora.failover'
  | 'redis.failover'
  | 'route53.shift'
  | 'gate.health'
  | 'gate.lag'
  | 'approval'
  | 'wait';

export interface Change {
  resource: string; // e.g. "aurora global cluster demo-global", "ecs demo-euw1/api"
  attribute: string; // e.g. "writer", "desiredCount", "weight euw1"
  from: unknown;
  to: unknown;
  risk: Risk;
  region?: Region;
}

export interface Check {
  name: string; // e.g. "target lag under bound"
  passed: boolean;
  observed?: unknown;
  bound?: unknown;
  /** One line for the operator, e.g. "eu-west-1 lag 2400 ms is above the bound 1000 ms". */
  message: string;
  /** The flag that overrides a failed check, where one may (e.g. "--skip-lag-check"); absent = no override. */
  override?: string;
}

export interface PlannedStep {
  id: string; // unique in the plan, stable across re-plans of the same playbook (e.g. "switch-db")
  kind: StepKind;
  title: string; // one line: "Switch over Aurora demo-global to eu-west-1"
  region?: Region; // the region its calls go to
  params: Record<string, unknown>; // as given (playbook/flags), plain JSON
  changes: Change[];
  checks: Check[];
  /** The resource is already where it should be: nothing to apply, nothing to verify. */
  noop: boolean;
  /** The change was already started (e.g. a switchover in progress toward the target): apply makes no call, verify waits. */
  inProgress?: boolean;
  /** What apply needs, computed at plan time (ARNs, record sets as read), plain JSON. */
  data: Record<string, unknown>;
  /** The observed values this step's plan depends on; hashed into the plan's fingerprint. */
  observed: Record<string, unknown>;
}

export interface PlannedStage {
  name: string;
  /** Steps of a stage run in parallel. */
  parallel: boolean;
  steps: PlannedStep[];
}

export interface Plan {
  version: 1;
  id: string;
  createdAt: string;
  topology: string; // topology name
  command: string; // "aurora switchover eu-west-1", "failover eu-west-1", ...
  playbook?: string;
  vars?: Record<string, string>;
  stages: PlannedStage[];
  /** sha256 over every step's `observed`, in order. */
  fingerprint: string;
}

/** What a step's plan() gets: read-only access to the world. */
export interface PlanContext {
  topology: Topology;
  aws: Aws;
  flags: RunFlags;
}

export interface RunFlags {
  yes: boolean;
  allowDataLoss: boolean;
  dryRun: boolean;
  /** Overrides named by Check.override that the operator passed (e.g. "--skip-lag-check"). */
  overrides: string[];
}

export interface MutationCall {
  service: 'route53' | 'rds' | 'elasticache' | 'ecs';
  region: Region;
  operation: string; // the AWS operation, e.g. "SwitchoverGlobalCluster"
  target: string; // the resource it changes
  params: Record<string, unknown>; // what is sent (no secrets)
}

/** What a step's apply()/verify() get. No io, no process: progress goes through report(). */
export interface StepContext extends PlanContext {
  runId: string;
  /** THE choke point: audit intent, call, audit result. Every mutating adapter call goes through here. */
  mutate<T extends MutationResult>(call: MutationCall, fn: () => Promise<T>): Promise<T>;
  /** Poll until probe says done; throws a timeout error naming `what` and the last detail. */
  /** Poll until done; `expectedMs` (the operation's typical duration) lets it poll sparsely until near the expected end. */
  waitFor<T = void>(what: string, probe: () => Promise<{ done: boolean; detail: string; value?: T }>, opts?: { timeoutMs?: number; intervalMs?: number; expectedMs?: number }): Promise<T>;
  /** Progress text for the spinner ("writer: us-east-1, status switching-over"). */
  report(text: string): void;
  /** Sleep that ends early on abort. */
  sleep(ms: number): Promise<void>;
  signal: AbortSignal;
  /** The operator's answer for `approval` steps (engine asks through io). */
  approve(message: string): Promise<void>;
}

export interface StepImpl {
  kind: StepKind;
  /** Compute changes and checks from the live state. Reads only. */
  plan(id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep>;
  /** Make the change (through ctx.mutate). Not called for noop or inProgress steps. */
  apply(step: PlannedStep, ctx: StepContext): Promise<void>;
  /** Wait until the change has converged. Not called for noop steps. */
  verify(step: PlannedStep, ctx: StepContext): Promise<void>;
}

// ---------- Runs (added by the engine: what commands and playbooks hand to runMutation) ----------

export interface RunSpecStep {
  id: string;
  kind: StepKind;
  params: Record<string, unknown>;
}

export interface RunSpecStage {
  name: string;
  parallel: boolean;
  steps: RunSpecStep[];
}

/** What a mutating command asks the engine to do; the engine plans it, shows it, asks, applies it. */
export interface RunSpec {
  command: string; // "aurora switchover eu-west-1"
  playbook?: string;
  vars?: Record<string, string>;
  /**
   * The region the run acts in, where STS GetCallerIdentity is called for the audit log's actor.
   * An unplanned failover must name its target here so no call goes to the failed region.
   * Default: the topology's first region.
   */
  region?: Region;
  stages: RunSpecStage[];
}

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';

export type RunOutcome = 'running' | 'succeeded' | 'noop' | 'failed' | 'partial' | 'refused' | 'declined' | 'interrupted';

/** The --json result document of a run (printed after the plan document). */
export interface RunResultDoc {
  runId: string;
  outcome: RunOutcome;
  steps: { id: string; kind: StepKind; status: StepStatus; startedAt?: string; endedAt?: string; durationMs?: number; error?: string }[];
  auditLog: string;
  runRecord: string;
}

/** What a run needs from its caller. The CLI's CommandContext provides it; the engine imports nothing from the CLI. */
export interface RunContext {
  io: import('../io/types.js').Io;
  /** The command line as typed, for the audit log. */
  argv: string[];
  stateDir: string;
  signal: AbortSignal;
  loadTopology(): Promise<Topology>;
  aws(opts?: { runId?: string; requestTimeoutMs?: number }): Promise<Aws>;
}
