// Application Auto Scaling (awsJson 1.1, target prefix AnyScaleFrontendService, signing name
// application-autoscaling; from @aws-sdk/client-application-auto-scaling's protocol settings):
// scalable targets of ECS services, read and registered. Source: Application Auto Scaling API
// reference, RegisterScalableTarget (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html):
// it "registers or updates" a target; a new one needs both MinCapacity and MaxCapacity, an update
// changes only what it names; and for an active resource it "changes the resource's current capacity
// to a value that is inside of this range" (modelled here on the ECS service's desired count).
// ECS services are ResourceId service/<cluster>/<service>, dimension ecs:service:DesiredCount
// (https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-ecs.html).
// A target may carry a target-tracking policy (world file `targetTracking`), whose scaling activities
// follow the clock (scaling.ts). Not modelled: the policy APIs (PutScalingPolicy, DescribeScalingPolicies),
// step scaling, scheduled actions, other namespaces, tags, DeregisterScalableTarget.
import { z } from 'zod';
import { SandboxAwsError, type Operation, type ServiceContext, type ServiceModule } from '../../contract.js';
import { epochSeconds, jsonBody, jsonError, jsonResponse, jsonTarget, optNumber, optString, optStrings, unknownOperation } from '../../protocol/json.js';
import { setDesired, type EcsState } from '../ecs/state.js';
import { parseSection, sectionError } from '../section.js';
import { settleScaling, type TargetTrackingState } from './scaling.js';

const PREFIX = 'AnyScaleFrontendService';
const ECS_DIMENSION = 'ecs:service:DesiredCount';

const sectionSchema = z.object({
  scalableTargets: z
    .array(
      z
        .object({
          region: z.string(),
          resourceId: z.string().regex(/^service\/[^/]+\/[^/]+$/, 'expected service/<cluster>/<service>'),
          min: z.number().int().nonnegative(),
          max: z.number().int().nonnegative(),
          /** A target-tracking policy: `idle` (default true, the sandbox has no load) and its ScaleInCooldown (simulated s, default 300, AWS's default). */
          targetTracking: z
            .object({ idle: z.boolean().default(true), scaleInCooldown: z.number().nonnegative().default(300) })
            .strict()
            .optional(),
        })
        .strict(),
    )
    .default([]),
});

export interface ScalableTargetState {
  region: string;
  namespace: 'ecs';
  resourceId: string;
  dimension: string;
  min: number;
  max: number;
  suspended: { in: boolean; out: boolean; scheduled: boolean };
  createdAt: number;
  /** Last RegisterScalableTarget (simulated ms). */
  changedAt?: number;
  targetTracking?: TargetTrackingState;
}

export interface AutoScalingState {
  targets: ScalableTargetState[];
}

function init(section: unknown, ctx: ServiceContext): AutoScalingState {
  const parsed = parseSection(sectionSchema, section, 'application-autoscaling');
  return {
    targets: parsed.scalableTargets.map((t, i) => {
      if (!ctx.regions.includes(t.region))
        throw sectionError(`application-autoscaling.scalableTargets[${i}]`, `region ${t.region} is not in the world's regions`);
      if (t.min > t.max) throw sectionError(`application-autoscaling.scalableTargets[${i}]`, `min ${t.min} is above max ${t.max}`);
      return {
        region: t.region,
        namespace: 'ecs',
        resourceId: t.resourceId,
        dimension: ECS_DIMENSION,
        min: t.min,
        max: t.max,
        suspended: { in: false, out: false, scheduled: false },
        createdAt: ctx.now(),
        ...(t.targetTracking ? { targetTracking: { ...t.targetTracking } } : {}),
      };
    }),
  };
}

const validation = (message: string) => new SandboxAwsError('ValidationException', message);

function namespaceOf(b: Record<string, unknown>): 'ecs' {
  const ns = optString(b, 'ServiceNamespace');
  if (ns === undefined) throw validation("1 validation error detected: Value null at 'serviceNamespace' failed to satisfy constraint: Member must not be null");
  // ⚠ Only ECS services are modelled; AWS accepts other namespaces.
  if (ns !== 'ecs') throw validation(`The sandbox models the ecs namespace only, not ${ns}.`);
  return ns;
}

