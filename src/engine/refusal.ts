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
 * Failed checks not overridden by a flag the operator passed (--skip-lag-check). Checks of no-op
 * steps do not count. Other overrides change the step's params (e.g. --max-lag raises the bound),
 * so a plan made with them has a passing check.
 */
export function blockingChecks(plan: Plan, overrides: string[] = []): FailedCheck[] {
  const out: FailedCheck[] = [];
  for (const stage of plan.stages) {
    for (const step of stage.steps) {
      if (step.noop) continue;
      for (const check of step.checks) {
        if (check.passed) continue;
        if (check.override && overrides.includes(check.override)) continue;
        out.push({ step, check });
      }
    }
  }
  return out;
}

/** Failed checks the operator overrode with a flag: each is recorded in the audit log before anything is applied. */
export function overriddenChecks(plan: Plan, overrides: string[] = []): FailedCheck[] {
  return plan.stages.flatMap((stage) =>
    stage.steps
      .filter((step) => !step.noop)
      .flatMap((step) => step.checks.filter((c) => !c.passed && c.override !== undefined && overrides.includes(c.override)).map((check) => ({ step, check }))),
  );
}

export function describeFailedCheck({ step, check }: FailedCheck): string {
  const values = check.observed !== undefined || check.bound !== undefined ? ` (observed ${show(check.observed)}, bound ${show(check.bound)})` : '';
  return `${step.id}: ${check.name}: ${check.message}${values}`;
}

/**
 * `accepted`: the long flags of the command being run. An override it does not take is not named
 * (a hint to pass an unknown option only fails again, exit 2). A check with `instead` (the source
 * region is down: `--unplanned`) is named first: overriding the others would not make the run work.
 */
export function refusalFor(plan: Plan, overrides: string[] = [], accepted?: string[]): Refusal | null {
  const failed = blockingChecks(plan, overrides);
  if (failed.length === 0) return null;
  const lines = failed.map(describeFailedCheck);
  const message = failed.length === 1 ? `refused: ${lines[0]}` : `refused by ${failed.length} checks:\n  ${lines.join('\n  ')}`;
  const instead = [...new Set(failed.map((f) => f.check.instead).filter((o): o is string => !!o))].filter((o) => takes(accepted, o));
  if (instead.length > 0) return { message, hint: `re-run with ${instead.join(' ')} instead` };
  const usable = (o: string | undefined): o is string => !!o && takes(accepted, o);
  const flags = [...new Set(failed.map((f) => f.check.override).filter(usable))];
  const allOverridable = failed.every((f) => usable(f.check.override));
  if (flags.length === 0) return { message };
  return {
    message,
    hint: allOverridable ? `to override, re-run with ${flags.join(' ')}` : `${flags.join(' ')} overrides some of these; the others cannot be overridden`,
  };
}

/** "--max-lag <ms>" is accepted when the command has --max-lag. */
function takes(accepted: string[] | undefined, flag: string): boolean {
  return accepted === undefined || accepted.includes(flag.split(' ')[0]);
}

function show(v: unknown): string {
  if (v === undefined) return 'n/a';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
