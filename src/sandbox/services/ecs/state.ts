// ECS services as clock-driven state: a desired-count change is stored as (running when it changed, when),
// and the running and pending counts at any later time follow from the clock.
import { z } from 'zod';
import type { ServiceContext } from '../../contract.js';
import { parseSection, sectionError } from '../section.js';

const containerSchema = z
  .object({
    name: z.string().min(1),
    image: z.string().min(1),
    secrets: z.array(z.object({ name: z.string().min(1), valueFrom: z.string().min(1) }).strict()).default([]),
  })
  .strict();

export type EcsContainer = z.infer<typeof containerSchema>;

const sectionSchema = z.object({
  clusters: z
    .array(
      z.object({
        region: z.string(),
        name: z.string().min(1),
        services: z
          .array(
            z.object({
              name: z.string().min(1),
              desired: z.number().int().nonnegative(),
              /** The containers of the service's task definition (DescribeTaskDefinition). */
              containers: z.array(containerSchema).default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});

/** How many tasks ECS starts at once when scaling out ("a few at a time"). */
export const START_BATCH = 3;

export interface EcsServiceState {
  name: string;
  desired: number;
  /** Running tasks when `desired` last changed, and when (simulated ms). */
  base: number;
  since: number;
  createdAt: number;
  deploymentId: string;
  /** Absent in state files written before task definitions were modelled. */
  containers?: EcsContainer[];
}

export interface EcsClusterState {
  region: string;
  name: string;
  createdAt: number;
  services: EcsServiceState[];
}

export interface EcsState {
  clusters: EcsClusterState[];
}

export function initEcs(section: unknown, ctx: ServiceContext): EcsState {
  const parsed = parseSection(sectionSchema, section, 'ecs');
  const now = ctx.now();
  return {
    clusters: parsed.clusters.map((c, i) => {
      if (!ctx.regions.includes(c.region)) throw sectionError(`ecs.clusters[${i}]`, `region ${c.region} is not in the world's regions`);
      return {
        region: c.region,
        name: c.name,
        createdAt: now,
        // A service in the world file starts steady: every desired task already running.
        services: c.services.map((s) => ({
          name: s.name,
          desired: s.desired,
          base: s.desired,
          since: now,
          createdAt: now,
          deploymentId: deploymentId(c.region, c.name, s.name),
          containers: s.containers,
        })),
      };
    }),
  };
}

/** A stable ecs-svc/<19 digits> id per service. */
function deploymentId(region: string, cluster: string, service: string): string {
  let h = 1469598103934665603n;
  for (const ch of `${region}/${cluster}/${service}`) h = ((h ^ BigInt(ch.charCodeAt(0))) * 1099511628211n) & 0xffffffffffffffffn;
  return `ecs-svc/${(h % 10n ** 19n).toString().padStart(19, '0')}`;
}

export interface TaskCounts {
  running: number;
  pending: number;
  /** When running reaches desired (simulated ms). */
  steadyAt: number;
}

/**
 * Scale-out: tasks start in batches of START_BATCH, each batch taking durationMs('taskStart'); the batch
 * in flight shows as pending. Scale-in is quicker: the extra tasks stop after a quarter of a task start.
 */
export function taskCounts(s: EcsServiceState, t: number, ctx: ServiceContext): TaskCounts {
  const start = ctx.durationMs('taskStart');
  const elapsed = Math.max(0, t - s.since);
  if (s.desired >= s.base) {
    const need = s.desired - s.base;
    const rounds = Math.ceil(need / START_BATCH);
    const steadyAt = s.since + rounds * start;
    if (start <= 0 || t >= steadyAt) return { running: s.desired, pending: 0, steadyAt };
    const done = Math.floor(elapsed / start);
    const running = Math.min(need, done * START_BATCH);
    const launched = Math.min(need, (done + 1) * START_BATCH);
    return { running: s.base + running, pending: launched - running, steadyAt };
  }
  const steadyAt = s.since + Math.round(start / 4);
  return { running: t >= steadyAt ? s.desired : s.base, pending: 0, steadyAt };
}

/**
 * Change the desired count at `at` (default now; earlier for a change that happened by itself while
 * nobody asked, e.g. a scaling activity), carrying over the tasks running then.
 */
export function setDesired(s: EcsServiceState, desired: number, ctx: ServiceContext, at = ctx.now()): void {
  s.base = taskCounts(s, at, ctx).running;
  s.since = at;
  s.desired = desired;
}