function targetJson(ctx: ServiceContext, t: ScalableTargetState) {
  return {
    ServiceNamespace: t.namespace,
    ResourceId: t.resourceId,
    ScalableDimension: t.dimension,
    MinCapacity: t.min,
    MaxCapacity: t.max,
    RoleARN: `arn:aws:iam::${ctx.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
    CreationTime: epochSeconds(t.createdAt),
    SuspendedState: {
      DynamicScalingInSuspended: t.suspended.in,
      DynamicScalingOutSuspended: t.suspended.out,
      ScheduledScalingSuspended: t.suspended.scheduled,
    },
    ScalableTargetARN: `arn:aws:application-autoscaling:${t.region}:${ctx.account}:scalable-target/${t.resourceId.replace(/\//g, '-')}`,
  };
}

function describe(b: Record<string, unknown>, state: AutoScalingState, ctx: ServiceContext, region: string) {
  const ns = namespaceOf(b);
  const ids = optStrings(b, 'ResourceIds');
  const dimension = optString(b, 'ScalableDimension');
  const found = state.targets.filter(
    (t) => t.region === region && t.namespace === ns && (!ids || ids.includes(t.resourceId)) && (!dimension || t.dimension === dimension),
  );
  return { ScalableTargets: found.map((t) => targetJson(ctx, t)) };
}

/** Put the ECS service's desired count inside [min, max], as RegisterScalableTarget does for an active resource. */
function clampEcs(ctx: ServiceContext, region: string, resourceId: string, min: number, max: number): void {
  const [, cluster, name] = resourceId.split('/');
  const ecs = ctx.peek<EcsState>('ecs');
  const s = ecs?.clusters.find((c) => c.region === region && c.name === cluster)?.services.find((x) => x.name === name);
  if (!s) return; // not active in the target service: its capacity is left alone
  const within = Math.min(max, Math.max(min, s.desired));
  if (within !== s.desired) setDesired(s, within, ctx);
}

function register(b: Record<string, unknown>, state: AutoScalingState, ctx: ServiceContext, region: string) {
  const ns = namespaceOf(b);
  const resourceId = optString(b, 'ResourceId');
  const dimension = optString(b, 'ScalableDimension');
  if (!resourceId || !dimension) throw validation('ResourceId and ScalableDimension are required.');
  if (dimension !== ECS_DIMENSION || !/^service\/[^/]+\/[^/]+$/.test(resourceId))
    throw validation(`Unsupported service namespace, resource type or scalable dimension: ${resourceId} ${dimension}`);
  const min = optNumber(b, 'MinCapacity');
  const max = optNumber(b, 'MaxCapacity');
  for (const [k, v] of [
    ['MinCapacity', min],
    ['MaxCapacity', max],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw validation(`${k} must be a non-negative integer.`);
  }
  let t = state.targets.find((x) => x.region === region && x.namespace === ns && x.resourceId === resourceId && x.dimension === dimension);
  if (!t) {
    if (min === undefined || max === undefined) throw validation('MinCapacity and MaxCapacity are required when registering a new scalable target.');
    t = { region, namespace: ns, resourceId, dimension, min, max, suspended: { in: false, out: false, scheduled: false }, createdAt: ctx.now() };
    if (min > max) throw validation(`Minimum capacity (${min}) cannot be greater than maximum capacity (${max}).`);
    state.targets.push(t);
  } else {
    const nextMin = min ?? t.min;
    const nextMax = max ?? t.max;
    if (nextMin > nextMax) throw validation(`Minimum capacity (${nextMin}) cannot be greater than maximum capacity (${nextMax}).`);
    t.min = nextMin;
    t.max = nextMax;
  }
  t.changedAt = ctx.now();
  const suspended = b.SuspendedState as Record<string, unknown> | undefined;
  if (suspended && typeof suspended === 'object') {
    if (typeof suspended.DynamicScalingInSuspended === 'boolean') t.suspended.in = suspended.DynamicScalingInSuspended;
    if (typeof suspended.DynamicScalingOutSuspended === 'boolean') t.suspended.out = suspended.DynamicScalingOutSuspended;
    if (typeof suspended.ScheduledScalingSuspended === 'boolean') t.suspended.scheduled = suspended.ScheduledScalingSuspended;
  }
  clampEcs(ctx, region, resourceId, t.min, t.max);
  return { ScalableTargetARN: targetJson(ctx, t).ScalableTargetARN };
}

type Answer = (b: Record<string, unknown>, state: AutoScalingState, ctx: ServiceContext, region: string) => unknown;
const op = (mutating: boolean, answer: Answer): Operation<AutoScalingState> => ({
  mutating,
  handle: (req, state, ctx) => jsonResponse('1.1', answer(jsonBody(req), state, ctx, req.region)),
});

export const autoScalingService: ServiceModule<AutoScalingState> = {
  signingName: 'application-autoscaling',
  stateKey: 'application-autoscaling',
  init,
  settle: (state, ctx) => settleScaling(state.targets, ctx),
  operation: (req) => jsonTarget(req, PREFIX) || 'Unknown',
  operations: {
    DescribeScalableTargets: op(false, describe),
    RegisterScalableTarget: op(true, register),
  },
  unknownOperation: (req) => unknownOperation(req),
  renderError: (err) => jsonError(err, '1.1'),
};
