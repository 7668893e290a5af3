// The timing report at the end of a run: each step's start, end and duration; the measured RTO
// (first mutation to the last verification); the RPO bound (the replication lag observed at the
// cut). Pure: computed from step timings and mutation times the engine records.
import { endsOutageOf, rpoOf } from '../steps/index.js';
import type { RpoBound } from '../steps/contract.js';
import { formatElapsed } from '../util/duration.js';
import type { RunRecord, RunStepRecord } from './run-record.js';
import type { StepStatus } from './types.js';
import type { TimingReport } from './report-types.js';

export type { ReportStep, TimingReport } from './report-types.js';
import type { ReportStep } from './report-types.js';

/** A record read after its process died can still say "running": that step never finished. */
function statusOf(s: RunStepRecord): StepStatus {
  return s.status === 'running' ? 'interrupted' : s.status;
}

const unfinished = (st: StepStatus) => st === 'interrupted' || st === 'failed';

/**
 * Build the report of the last run in `chain` (oldest first: an interrupted run, its resumes). Each
 * step is credited to the run that finished it: a step one run started and a later one finished (it
 * waited for the switchover the first had started) spans both; a step a run started and AWS
 * finished by itself (a later run re-planned it as already done) ends when that later run saw it done.
 */
export function computeReport(chain: RunRecord[]): TimingReport {
  if (chain.length === 0) throw new Error('computeReport needs at least one run');
  const last = chain[chain.length - 1];
  const steps = last.steps.map((s) => credit(chain, s));
  const changes = chain.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.mutations, 0), 0);
  const completed = (last.outcome === 'succeeded' || last.outcome === 'noop') && steps.every((s) => s.status === 'succeeded' || s.status === 'skipped');
  return {
    version: 1,
    runId: last.runId,
    continues: chain.slice(0, -1).map((r) => r.runId),
    steps,
    changes,
    rto: rto(chain, steps, completed),
    rpo: rpo(chain),
  };
}

function credit(chain: RunRecord[], s: RunStepRecord): ReportStep {
  const last = chain[chain.length - 1];
  const title = last.plan.stages.flatMap((st) => st.steps).find((p) => p.id === s.id)?.title;
  const attempts = chain.flatMap((rec) => {
    const a = rec.steps.find((x) => x.id === s.id);
    return a ? [{ rec, step: a, status: statusOf(a) }] : [];
  });
  const base = { id: s.id, kind: s.kind, stage: s.stage, ...(title !== undefined ? { title } : {}) };
  const from = (rec: RunRecord) => (rec === last ? {} : { fromRun: rec.runId });
  /** The earliest start of the unfinished attempts just before index i (the same change, carried on). */
  const firstStart = (i: number) => {
    let start = attempts[i].step.startedAt;
    let by = attempts[i].rec;
    for (let j = i - 1; j >= 0 && unfinished(attempts[j].status); j--) {
      if (attempts[j].step.startedAt) {
        start = attempts[j].step.startedAt;
        by = attempts[j].rec;
      }
    }
    return { start, by };
  };
  const timed = (startedAt: string | undefined, endedAt: string | undefined) => ({
    ...(startedAt ? { startedAt } : {}),
    ...(endedAt ? { endedAt } : {}),
    ...(startedAt && endedAt ? { durationMs: Date.parse(endedAt) - Date.parse(startedAt) } : {}),
  });

  for (let i = attempts.length - 1; i >= 0; i--) {
    const a = attempts[i];
    if (a.status === 'succeeded') {
      const { start, by } = firstStart(i);
      // Verified with a warning (StepContext.warn): the report says what is still wrong.
      const notes = [...(by !== a.rec ? [`started in ${by.runId}`] : []), ...(a.step.notes ?? []), ...(a.step.warnings ?? []).map((w) => `warning: ${w}`)];
      return { ...base, status: 'succeeded', ...timed(start, a.step.endedAt), ...from(a.rec), ...(notes.length ? { note: notes.join('; ') } : {}) };
    }
    if (unfinished(a.status)) {
      const later = attempts.slice(i + 1).find((x) => x.status === 'skipped');
      const { start, by } = firstStart(i);
      if (later) {
        // Started here, found already done by a later run's plan: AWS carried the operation on.
        return {
          ...base,
          status: 'succeeded',
          ...timed(start, later.rec.createdAt),
          ...from(by),
          note: `finished by AWS after run ${a.rec.runId} stopped; seen done when ${later.rec.runId} planned (the time is an upper bound)`,
        };
      }
      return { ...base, status: a.status, ...timed(start, a.step.endedAt), ...from(a.rec) };
    }
  }
  return { ...base, status: s.status === 'running' ? 'interrupted' : s.status };
}

