// ecs.scale: set the desired count of the topology's ECS services in one region (a number, or each
// service's capacity from the topology), then wait until every one runs what it should.
// A service under Application Auto Scaling keeps its desired count inside its scalable target's
// [MinCapacity, MaxCapacity]: a count raised by hand above the minimum is scaled back in by its
// policy, one above the maximum is capped (Application Auto Scaling user guide, Amazon ECS,
// https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-ecs.html;
// RegisterScalableTarget, https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
// So the plan reads each service's scalable target and moves its bounds first: the minimum up to the
// new count (and the maximum when it is below it) when scaling out, the minimum down to the new count
// when scaling in below it. The old bounds are in the plan (change "from", data.ranges). A service
// without a scalable target is scaled as before.
// A count above the scalable target's maximum is refused at plan time (the maximum is a capacity
// decision someone made, often a cost or quota bound), naming the service, the count and the maximum;
// `raiseMax: true` lets the plan raise the maximum instead, shown as a change.
// `baseline: true` puts each service back to the topology's declared baseline (`baseline: { desired,
// min, max }`): the desired count and both bounds exactly, e.g. a standby after a pre-scale.
import type { EcsServiceInfo, MutationResult, ScalableTargetInfo } from '../aws/types.js';
import type { z } from 'zod';
import { defineStep, stepUsageError, type Change, type Check, type PlanContext, type PlannedStep, type StepContext, type StepPlan } from './contract.js';
import { bool, names as nameList, optional, region, stepParams, wholeNumber, type ParamEnv } from './params.js';
import { expectedMs } from './probe.js';

type EcsData = {
  region: string;
  cluster: string;
  /** Desired count per service name. */
  targets: Record<string, number>;
  /** The services whose desired count apply() sets. */
  update: string[];
  /** Scalable-target bounds apply() moves before the desired counts, with the bounds read at plan time. */
  ranges?: Record<string, { from: { min: number; max: number }; to: { min: number; max: number } }>;
};

type Range = { min: number; max: number };

/**
 * The bounds a scalable target needs so the count `want` holds, from the `current` desired count, or
 * undefined when it holds already. Scaling out: the minimum comes up to the count (and the maximum
 * when it is below). Scaling to a count below the minimum: the minimum comes down to it. A scale-in
 * that stays above the minimum leaves the minimum alone, so scaling policies keep their room.
 */
export function rangeFor(t: Range, want: number, current: number, raiseMax = true): Range | undefined {
  let min = t.min;
  if (t.min > want) min = want;
  else if (t.min < want && want > current) min = want;
  const max = raiseMax ? Math.max(t.max, want) : t.max;
  if (min > max) min = max;
  return min === t.min && max === t.max ? undefined : { min, max };
}

export const MAX_DESIRED = 10_000;

const params = (env: ParamEnv) =>
  stepParams(
    {
      region: region(env),
      to: optional(wholeNumber(0, MAX_DESIRED)),
      capacity: optional(bool()),
      baseline: optional(bool()),
      services: optional(nameList()),
      raiseMax: optional(bool()),
    },
    {
      oneOf: ['to', 'capacity', 'baseline'],
      oneOfHint: 'a desired count, "capacity: true" for each service\'s capacity from the topology, or "baseline: true" for its declared baseline',
    },
  );

function settled(s: EcsServiceInfo, want: number): boolean {
  return s.desired === want && s.running === want && s.deployments === 1;
}

