// The timing report at the end of a run: each step's start, end and duration; the measured RTO
// (first mutation to the last verification); the RPO bound (the replication lag observed at the
// cut). Pure: computed from step timings and mutation times the engine records.
import { rpoOf } from '../steps/index.js';
import { formatDuration } from '../steps/params.js';
import type { RunRecord } from './run-record.js';

export type StepOutcome = 'succeeded' | 'noop' | 'failed' | 'skipped' | 'interrupted' | 'pending';

export interface StepTiming {
  id: string;
  kind: string;
  stage: string;
  title?: string;
  startedAt?: string; // ISO-8601
  endedAt?: string;
  outcome: StepOutcome;
  /** The step's plan-time observed values (the Aurora step's carry the lag at the cut). */
  observed?: Record<string, unknown>;
  /** The step's plan-time params (the Aurora step's name the target region). */
  params?: Record<string, unknown>;
  /** What apply was given (the Aurora steps keep the lag they read there; it is not in `observed`). */
  data?: Record<string, unknown>;
}

export interface RunTimings {
  runId: string;
  /** Times of the mutating calls (intents) the steps made; lock changes are not counted. */
  mutations: string[];
  steps: StepTiming[];
  /** Did the run finish every step? (RTO is only "verified" when it did.) */
  completed: boolean;
}

export interface ReportStep {
  id: string;
  kind: string;
  stage: string;
  title?: string;
  outcome: StepOutcome;
  start?: string;
  end?: string;
  durationMs?: number;
  /** The run the timing comes from when it is not this one (a step finished before a resume). */
  fromRun?: string;
}

export interface TimingReport {
  version: 1;
  runId: string;
  /** The interrupted runs this one continued, oldest first. */
  continues: string[];
  steps: ReportStep[];
  rto: { ms: number; from: string; to: string; verified: boolean } | null;
  rpo: { boundMs: number; step: string; kind: string; region?: string; note: string } | null;
}

/**
 * Build the report of the last run in `chain` (oldest first: an interrupted run, its resumes). A
 * step that came out noop on resume because an earlier run of the chain did it keeps that run's timing.
 */
export function computeReport(chain: RunTimings[]): TimingReport {
  if (chain.length === 0) throw new Error('computeReport needs at least one run');
  const last = chain[chain.length - 1];
  const steps: ReportStep[] = last.steps.map((s) => {
    let source: StepTiming = s;
    let fromRun: string | undefined;
    if (s.outcome === 'noop') {
      for (let i = chain.length - 2; i >= 0; i--) {
        const earlier = chain[i].steps.find((e) => e.id === s.id && e.outcome !== 'noop' && e.outcome !== 'pending');
        if (earlier) {
          source = earlier;
          fromRun = chain[i].runId;
          break;
        }
      }
    }
    const durationMs = source.startedAt && source.endedAt ? Date.parse(source.endedAt) - Date.parse(source.startedAt) : undefined;
    return { id: s.id, kind: s.kind, stage: s.stage, title: s.title, outcome: source.outcome, start: source.startedAt, end: source.endedAt, durationMs, fromRun };
  });
  return { version: 1, runId: last.runId, continues: chain.slice(0, -1).map((r) => r.runId), steps, rto: rto(chain, steps, last.completed), rpo: rpo(chain) };
}

function rto(chain: RunTimings[], steps: ReportStep[], completed: boolean): TimingReport['rto'] {
  const first = chain.flatMap((r) => r.mutations).sort()[0];
  if (!first) return null;
  // The last step that ended successfully: with the playbooks' verify gates last, that is "verified".
  const ends = steps.filter((s) => s.outcome === 'succeeded' && s.end && s.end >= first).map((s) => s.end as string).sort();
  const to = ends[ends.length - 1];
  if (!to) return null;
  return { ms: Date.parse(to) - Date.parse(first), from: first, to, verified: completed };
}

