// The re-read under the lock (run.ts). Between the plan the operator saw and the lock, the world may have
// moved. Moved toward the approved plan (an operation that was under way is now done, a change already
// made, a change now under way), the run goes on: each such step is replaced by its fresh reading, which
// asks for nothing the approved step did not. Moved anywhere else (another operator's change, a target
// that moved elsewhere, a check that no longer passes, a step that came or went) it is refused as stale,
// as before. This is what lets `mr resume` of a run killed while an operation was under way go on when
// the operation ends between its plan and its lock, instead of refusing a plan the world is catching up to.
import { RefusedError } from '../io/errors.js';
import { outsideApproved } from './deferred.js';
import { stepDigest } from './fingerprint.js';
import { staleDifferences } from './stale.js';
import type { Change, Plan, PlannedStage, PlannedStep } from './types.js';

/** A step the fresh plan reads further along than the approved one. */
export interface Progressed {
  step: string;
  was: string;
  now: string;
}

/** One word or two on where a planned step stands, for the audit log and the operator. */
export function standing(s: PlannedStep): string {
  if (s.deferred) return 'planned when reached';
  if (s.noop) return 'done';
  if (s.inProgress) return 'under way';
  if (s.changes.length) return `${s.changes.length} change${s.changes.length === 1 ? '' : 's'} to make`;
  return 'checks only';
}

const sameChange = (a: Change, b: Change) =>
  a.resource === b.resource &&
  a.attribute === b.attribute &&
  a.region === b.region &&
  a.risk === b.risk &&
  a.toWhenReached === b.toWhenReached &&
  JSON.stringify(a.from) === JSON.stringify(b.from) &&
  JSON.stringify(a.to) === JSON.stringify(b.to);

const describe = (c: Change) => `${c.resource} ${c.attribute} ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}${c.region ? ` (${c.region})` : ''}`;

/**
 * Why the fresh reading of a step is not the approved step moved toward its end; undefined when it is.
 * Called only for steps whose digests differ.
 */
export function movedAway(approved: PlannedStep, fresh: PlannedStep): string | undefined {
  if (fresh.kind !== approved.kind) return `it is now a ${fresh.kind} step, approved as ${approved.kind}`;
  if (fresh.region !== approved.region) return `it now acts in ${fresh.region ?? 'no region'}, approved in ${approved.region ?? 'no region'}`;
  const failed = fresh.checks.find((c) => !c.passed);
  if (failed) return `${failed.name}: ${failed.message}`;
  // Planned when reached: the same rule as when the run reaches it (deferred.ts), checked now as well.
  if (approved.deferred) return outsideApproved(approved, fresh);
  if (fresh.deferred) return `it can no longer be planned now (${fresh.deferred})`;
  // Already where the step's own parameters say it should be: nothing is asked.
  if (fresh.noop) return undefined;
  if (approved.noop) return `it was done when planned, and now ${standing(fresh)}`;
  // A change now under way: nothing is sent, verify waits for the approved end state.
  if (fresh.inProgress) return undefined;
  if (approved.inProgress) return 'the change that was under way is not any more, and it would be made again';
  const extra = fresh.changes.find((c) => !approved.changes.some((a) => sameChange(a, c)));
  if (extra) return `it would change ${describe(extra)}, which the approved plan does not`;
  // Same changes, or none (a gate): nothing progressed, so what it was planned from moved elsewhere.
  if (fresh.changes.length >= approved.changes.length) return 'what it was planned from changed';
  return undefined;
}

const shape = (plan: Plan) => plan.stages.map((s) => `${s.name}${s.parallel ? '*' : ''}: ${s.steps.map((t) => t.id).join(',')}`).join(' | ');

/**
 * Check the re-read plan against the approved one and keep the approved plan, with every step that moved
 * toward it replaced, in place, by its fresh reading (a step planned when reached stays so: it is planned
 * again when reached, under the same rule). Returns the steps that progressed; throws a RefusedError
 * ("plan is stale") naming each step that moved elsewhere.
 */
export function acceptUnderLock(approved: Plan, fresh: Plan): Progressed[] {
  if (approved.fingerprint === fresh.fingerprint) return [];
  if (shape(approved) !== shape(fresh)) {
    throw stale(approved, [`its steps are now ${shape(fresh)}, approved as ${shape(approved)}`]);
  }
  const progressed: Progressed[] = [];
  const replace: (() => void)[] = [];
  const refused: string[] = [];
  const diffs = staleDifferences(approved, fresh);
  approved.stages.forEach((stage: PlannedStage, si) => {
    stage.steps.forEach((a, ti) => {
      const freshStage = fresh.stages[si];
      const f = freshStage.steps[ti];
      if (stepDigest(stage, a) === stepDigest(freshStage, f)) return;
      const why = movedAway(a, f);
      if (why) {
        const moved = diffs.filter((d) => d.step === a.id).slice(0, 3);
        const seen = moved.map((d) => `${d.key} was ${show(d.saved)}, now ${show(d.live)}`).join(', ');
        refused.push(`${a.id}: ${why}${seen ? ` (${seen})` : ''}`);
        return;
      }
      if (a.deferred) {
        progressed.push({ step: a.id, was: standing(a), now: `${standing(f)}, inside the approved plan; planned again when reached` });
        return;
      }
      progressed.push({ step: a.id, was: standing(a), now: standing(f) });
      replace.push(() => (stage.steps[ti] = f));
    });
  });
  if (refused.length) throw stale(approved, refused);
  for (const r of replace) r();
  return progressed;
}

function stale(approved: Plan, reasons: string[]): RefusedError {
  const shown = reasons.slice(0, 4).join('; ') + (reasons.length > 4 ? `; and ${reasons.length - 4} more` : '');
  return new RefusedError(
    `plan is stale: the live state changed since it was planned (${approved.createdAt}), not toward the plan: ${shown}`,
    'run the same command again: it plans from the live state and shows the new plan',
  );
}

function show(v: unknown): string {
  if (v === undefined) return 'absent';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
