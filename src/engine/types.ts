// Plans are data; steps compute them from live state. The step contract itself (PlannedStep,
// StepImpl, the contexts) lives in src/steps/contract.ts: the engine imports it from below.
import type { Aws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import type { PlannedStep } from '../steps/contract.js';

export type {
  Change,
  Check,
  MutationCall,
  PlanContext,
  PlannedStep,
  Risk,
  RunBaseContext,
  RunFlags,
  StepContext,
  StepData,
  StepImpl,
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
  /**
   * The region the run acts in: where STS is called for the audit actor. Part of the plan so that
   * `mr apply` of a saved plan acts where the planned run would have (an unplanned failover's
   * target, never the failed primary). Absent only in plans saved before it was recorded.
   */
  region?: Region;
  stages: PlannedStage[];
  /** sha256 over the command, playbook, vars and every step (kind, params, changes, observed), in order (fingerprint.ts). */
  fingerprint: string;
  /** Each step's digest (first 16 hex digits), so `mr apply` names the step an edit touched. */
  digests?: Record<string, string>;
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

/**
 * The one vocabulary for a step's status, used by the run record, the --json events, the summary
 * and the timing report alike. `skipped`: planned as a no-op (already done), nothing applied.
 */
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';

/**
 * How a run ended. `rolled-back`: a step changed the world, then put it back as it found it (a
 * traffic shift whose health gate failed restored the weights): exit 1, nothing left changed.
 */
export type RunOutcome = 'running' | 'succeeded' | 'noop' | 'failed' | 'partial' | 'rolled-back' | 'refused' | 'declined' | 'interrupted';

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