/** The Aurora step's observed replication lag of its target: the most data a failover can lose. */
function rpo(chain: RunTimings[]): TimingReport['rpo'] {
  for (let i = chain.length - 1; i >= 0; i--) {
    // The cut happens in the run where the Aurora step did its work, not where it re-planned as noop.
    const step = chain[i].steps.find((s) => (s.kind === 'aurora.switchover' || s.kind === 'aurora.failover') && s.outcome !== 'noop' && s.outcome !== 'pending');
    if (!step) continue;
    const lag = rpoOf(step.kind, step.data);
    if (lag === undefined) continue;
    const region = typeof step.params?.target === 'string' ? step.params.target : undefined;
    const note =
      step.kind === 'aurora.switchover'
        ? 'planned switchover: Aurora waits for the target to catch up, so no committed data is expected to be lost'
        : 'unplanned failover: writes not yet replicated when the cut was made are lost, up to this bound';
    return { boundMs: lag, step: step.id, kind: step.kind, region, note };
  }
  return null;
}

/** One run record as timings: its plan gives each step's params, data and observed values. */
export function timingsFromRecord(rec: RunRecord): RunTimings {
  const planned = new Map(rec.plan.stages.flatMap((s) => s.steps).map((s) => [s.id, s]));
  return {
    runId: rec.runId,
    mutations: rec.firstMutationAt ? [rec.firstMutationAt] : [],
    completed: rec.outcome === 'succeeded' || rec.outcome === 'noop',
    steps: rec.steps.map((s) => {
      const p = planned.get(s.id);
      return {
        id: s.id,
        kind: s.kind,
        stage: s.stage,
        title: p?.title,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        outcome: outcomeOf(s.status as string),
        observed: p?.observed,
        params: p?.params,
        data: p?.data,
      };
    }),
  };
}

function outcomeOf(status: string): StepOutcome {
  switch (status) {
    case 'succeeded':
    case 'failed':
    case 'pending':
    case 'interrupted':
      return status;
    case 'skipped':
      // The engine marks a step skipped when it planned as a no-op (already done).
      return 'noop';
    case 'running':
      // Read after the run ended or its process died: the step never finished.
      return 'interrupted';
    default:
      return 'pending';
  }
}

/** The report as text lines for the operator. */
export function renderReport(r: TimingReport): string[] {
  const rows = r.steps.map((s) => [
    s.stage,
    s.id,
    s.kind,
    s.start ? clock(s.start) : '-',
    s.end ? clock(s.end) : '-',
    s.durationMs !== undefined ? took(s.durationMs) : '-',
    outcomeText(s) + (s.fromRun ? ` (in ${s.fromRun})` : ''),
  ]);
  const head = ['stage', 'step', 'kind', 'start', 'end', 'took', 'outcome'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [`Timing report, run ${r.runId}${r.continues.length ? ` (continues ${r.continues.join(', ')})` : ''}`, line(head), ...rows.map(line)];
  if (r.rto) {
    out.push(`  RTO, first change to ${r.rto.verified ? 'verified' : 'last finished step (run did not finish)'}: ${took(r.rto.ms)} (${clock(r.rto.from)} to ${clock(r.rto.to)})`);
  } else {
    out.push('  RTO: no change was made');
  }
  if (r.rpo) out.push(`  RPO bound, replication lag at the cut: ${r.rpo.boundMs} ms (${r.rpo.step}${r.rpo.region ? `, ${r.rpo.region}` : ''}); ${r.rpo.note}`);
  else out.push('  RPO bound: no Aurora cut in this run');
  return out;
}

/** A gate that held when the run reached it "passed" (the document keeps the engine's "succeeded"). */
function outcomeText(s: ReportStep): string {
  return s.outcome === 'succeeded' && s.kind.startsWith('gate.') ? 'passed' : s.outcome;
}

/** Tenths of a second under a minute (sandbox rehearsals run fast), else minutes and seconds. */
function took(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : formatDuration(ms);
}

function clock(iso: string): string {
  // UTC wall-clock with milliseconds: steps of a sandbox rehearsal last well under a second.
  return iso.slice(11, 23);
}
