// The audit log's event shape. One JSON object per line; `prev` chains each line to the one before
// it and `hash` seals the line itself, so a changed line is named exactly and a removed or moved
// line breaks the chain at the line after the gap.

export type AuditEventType =
  | 'run.started'
  | 'plan'
  | 'plan.progressed'
  | 'approval'
  | 'override'
  | 'lock.acquired'
  | 'lock.released'
  | 'lock.failed'
  | 'step.started'
  | 'step.planned'
  | 'intent'
  | 'result'
  | 'step.succeeded'
  | 'step.failed'
  | 'step.skipped'
  | 'step.warning'
  | 'step.note'
  | 'recheck.refused'
  | 'run.finished'
  | 'run.interrupted';

export interface Actor {
  /** STS caller ARN, or "unknown (<reason>)" when STS did not answer. */
  arn: string;
  osUser: string;
  host: string;
}

/** What the writer is given; `v`, `prev`, `ts` and `hash` are added when the line is written. */
export interface AuditEventInput {
  runId: string;
  type: AuditEventType;
  actor: Actor;
  argv: string[];
  /** Type-specific fields: the plan, a MutationCall, an AWS request id, an error, durations, ... */
  data?: Record<string, unknown>;
}

export interface AuditEvent extends AuditEventInput {
  v: 1;
  /** sha256 (hex) of the previous line as written, or GENESIS for the first line. */
  prev: string;
  ts: string;
  /** sha256 (hex) of this line without its `hash` field. */
  hash: string;
}

/** One run as seen in the audit log. */
export interface RunSummary {
  runId: string;
  topology: string;
  startedAt: string;
  endedAt?: string;
  command?: string;
  actor: string;
  /** From run.finished / run.interrupted; "running" when neither was written (still running, or crashed). */
  outcome: string;
  events: number;
  mutations: number;
}
