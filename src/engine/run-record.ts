// The run record: <stateDir>/runs/<runId>.json, the run's current state in one document, rewritten
// (temp file + rename, so a reader never sees half of it) whenever a step changes status.
// `mr resume` and `mr report` read it; the audit log stays the authoritative history.
//
// Shape (version 1):
// {
//   version: 1, runId, topology, command, playbook?, vars?, resumeOf?,
//   spec: RunSpec,                 // what was asked, so a resume can re-plan it
//   argv: string[], actor: { arn, osUser, host },
//   createdAt, updatedAt, endedAt?,            // ISO-8601
//   outcome: RunOutcome,                        // "running" until the run ends
//   approval?: string,                          // "flag --yes", "prompt", "typed eu-west-1", ...
//   plan: Plan,                                 // the plan as approved
//   auditLog: string,                           // path of the topology's audit file
//   firstMutationAt?: string,                   // first mutating call issued: where the RTO starts
//   steps: [{ id, kind, stage, status, startedAt?, endedAt?, durationMs?, mutations, error?, waits?, warnings?, notes? }],  // plan order
//   error?: string,                             // why the run stopped, when it did not succeed
//   report?: TimingReport                       // written by the engine when the run ends
// }
// The acting region is plan.region. Step status uses the one vocabulary of StepStatus everywhere:
// the record, the --json events (events.ts), the summary and the timing report.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Actor } from '../audit/types.js';
import { scrub, secretsFromEnv } from '../audit/scrub.js';
import type { TimingReport } from './report-types.js';
import type { Plan, RunOutcome, RunSpec, StepStatus } from './types.js';

export interface RunStepRecord {
  id: string;
  kind: string;
  stage: string;
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  mutations: number;
  error?: string;
  /** The waits that converged, in order (for the HTML report's timeline). */
  waits?: StepWait[];
  /** What verify found and warned of though the step converged (StepContext.warn), in order. */
  warnings?: string[];
  /** What verify confirmed beyond the change itself (StepContext.note), in order. */
  notes?: string[];
}

/** One waitFor() that converged: its reads, the last that saw the operation pending, the one that saw it done. */
export interface StepWait {
  what: string;
  polls: number;
  startedAt: string;
  /** AWS finished after this read (absent when the first read already saw it done)... */
  pendingAt?: string;
  /** ...and by this one, whose answer mr saw at seenAt. */
  readAt: string;
  seenAt: string;
}

export interface RunRecord {
  version: 1;
  runId: string;
  topology: string;
  command: string;
  playbook?: string;
  vars?: Record<string, string>;
  resumeOf?: string;
  spec: RunSpec;
  argv: string[];
  actor: Actor;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  outcome: RunOutcome;
  approval?: string;
  plan: Plan;
  auditLog: string;
  firstMutationAt?: string;
  steps: RunStepRecord[];
  error?: string;
  /** The timing report of the run (and the runs it continued), once it has ended. */
  report?: TimingReport;
}

/** The result of a run: the `result` event under --json, the summary otherwise. */
export interface RunResultDoc {
  runId: string;
  outcome: RunOutcome;
  steps: RunStepRecord[];
  error?: string;
  auditLog: string;
  runRecord: string;
}

export function runRecordPath(stateDir: string, runId: string): string {
  return join(stateDir, 'runs', `${runId}.json`);
}

export class RunRecorder {
  readonly path: string;
  private queue: Promise<void> = Promise.resolve();
  private readonly secrets = secretsFromEnv(process.env);

  constructor(
    stateDir: string,
    readonly record: RunRecord,
    private readonly now: () => Date,
    /** Told when a later save fails; the run goes on (the audit log is the history of record). */
    private readonly onSaveError: (e: Error) => void,
  ) {
    this.path = runRecordPath(stateDir, record.runId);
  }

  static fromPlan(a: {
    stateDir: string;
    plan: Plan;
    spec: RunSpec;
    argv: string[];
    actor: Actor;
    auditLog: string;
    resumeOf?: string;
    now: () => Date;
    onSaveError: (e: Error) => void;
  }): RunRecorder {
    const at = a.now().toISOString();
    const record: RunRecord = {
      version: 1,
      runId: a.plan.id,
      topology: a.plan.topology,
      command: a.plan.command,
      ...(a.plan.playbook !== undefined ? { playbook: a.plan.playbook } : {}),
      ...(a.plan.vars !== undefined ? { vars: a.plan.vars } : {}),
      ...(a.resumeOf !== undefined ? { resumeOf: a.resumeOf } : {}),
      spec: a.spec,
      argv: a.argv,
      actor: a.actor,
      createdAt: at,
      updatedAt: at,
      outcome: 'running',
      plan: a.plan,
      auditLog: a.auditLog,
      steps: a.plan.stages.flatMap((stage) =>
        stage.steps.map((s) => ({ id: s.id, kind: s.kind, stage: stage.name, status: 'pending' as const, mutations: 0 })),
      ),
    };
    return new RunRecorder(a.stateDir, record, a.now, a.onSaveError);
  }

  step(id: string): RunStepRecord {
    const s = this.record.steps.find((x) => x.id === id);
    if (!s) throw new Error(`run record has no step ${id}`);
    return s;
  }

  /** Write the record now; the first save rejects (nothing has been applied yet), later ones report. */
  async save(opts: { strict?: boolean } = {}): Promise<void> {
    this.record.updatedAt = this.now().toISOString();
    const text = JSON.stringify(scrub(this.record, this.secrets), null, 2) + '\n';
    const write = async () => {
      await mkdir(join(this.path, '..'), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.path);
    };
    const next = this.queue.then(write);
    this.queue = next.catch(() => undefined);
    if (opts.strict) return next;
    return next.catch((e: Error) => this.onSaveError(e));
  }
}
