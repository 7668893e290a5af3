// What a target-tracking scaling policy does to an ECS service by itself, as state that follows the
// clock. AWS: the policy "adds and removes capacity as required to keep the metric at, or close to, the
// specified target value"; "when the metric is below the target value, Application Auto Scaling scales
// in by removing capacity", with cooldown periods between scaling activities (Application Auto Scaling
// user guide, How target tracking scaling works,
// https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html;
// ScaleInCooldown, https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html).
// Its activities keep the desired count inside [MinCapacity, MaxCapacity]: a count below the minimum
// is scaled back out to it, one above the maximum is capped (Application Auto Scaling user guide,
// Amazon ECS and Application Auto Scaling,
// https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-ecs.html;
// Amazon ECS developer guide, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html).
//
// The sandbox has no load and no CloudWatch alarms, so a policy is declared with whether its service
// is idle (a warm standby: its metric sits below any target):
// - idle: one scale-in activity takes the desired count to the minimum (the metric is near zero, so the
//   computed capacity is at or below the minimum in one step); a count below the minimum goes up to it.
// - not idle: the load is taken to fit the count it has; only a count outside [min, max] is moved into it.
// When: the policy's scaleInCooldown after the later of the service's last desired-count change and the
// target's last registration. ⚠ AWS acts when its alarm fires (for ECS target tracking, minutes of
// datapoints), which AWS does not give as one number; the sandbox uses the one delay for both directions.
// Suspended dynamic scaling in (or out) stops activities in that direction, as SuspendedState documents.
import type { ServiceContext } from '../../contract.js';
import { setDesired, type EcsState } from '../ecs/state.js';

export interface TargetTrackingState {
  idle: boolean;
  /** Simulated seconds. */
  scaleInCooldown: number;
}

/** What settle() needs of a scalable target (index.ts holds the whole state). */
export interface ScaledTarget {
  region: string;
  resourceId: string;
  min: number;
  max: number;
  suspended: { in: boolean; out: boolean };
  createdAt: number;
  /** Last RegisterScalableTarget (simulated ms); absent in state files written before policies. */
  changedAt?: number;
  targetTracking?: TargetTrackingState;
}

/** The count the policy moves `desired` to, or undefined when it leaves it. */
export function policyCount(t: ScaledTarget, desired: number): number | undefined {
  const p = t.targetTracking;
  if (!p) return undefined;
  const want = p.idle ? t.min : Math.min(t.max, Math.max(t.min, desired));
  if (want === desired) return undefined;
  if (want < desired && t.suspended.in) return undefined;
  if (want > desired && t.suspended.out) return undefined;
  return want;
}

/** Apply every scaling activity due by now, each at the time it was due. True when one happened. */
export function settleScaling(targets: ScaledTarget[], ctx: ServiceContext): boolean {
  const ecs = ctx.peek<EcsState | undefined>('ecs');
  if (!ecs) return false;
  const now = ctx.now();
  let changed = false;
  for (const t of targets) {
    if (!t.targetTracking) continue;
    const [, cluster, name] = t.resourceId.split('/');
    const s = ecs.clusters.find((c) => c.region === t.region && c.name === cluster)?.services.find((x) => x.name === name);
    if (!s) continue;
    const want = policyCount(t, s.desired);
    if (want === undefined) continue;
    const due = Math.max(s.since, t.changedAt ?? t.createdAt) + t.targetTracking.scaleInCooldown * 1000;
    if (now < due) continue;
    setDesired(s, want, ctx, due);
    changed = true;
  }
  return changed;
}
