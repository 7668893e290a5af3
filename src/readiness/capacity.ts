// Readiness of capacity: a service under Application Auto Scaling keeps its desired count inside its
// scalable target's [MinCapacity, MaxCapacity] (Application Auto Scaling user guide, Amazon ECS,
// https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-ecs.html), so the
// capacity the failover needs in the target region must fit under the maximum, as ARC Region switch's
// plan evaluation checks capacity. ecs.scale refuses a count above the maximum (unless raiseMax): a maximum
// below the capacity means the scaling policy was sized for less than a whole region's traffic: a finding.
import type { ReadinessFinding, ReadinessKind } from './types.js';

export const capacityKind: ReadinessKind = {
  name: 'scalable targets',
  applies: (t) => t.ecs !== undefined,
  async check(ctx, target) {
    const out: ReadinessFinding[] = [];
    const cfg = ctx.topology.ecs![target];
    if (!cfg) return out;
    for (const s of cfg.services) {
      const resource = `scalable target service/${cfg.cluster}/${s.name} (${target})`;
      try {
        const st = await ctx.memo(`scalable ${target} ${cfg.cluster} ${s.name}`, () =>
          ctx.aws.applicationAutoScaling(target).readEcsScalableTarget(cfg.cluster, s.name),
        );
        if (st && st.max < s.capacity)
          out.push({
            target,
            resource,
            problem: `has MaxCapacity ${st.max}, below the capacity ${s.capacity} a failover to ${target} needs`,
            fix: `raise its maximum to at least ${s.capacity} (aws application-autoscaling register-scalable-target)`,
            kind: 'not-ready',
          });
      } catch (e) {
        out.push({
          target,
          resource,
          problem: `could not check: ${e instanceof Error ? e.message : String(e)}`,
          fix: 'allow application-autoscaling:DescribeScalableTargets (mr iam-policy --for read)',
          kind: 'could-not-check',
        });
      }
    }
    return out;
  },
};

/** Whether any service has a scalable target, from the reads capacityKind made (for the permission check). */
export async function anyScalableTarget(ctx: Parameters<ReadinessKind['check']>[0]): Promise<boolean> {
  const found = await Promise.all(
    Object.entries(ctx.topology.ecs ?? {}).flatMap(([region, c]) =>
      c.services.map((s) =>
        ctx
          .memo(`scalable ${region} ${c.cluster} ${s.name}`, () => ctx.aws.applicationAutoScaling(region).readEcsScalableTarget(c.cluster, s.name))
          .then(
            (t) => t !== undefined,
            () => true,
          ),
      ),
    ),
  );
  return found.some(Boolean);
}
