// wait: pause a playbook for a duration (e.g. to let caches warm after a scale-up).
import type { PlanContext, PlannedStep, StepContext, StepImpl } from '../engine/types.js';
import { ParamReader } from './params.js';
import { formatDuration } from '../util/duration.js';

async function plan(id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep> {
  const p = new ParamReader('wait', id, params, ctx.topology).only('duration');
  if (!p.has('duration')) throw p.fail('"duration" is required (e.g. 30s)');
  const ms = p.optionalDuration('duration')!;
  return { id, kind: 'wait', title: `Wait ${formatDuration(ms)}`, params, changes: [], checks: [], noop: false, data: { ms }, observed: {} };
}

async function apply(step: PlannedStep, ctx: StepContext): Promise<void> {
  const ms = step.data.ms as number;
  ctx.report(`waiting ${formatDuration(ms)}`);
  // Ctrl-C ends the sleep early; the engine then stops before the next stage.
  await ctx.sleep(ms);
}

export const wait: StepImpl = { kind: 'wait', plan, apply, verify: async () => {} };
