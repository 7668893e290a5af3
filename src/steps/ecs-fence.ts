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
//
// A writer under Application Auto Scaling with MinCapacity above 0 would not stay at 0: its policy
// scales a count below the minimum back out to it (Application Auto Scaling user guide, Amazon ECS,
// https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-ecs.html),
// and the old primary region writes again: split brain. So the fence lowers MinCapacity to 0 first
// (a change with the old value, through the choke point), and its verify holds both at 0.
import { isAwsCallError } from '../aws/errors.js';
import type { EcsServiceInfo, ScalableTargetInfo } from '../aws/types.js';
import type { z } from 'zod';
import { defineStep, stepUsageError, type Change, type Check, type PlanContext, type PlannedStep, type StepContext, type StepPlan } from './contract.js';
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
  /** The writers whose desired count goes to 0. */
  writers: string[];
  /** Scalable-target bounds lowered before the counts (min to 0), with the bounds read at plan time. */
  ranges?: Record<string, { from: { min: number; max: number }; to: { min: number; max: number } }>;
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
  const active = live.filter((s) => s.status === 'ACTIVE');
  const checks: Check[] = [
    {
      name: 'fence',
      passed: true,
      observed: live.map((s) => `${s.name}:${s.desired}`).join(', '),
      message: `${source} answers: its writers ${writers.join(', ')} go to 0 before the data cut`,
    },
  ];
  const scalable = new Map<string, ScalableTargetInfo | undefined>();
  try {
    const reads = active.map(async (s) => scalable.set(s.name, await aws.applicationAutoScaling(source).readEcsScalableTarget(cfg.cluster, s.name)));
    await within(topology.timeouts.readMs, Promise.all(reads));
  } catch (e) {
    const why = isAwsCallError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e);
    checks.push({
      name: 'fence holds',
      passed: true,
      observed: 'scalable targets not read',
      message: `the scalable targets of ${writers.join(', ')} in ${source} could not be read (${why}): a MinCapacity above 0 would scale a writer back out`,
      warning: true,
    });
  }
  const changes: Change[] = [];
  const ranges: NonNullable<FenceData['ranges']> = {};
  for (const s of active) {
    const t = scalable.get(s.name);
    if (t && t.min > 0) {
      ranges[s.name] = { from: { min: t.min, max: t.max }, to: { min: 0, max: t.max } };
      changes.push({ resource: `scalable target ${t.resourceId}`, attribute: 'minCapacity', from: t.min, to: 0, risk: 'disruptive', region: source });
    }
  }
  const fenced = active.filter((s) => s.desired > 0);
  for (const s of fenced)
    changes.push({ resource: `ecs ${cfg.cluster}/${s.name}`, attribute: 'desiredCount', from: s.desired, to: 0, risk: 'disruptive', region: source });
  return {
    ...base,
    changes,
    checks,
    noop: changes.length === 0,
    data: {
      source,
      cluster: cfg.cluster,
      writers: fenced.map((s) => s.name),
      ...(Object.keys(ranges).length ? { ranges } : {}),
    } satisfies FenceData,
    observed: {
      source,
      services: live.map((s) => ({ name: s.name, desired: s.desired, ...(scalable.get(s.name) ? { min: scalable.get(s.name)!.min } : {}) })),
    },
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
  // The minimum first: with it above 0, Application Auto Scaling would scale the writer back out.
  for (const [name, range] of Object.entries(d.ranges ?? {})) {
    ctx.report(`fencing ${d.cluster}/${name} in ${d.source}: scalable target min ${range.from.min} -> 0`);
    await ctx.mutating.applicationAutoScaling(d.source!).setEcsCapacityRange(d.cluster, name, range.to, {
      reconcile: async () => {
        const t = await ctx.aws.applicationAutoScaling(d.source!).readEcsScalableTarget(d.cluster, name);
        return t && t.min === range.to.min && t.max === range.to.max ? t : undefined;
      },
      resend: true,
    });
  }
  for (const name of d.writers) {
    ctx.report(`fencing ${d.cluster}/${name} in ${d.source}: desired count to 0`);
    await ecs.updateDesiredCount(d.cluster, name, 0);
  }
}

async function verify(step: PlannedStep<FenceData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  // The fence holds once ECS has taken desired 0; its tasks stop on their own, and the data cut must
  // not wait for a region that may be failing.
  // The minimum is read back too: at 0 it holds, so no scaling activity brings the writer back.
  const names = [...new Set([...d.writers, ...Object.keys(d.ranges ?? {})])];
  const scaling = ctx.aws.applicationAutoScaling(d.source!);
  await ctx.waitFor(`ECS ${d.cluster} (${d.source}) writers to have desired count 0 and MinCapacity 0`, async () => {
    const live = await ctx.aws.ecs(d.source!).describeServices(d.cluster, names);
    const mins = await Promise.all(Object.keys(d.ranges ?? {}).map(async (n) => ({ n, t: await scaling.readEcsScalableTarget(d.cluster, n) })));
    return {
      done: live.every((s) => s.desired === 0) && mins.every(({ t }) => !t || t.min === 0),
      detail: [...live.map((s) => `${s.name} desired ${s.desired}, running ${s.running}`), ...mins.map(({ n, t }) => `${n} min ${t?.min ?? '-'}`)].join(', '),
    };
  });
}

export const ecsFence = defineStep({ kind: 'ecs.fence', params, plan, apply, verify });