async function plan(id: string, p: z.output<ReturnType<typeof params>>, ctx: PlanContext): Promise<StepPlan<EcsData>> {
  const { topology, aws } = ctx;
  const region = p.region;
  const fail = (problem: string) => stepUsageError('ecs.scale', id, problem);
  const cfg = topology.ecs?.[region];
  if (!cfg) throw fail(`the topology has no ecs services in ${region}`);
  const to = p.to;
  const capacity = p.capacity ?? false;
  const baseline = p.baseline ?? false;
  if ([to !== undefined, capacity, baseline].filter(Boolean).length !== 1)
    throw fail(
      'give exactly one of "to" (a desired count), "capacity: true" (each service\'s capacity from the topology) or "baseline: true" (its declared baseline)',
    );
  const known = cfg.services.map((s) => s.name);
  const names = p.services ?? known;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw fail(`"services": ${unknown.join(', ')} not in the topology for ${region} (allowed: ${known.join(', ')})`);

  const noBaseline = baseline ? names.filter((n) => !cfg.services.find((s) => s.name === n)?.baseline) : [];
  if (noBaseline.length)
    throw fail(`"baseline: true": the topology declares no baseline for ${noBaseline.join(', ')} in ${region} (ecs.${region}.services[].baseline)`);
  const targets: Record<string, number> = {};
  for (const s of cfg.services) if (names.includes(s.name)) targets[s.name] = to ?? (baseline ? s.baseline!.desired : s.capacity);

  const live = await aws.ecs(region).describeServices(cfg.cluster, names);
  const byName = new Map(live.map((s) => [s.name, s]));
  const checks: Check[] = [];
  const changes: Change[] = [];
  const notActive = names.filter((n) => byName.get(n)?.status !== 'ACTIVE');
  checks.push({
    name: 'services active',
    passed: notActive.length === 0,
    observed: names.map((n) => `${n}:${byName.get(n)?.status ?? 'MISSING'}`).join(', '),
    bound: 'ACTIVE',
    message: notActive.length
      ? `not active in ${cfg.cluster} (${region}): ${notActive.map((n) => `${n} ${byName.get(n)?.status ?? 'MISSING'}`).join(', ')}`
      : `${names.length} services active in ${cfg.cluster} (${region})`,
  });
  for (const n of names) {
    const s = byName.get(n);
    if (s && s.desired !== targets[n]) {
      changes.push({
        resource: `ecs ${cfg.cluster}/${n}`,
        attribute: 'desiredCount',
        from: s.desired,
        to: targets[n],
        risk: targets[n] < s.desired ? 'disruptive' : 'safe',
        region,
      });
    }
  }
  const scaling = aws.applicationAutoScaling(region);
  const scalable = new Map<string, ScalableTargetInfo | undefined>();
  await Promise.all(
    names.filter((n) => byName.get(n)?.status === 'ACTIVE').map(async (n) => scalable.set(n, await scaling.readEcsScalableTarget(cfg.cluster, n))),
  );
  const ranges: NonNullable<EcsData['ranges']> = {};
  const aboveMax: Check[] = [];
  for (const n of names) {
    const t = scalable.get(n);
    if (t && !baseline && !p.raiseMax && targets[n] > t.max) {
      aboveMax.push({
        name: 'within the scalable target maximum',
        passed: false,
        observed: targets[n],
        bound: t.max,
        message: `${cfg.cluster}/${n} (${region}): desired count ${targets[n]} is above its scalable target's MaxCapacity ${t.max}; give the step "raiseMax: true" (mr ecs scale --raise-max) to raise the maximum`,
      });
      continue;
    }
    const b = baseline ? cfg.services.find((s) => s.name === n)!.baseline! : undefined;
    const next = !t
      ? undefined
      : b
        ? b.min === t.min && b.max === t.max
          ? undefined
          : { min: b.min, max: b.max }
        : rangeFor(t, targets[n], byName.get(n)?.desired ?? 0);
    if (!t || !next) continue;
    ranges[n] = { from: { min: t.min, max: t.max }, to: next };
    const resource = `scalable target ${t.resourceId}`;
    if (next.min !== t.min) changes.push({ resource, attribute: 'minCapacity', from: t.min, to: next.min, risk: 'safe', region });
    if (next.max !== t.max) changes.push({ resource, attribute: 'maxCapacity', from: t.max, to: next.max, risk: 'safe', region });
  }
  const allThere = notActive.length === 0 && changes.length === 0 && aboveMax.length === 0;
  const allSettled = allThere && names.every((n) => settled(byName.get(n)!, targets[n]));
  const what = to !== undefined ? `${to}` : baseline ? 'baseline' : 'capacity';
  return {
    title: `Scale ECS ${cfg.cluster} (${region}) ${names.join(', ')} to ${what}`,
    region,
    changes,
    checks: allThere ? [] : [...checks, ...aboveMax],
    noop: allSettled,
    // Desired counts are already there but tasks are still starting: nothing to call, verify waits.
    inProgress: allThere && !allSettled ? true : undefined,
    data: {
      region,
      cluster: cfg.cluster,
      targets,
      update: names.filter((n) => byName.get(n) && byName.get(n)!.desired !== targets[n]),
      ...(Object.keys(ranges).length ? { ranges } : {}),
    } satisfies EcsData,
    // Running counts move by themselves; the plan depends only on what it would change.
    observed: {
      services: names.map((n) => ({ name: n, status: byName.get(n)?.status ?? 'MISSING', desired: byName.get(n)?.desired ?? null })),
      ...(scalable.size && [...scalable.values()].some((t) => t)
        ? { scalable: names.map((n) => ({ name: n, min: scalable.get(n)?.min ?? null, max: scalable.get(n)?.max ?? null })) }
        : {}),
    },
  };
}

