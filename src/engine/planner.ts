// Plan every step of a spec from the live state: stages in order, the steps of a parallel stage
// concurrently. Reads only.
import { isAwsCallError } from '../aws/errors.js';
import { sharedReads } from '../aws/read-cache.js';
import { FailedError, UsageError, isMrError } from '../io/errors.js';
import { fingerprint, stepDigests } from './fingerprint.js';
import type { Plan, PlanContext, PlannedStage, PlannedStep, RunSpec, StepImpl } from './types.js';

/** Step kinds by name (src/steps/index.ts, or a test's own); a kind not in it is refused by checkSpec. */
export type StepImpls = Partial<Record<string, StepImpl>>;

/** Duplicate ids and kinds without an implementation are usage errors, found before any call. */
export function checkSpec(spec: RunSpec, impls: StepImpls): void {
  const seen = new Set<string>();
  for (const stage of spec.stages) {
    for (const step of stage.steps) {
      if (seen.has(step.id)) throw new UsageError(`step id "${step.id}" appears twice in ${spec.playbook ?? spec.command}`);
      seen.add(step.id);
      if (!impls[step.kind]) throw new UsageError(`step "${step.id}": unknown step kind "${step.kind}"`);
    }
  }
}

export async function planSpec(spec: RunSpec, impls: StepImpls, base: PlanContext, meta: { id: string; createdAt: Date }): Promise<Plan> {
  checkSpec(spec, impls);
  // The steps of one plan share its reads (src/aws/read-cache.ts); every planSpec call reads afresh,
  // so the plan made again under the lock (the stale check) never sees a read from before the lock.
  const ctx: PlanContext = { ...base, aws: sharedReads(base.aws, base.aws).aws };
  const stages: PlannedStage[] = [];
  // Each step sees the steps planned before it (a step acting on what an earlier one builds plans as deferred).
  const earlier: PlannedStep[] = [];
  for (const stage of spec.stages) {
    const before = [...earlier];
    const planOne = (s: RunSpec['stages'][number]['steps'][number], seen: readonly PlannedStep[]) =>
      planStep(impls[s.kind] as StepImpl, s.id, s.params, { ...ctx, earlier: seen });
    let steps: PlannedStep[];
    if (stage.parallel) {
      steps = await Promise.all(stage.steps.map((s) => planOne(s, before)));
    } else {
      steps = [];
      for (const s of stage.steps) steps.push(await planOne(s, [...before, ...steps]));
    }
    earlier.push(...steps);
    stages.push({ name: stage.name, parallel: stage.parallel, steps });
  }
  return {
    version: 1,
    id: meta.id,
    createdAt: meta.createdAt.toISOString(),
    topology: ctx.topology.name,
    command: spec.command,
    ...(spec.playbook !== undefined ? { playbook: spec.playbook } : {}),
    ...(spec.vars !== undefined ? { vars: spec.vars } : {}),
    region: spec.region ?? ctx.topology.regions[0],
    stages,
    // Covers the spec, every step's params and planned changes, and the observed state (issue 11 item 4).
    fingerprint: fingerprint(stages, { topology: ctx.topology.name, command: spec.command, playbook: spec.playbook, vars: spec.vars }),
    digests: stepDigests(stages),
  };
}

export async function planStep(impl: StepImpl, id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep> {
  try {
    const step = await impl.plan(id, params, ctx);
    if (step.id !== id) throw new Error(`step kind ${impl.kind} planned id "${step.id}" for "${id}"`);
    return step;
  } catch (e) {
    if (isMrError(e)) throw e;
    const reason = isAwsCallError(e) ? e.oneLine() : (e as Error).message;
    throw new FailedError(`planning ${id} failed: ${reason}`, undefined, { cause: e });
  }
}
