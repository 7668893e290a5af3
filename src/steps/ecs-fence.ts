// ecs.fence: in an unplanned failover, stop the old primary region's writers before the data cut, so an
// application still writing there cannot split the data in two. AWS: write fencing during a managed
// failover is "a best-effort attempt ... writes might be momentarily accepted in the old primary Region,
// causing split-brain issues"; it recommends to "take applications offline" first (Aurora user guide,
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
//
// The source is the Aurora writer's region, read in the target's region. Its writer services are the
// ECS services marked `writer: true` in the topology; they are scaled to 0 when the source answers (one
// bounded read), recorded like any change. When it does not answer, or no writer is named, the step is a
// no-op whose check says why, and the failover goes on: fencing is best effort, the cut is what matters.
import { isAwsCallError } from '../aws/errors.js';
import type { EcsServiceInfo } from '../aws/types.js';
import type { z } from 'zod';
import { defineStep, stepUsageError, type Change, type PlanContext, type PlannedStep, type StepContext, type StepPlan } from './contract.js';
import { region, stepParams, type ParamEnv } from './params.js';
import { writerRegion } from './rds-common.js';

/** The read, or a timeout error after `ms` (the SDK's own timeout and retries may take longer). */
function within<T>(ms: number, read: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  read.catch(() => undefined);
  return Promise.race([read, late]).finally(() => clearTimeout(timer));
}

type FenceData = {
  source: string | null;
  cluster: string;
  writers: string[];
};

const params = (env: ParamEnv) => stepParams({ target: region(env) });

async function plan(id: string, p: z.output<ReturnType<typeof params>>, ctx: PlanContext): Promise<StepPlan<FenceData>> {
  const { topology, aws } = ctx;
  const target = p.target;
  const source = await sourceRegion(id, target, ctx);
  const cfg = source ? topology.ecs?.[source] : undefined;
  const writers = (cfg?.services ?? []).filter((s) => s.writer).map((s) => s.name);
  const base = { title: `Fence the writers in ${source ?? 'the source region'} (scale to 0)`, region: source ?? target };
  const skip = (message: string, observed: string): StepPlan<FenceData> => ({
    ...base,
    changes: [],
    checks: [{ name: 'fence', passed: true, observed, message }],
    noop: true,
    data: { source, cluster: cfg?.cluster ?? '', writers: [] } satisfies FenceData,
    observed: { source, fence: observed },
  });
  if (!source || source === target)
    return skip(`no writer to fence: the writer is ${source ? `already in ${target}` : `not elsewhere (no source of ${target})`}`, 'nothing to fence');
  if (!cfg || writers.length === 0)
    return skip(`not fenced: the topology names no writer services in ${source} (mark them \`writer: true\`)`, 'no writers named');

  let live: EcsServiceInfo[];
  try {
    // One bounded read: a source that does not answer is the usual case here, and must not stall the run.
    live = await within(topology.timeouts.readMs, aws.ecs(source).describeServices(cfg.cluster, writers));
  } catch (e) {
    const why = isAwsCallError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e);
    return skip(
      `skipped: ${source} does not answer (${why}), so its writers (${writers.join(', ')}) could not be fenced; Aurora's own write fencing is best effort`,
      'source does not answer',
    );
  }
  const changes: Change[] = live
    .filter((s) => s.status === 'ACTIVE' && s.desired > 0)
    .map((s) => ({ resource: `ecs ${cfg.cluster}/${s.name}`, attribute: 'desiredCount', from: s.desired, to: 0, risk: 'disruptive' as const, region: source }));
  return {
    ...base,
    changes,
    checks: [
      {
        name: 'fence',
        passed: true,
        observed: live.map((s) => `${s.name}:${s.desired}`).join(', '),
        message: `${source} answers: its writers ${writers.join(', ')} go to 0 before the data cut`,
      },
    ],
    noop: changes.length === 0,
    data: { source, cluster: cfg.cluster, writers: changes.map((c) => c.resource.split('/').pop()!) } satisfies FenceData,
    observed: { source, services: live.map((s) => ({ name: s.name, desired: s.desired })) },
  };
}

/**
 * The region that holds the writer, read in the target region only: the Aurora writer's region, or (a
 * topology with RDS read replicas) the region of the source of the target's replica. null: no source
 * (the target is already the writer, or its instance is standalone).
 */
async function sourceRegion(id: string, target: string, ctx: PlanContext): Promise<string | null> {
  const { topology, aws } = ctx;
  if (topology.aurora) {
    const gc = await aws.rds(target).readGlobalCluster(topology.aurora.globalClusterId);
    return gc.members.find((m) => m.isWriter)?.region ?? null;
  }
  if (topology.rds) return writerRegion(aws, topology, target);
  throw stepUsageError('ecs.fence', id, "the topology has no aurora or rds section (the source is the writer's region)");
}

async function apply(step: PlannedStep<FenceData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const ecs = ctx.mutating.ecs(d.source!);
  for (const name of d.writers) {
    ctx.report(`fencing ${d.cluster}/${name} in ${d.source}: desired count to 0`);
    await ecs.updateDesiredCount(d.cluster, name, 0);
  }
}

async function verify(step: PlannedStep<FenceData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  // The fence holds once ECS has taken desired 0; its tasks stop on their own, and the data cut must
  // not wait for a region that may be failing.
  await ctx.waitFor(`ECS ${d.cluster} (${d.source}) writers to have desired count 0`, async () => {
    const live = await ctx.aws.ecs(d.source!).describeServices(d.cluster, d.writers);
    return { done: live.every((s) => s.desired === 0), detail: live.map((s) => `${s.name} desired ${s.desired}, running ${s.running}`).join(', ') };
  });
}

export const ecsFence = defineStep({ kind: 'ecs.fence', params, plan, apply, verify });
