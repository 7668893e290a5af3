// Plans are data; steps compute them from live state. The step contract itself (PlannedStep,
// StepImpl, the contexts) lives in src/steps/contract.ts: the engine imports it from below.
import type { Aws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import type { PlannedStep } from '../steps/contract.js';

export type {
  Change, Check, MutationCall, PlanContext, PlannedStep, Risk, RunBaseContext, RunFlags, StepContext, StepData, StepImpl,
} from '../steps/contract.js';
export type { StepKind } from '../steps/index.js';

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

// ---------- Runs (added by the engine: what commands and playbooks hand to runMutation) ----------

export interface RunSpecStep {
  id: string;
  /** A StepKind; a plan file read back may name any string, which checkSpec refuses before any call. */
  kind: string;
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
  steps: { id: string; kind: string; status: StepStatus; startedAt?: string; endedAt?: string; durationMs?: number; error?: string }[];
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