function rto(chain: RunRecord[], steps: ReportStep[], completed: boolean): TimingReport['rto'] {
  const first = chain.flatMap((r) => (r.firstMutationAt ? [r.firstMutationAt] : [])).sort()[0];
  if (!first) return null;
  // A game day (gameday-region-loss.yaml) ends the outage itself (a step whose kind says it ends the
  // outage: sandbox.fault clearing a fault) and then restores the lost region: the recovery is
  // measured up to the end of the outage, so the restore after it is not counted as time to recover.
  const recoveryEnd = recoveryEndsAt(chain, steps);
  // The last step that ended successfully: with the playbooks' verify gates last, that is "verified".
  const ends = steps
    .filter((s) => s.status === 'succeeded' && s.endedAt && s.endedAt >= first && (recoveryEnd === undefined || s.endedAt <= recoveryEnd))
    .map((s) => s.endedAt as string)
    .sort();
  let to = ends[ends.length - 1];
  if (!to) {
    // Changes were made but no step finished after them (interrupted during the first change):
    // the clock runs until the chain stopped.
    const stops = chain
      .flatMap((r) => [r.endedAt, ...r.steps.map((s) => s.endedAt)])
      .filter((t): t is string => !!t && t >= first)
      .sort();
    to = stops[stops.length - 1] ?? first;
  }
  return { ms: Date.parse(to) - Date.parse(first), from: first, to, verified: completed };
}

/** When the first step that ends the simulated outage started, if any did. */
function recoveryEndsAt(chain: RunRecord[], steps: ReportStep[]): string | undefined {
  const clears = new Set(chain.flatMap((r) => r.plan.stages.flatMap((st) => st.steps).filter((p) => endsOutageOf(p.kind, p.data))).map((p) => p.id));
  return steps
    .filter((s) => clears.has(s.id) && s.startedAt)
    .map((s) => s.startedAt as string)
    .sort()[0];
}

/**
 * The cut step's observed replication lag of its target: the most data a failover can lose. The step kinds
 * say which of their steps cut data and what the bound means (their rpo()); the database of record's cut
 * decides, and a run that only promotes the Global Datastore reports the cache's lag.
 */
function rpo(chain: RunRecord[]): TimingReport['rpo'] {
  return cutRpo(chain, 'data') ?? cutRpo(chain, 'cache');
}

function cutRpo(chain: RunRecord[], tier: RpoBound['tier']): TimingReport['rpo'] {
  for (let i = chain.length - 1; i >= 0; i--) {
    // The cut happens in the run where the step did its work, not where it re-planned as noop.
    const planned = new Map(chain[i].plan.stages.flatMap((st) => st.steps).map((p) => [p.id, p]));
    for (const step of chain[i].steps) {
      if (step.status === 'skipped' || step.status === 'pending') continue;
      const p = planned.get(step.id);
      const bound = p ? rpoOf(step.kind, p.data) : undefined;
      if (bound?.tier !== tier) continue;
      const region = typeof p?.params?.target === 'string' ? p.params.target : undefined;
      return { boundMs: bound.boundMs, step: step.id, kind: step.kind, ...(region !== undefined ? { region } : {}), note: bound.note };
    }
  }
  return null;
}

/** The report as text lines for the operator. */
export function renderReport(r: TimingReport): string[] {
  const rows = r.steps.map((s) => [
    s.stage,
    s.id,
    s.kind,
    s.startedAt ? clock(s.startedAt) : '-',
    s.endedAt ? clock(s.endedAt) : '-',
    s.durationMs !== undefined ? formatElapsed(s.durationMs) : '-',
    statusText(s) + (s.fromRun ? ` (in ${s.fromRun})` : ''),
  ]);
  const head = ['stage', 'step', 'kind', 'start', 'end', 'took', 'outcome'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [`Timing report, run ${r.runId}${r.continues.length ? ` (continues ${r.continues.join(', ')})` : ''}`, line(head), ...rows.map(line)];
  for (const s of r.steps) if (s.note) out.push(`    ${s.id}: ${s.note}`);
  if (r.rto) {
    const finishedStep = r.steps.some((s) => s.status === 'succeeded' && s.endedAt === r.rto!.to);
    const to = r.rto.verified ? 'verified' : finishedStep ? 'last finished step (run did not finish)' : 'where the run stopped (no step finished after it)';
    const made = r.changes > 0 ? `, ${r.changes} change${r.changes === 1 ? '' : 's'}` : '';
    out.push(`  RTO, first change to ${to}: ${formatElapsed(r.rto.ms)} (${clock(r.rto.from)} to ${clock(r.rto.to)}${made})`);
  } else {
    out.push('  RTO: no change was made');
  }
  if (r.rpo) out.push(`  RPO bound, replication lag at the cut: ${r.rpo.boundMs} ms (${r.rpo.step}${r.rpo.region ? `, ${r.rpo.region}` : ''}); ${r.rpo.note}`);
  else out.push('  RPO bound: no Aurora cut in this run');
  return out;
}

/** A gate that held when the run reached it "passed" (the document keeps the engine's "succeeded"). */
function statusText(s: ReportStep): string {
  if (s.status === 'succeeded' && s.kind.startsWith('gate.')) return 'passed';
  if (s.status === 'skipped') return 'already done';
  if (s.status === 'pending') return 'not run';
  return s.status;
}

function clock(iso: string): string {
  // UTC wall-clock with milliseconds: steps of a sandbox rehearsal last well under a second.
  return iso.slice(11, 23);
}