async function apply(step: PlannedStep<EcsData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const ecs = ctx.aws.ecs(d.region);
  // The bounds first, so Application Auto Scaling does not undo (or cap) the count set next.
  for (const [name, range] of Object.entries(d.ranges ?? {})) {
    ctx.report(`${d.cluster}/${name}: scalable target min ${range.from.min} -> ${range.to.min}, max ${range.from.max} -> ${range.to.max}`);
    await ctx.mutating.applicationAutoScaling(d.region).setEcsCapacityRange(d.cluster, name, range.to, {
      // Answer lost: the target reading the bounds we set took them (setting them is idempotent).
      reconcile: async () => {
        const t = await ctx.aws.applicationAutoScaling(d.region).readEcsScalableTarget(d.cluster, name);
        return t && t.min === range.to.min && t.max === range.to.max ? t : undefined;
      },
      resend: true,
    });
  }
  for (const name of d.update) {
    const desired = d.targets[name];
    ctx.report(`${d.cluster}/${name}: desired count to ${desired}`);
    await ctx.mutating.ecs(d.region).updateDesiredCount(d.cluster, name, desired, {
      // Answer lost: the service reading the desired count we set took it (setting it is idempotent).
      reconcile: async (): Promise<(EcsServiceInfo & MutationResult) | undefined> => {
        const [s] = await ecs.describeServices(d.cluster, [name]);
        return s && s.desired === desired ? s : undefined;
      },
      resend: true,
    });
  }
}

async function verify(step: PlannedStep<EcsData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const ecs = ctx.aws.ecs(d.region);
  const names = Object.keys(d.targets);
  await ctx.waitFor(
    `ECS ${d.cluster} (${d.region}) services to run their desired count`,
    async () => {
      const live = await ecs.describeServices(d.cluster, names);
      const detail = live.map((s) => `${s.name} ${s.running}/${s.desired}${s.deployments > 1 ? ` (${s.deployments} deployments)` : ''}`).join(', ');
      const done = names.every((n) => {
        const s = live.find((x) => x.name === n);
        return !!s && settled(s, d.targets[n]);
      });
      return { done, detail };
    },
    { expectedMs: expectedMs(ctx.topology, 'ecsStart') },
  );
  // The bounds hold what apply set: otherwise the count would drift back.
  const ranges = Object.entries(d.ranges ?? {});
  if (ranges.length === 0) return;
  await ctx.waitFor(
    `the scalable targets of ECS ${d.cluster} (${d.region}) to hold their new bounds`,
    async () => {
      const seen = await Promise.all(
        ranges.map(async ([n, r]) => ({ n, r, t: await ctx.aws.applicationAutoScaling(d.region).readEcsScalableTarget(d.cluster, n) })),
      );
      return {
        done: seen.every(({ r, t }) => t?.min === r.to.min && t?.max === r.to.max),
        detail: seen.map(({ n, t }) => `${n} min ${t?.min ?? '-'} max ${t?.max ?? '-'}`).join(', '),
      };
    },
    { expectedMs: expectedMs(ctx.topology, 'ecsStart') },
  );
}

export const ecsScale = defineStep({ kind: 'ecs.scale', params, plan, apply, verify });
