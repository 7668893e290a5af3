// Steps planned when reached (PlannedStep.deferred): a step that acts on what an earlier step of the
// same run builds (the replica a failback promotes exists only once rds.create-replica has run) is shown
// and approved up front with the changes it will make, and planned again from the live state when the
// run reaches it. That plan must stay inside what was approved: no change the approved plan did not
// name, none riskier, every check passing. Otherwise the run stops there (nothing more applied; resume
// plans the rest afresh, shows it and asks again).
import { RefusedError } from '../io/errors.js';
import { planStep } from './planner.js';
import type { Change, PlanContext, PlannedStep, StepImpl } from './types.js';

const RISK_ORDER = { safe: 0, disruptive: 1, 'data-loss': 2 } as const;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Why the plan made on reaching the step goes beyond the approved one; undefined when it does not. */
export function outsideApproved(approved: PlannedStep, fresh: PlannedStep): string | undefined {
  const failed = fresh.checks.find((c) => !c.passed);
  if (failed) return `${failed.name}: ${failed.message}`;
  if (fresh.deferred) return `it still cannot be planned (${fresh.deferred})`;
  if (fresh.noop) return undefined;
  for (const c of fresh.changes) {
    const match = approved.changes.find((a) => a.resource === c.resource && a.attribute === c.attribute && a.region === c.region);
    if (!match) return `it would change ${describe(c)}, which the approved plan does not name`;
    if (!match.toWhenReached && !same(match.to, c.to)) return `it would set ${describe(c)}, the approved plan said ${JSON.stringify(match.to)}`;
    if (RISK_ORDER[c.risk] > RISK_ORDER[match.risk]) return `${describe(c)} is now ${c.risk}, approved as ${match.risk}`;
  }
  return undefined;
}

function describe(c: Change): string {
  return `${c.resource} ${c.attribute} to ${JSON.stringify(c.to)}${c.region ? ` (${c.region})` : ''}`;
}

/**
 * Plan a deferred step again from the live state (no `earlier`: what they built is live now). Returns
 * the plan to run in place of the approved one, or throws a refusal naming the step and the difference.
 */
export async function planWhenReached(step: PlannedStep, impl: StepImpl, base: PlanContext): Promise<PlannedStep> {
  const { earlier: _ignored, ...ctx } = base;
  const fresh = await planStep(impl, step.id, step.params, ctx);
  const why = outsideApproved(step, fresh);
  if (why) {
    throw new RefusedError(
      `step "${step.id}", planned when reached, goes beyond the approved plan: ${why}; nothing more applied`,
      'mr resume plans what is left again, shows it and asks',
    );
  }
  return fresh;
}
