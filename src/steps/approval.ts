// approval: stop a playbook until the operator says go (the engine asks; only --yes skips it).
import type { PlanContext, PlannedStep, StepContext, StepImpl } from '../engine/types.js';
import { ParamReader } from './params.js';

async function plan(id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep> {
  const p = new ParamReader('approval', id, params, ctx.topology).only('message');
  const message = p.string('message');
  return { id, kind: 'approval', title: `Approval: ${message}`, params, changes: [], checks: [], noop: false, data: { message }, observed: {} };
}

async function apply(step: PlannedStep, ctx: StepContext): Promise<void> {
  await ctx.approve(step.data.message as string);
}

export const approval: StepImpl = { kind: 'approval', plan, apply, verify: async () => {} };
