// Failed checks refuse the plan. Pure: the engine turns the result into a RefusedError (exit 3).
import type { Check, Plan, PlannedStep } from './types.js';

export interface Refusal {
  /** One line per failed check: step, check, observed value and bound. */
  message: string;
  /** The override flags that would let the run proceed, when every failed check has one. */
  hint?: string;
}

export interface FailedCheck {
  step: PlannedStep;
  check: Check;
}

/**
 * Failed checks. Checks of no-op steps do not count. An override is never a separate switch: the
 * flag a check names changes the step's params (e.g. --max-lag raises the bound), so a plan made
 * with it has a passing check.
 */
export function blockingChecks(plan: Plan): FailedCheck[] {
  const out: FailedCheck[] = [];
  for (const stage of plan.stages) {
    for (const step of stage.steps) {
      if (step.noop) continue;
      for (const check of step.checks) {
        if (check.passed) continue;
        out.push({ step, check });
      }
    }
  }
  return out;
}

export function describeFailedCheck({ step, check }: FailedCheck): string {
  const values = check.observed !== undefined || check.bound !== undefined ? ` (observed ${show(check.observed)}, bound ${show(check.bound)})` : '';
  return `${step.id}: ${check.name}: ${check.message}${values}`;
}

export function refusalFor(plan: Plan): Refusal | null {
  const failed = blockingChecks(plan);
  if (failed.length === 0) return null;
  const lines = failed.map(describeFailedCheck);
  const message = failed.length === 1 ? `refused: ${lines[0]}` : `refused by ${failed.length} checks:\n  ${lines.join('\n  ')}`;
  const flags = [...new Set(failed.map((f) => f.check.override).filter((o): o is string => !!o))];
  const allOverridable = failed.every((f) => f.check.override);
  if (flags.length === 0) return { message };
  return { message, hint: allOverridable ? `to override, re-run with ${flags.join(' ')}` : `${flags.join(' ')} overrides some of these; the others cannot be overridden` };
}

function show(v: unknown): string {
  if (v === undefined) return 'n/a';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
