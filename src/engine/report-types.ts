// The timing report's shape: its own module, so the run record (which holds a report) and the report
// (computed from run records) do not import each other.
import type { StepStatus } from './types.js';

export interface ReportStep {
  id: string;
  kind: string;
  stage: string;
  title?: string;
  /** The step's status at the end of the chain, in the run record's vocabulary. */
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  /** The run the step is credited to when it is not this one (it finished before a resume). */
  fromRun?: string;
  /** How the timing was put together when it spans runs ("started in <run>", "finished by AWS ..."). */
  note?: string;
}

export interface TimingReport {
  version: 1;
  runId: string;
  /** The interrupted runs this one continued, oldest first. */
  continues: string[];
  steps: ReportStep[];
  /** Mutating calls the steps of the chain made (lock changes are not counted). */
  changes: number;
  rto: { ms: number; from: string; to: string; verified: boolean } | null;
  rpo: { boundMs: number; step: string; kind: string; region?: string; note: string } | null;
}
