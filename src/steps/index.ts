// The registry: every step kind, once. StepKind, the engine's lookup table, the playbook schema's
// per-kind `with:` blocks and the JSON Schema editors get are all derived from this list, so a new
// step kind is one file plus one line here.
import type { PlannedStep, RpoBound, StepDef } from './contract.js';
import { approval } from './approval.js';
import { auroraFailover } from './aurora-failover.js';
import { auroraSwitchover } from './aurora-switchover.js';
import { ecsFence } from './ecs-fence.js';
import { ecsScale } from './ecs-scale.js';
import { gateHealth } from './gate-health.js';
import { gateLag } from './gate-lag.js';
import { UsageError } from '../io/errors.js';
import type { ParamProblem } from './params.js';
import { redisFailover } from './redis-failover.js';
import { rdsCreateReplica } from './rds-create-replica.js';
import { rdsCreateReplicaCluster } from './rds-create-replica-cluster.js';
import { rdsPromoteReplica } from './rds-promote-replica.js';
import { rdsPromoteReplicaCluster } from './rds-promote-cluster.js';
import { route53Drain } from './route53-drain.js';
import { route53Point } from './route53-point.js';
import { route53Restore } from './route53-restore.js';
import { route53Shift } from './route53-shift.js';
import { sandboxFault } from './sandbox-fault.js';
import { wait } from './wait.js';

export const stepDefs = [
  ecsScale,
  ecsFence,
  auroraSwitchover,
  auroraFailover,
  redisFailover,
  rdsPromoteReplica,
  rdsPromoteReplicaCluster,
  rdsCreateReplica,
  rdsCreateReplicaCluster,
  route53Shift,
  route53Drain,
  route53Restore,
  route53Point,
  gateHealth,
  gateLag,
  approval,
  wait,
  sandboxFault,
] as const;

export type StepKind = (typeof stepDefs)[number]['kind'];

type Registry = { [K in StepKind]: StepDef<K> };

export const stepImpls: Registry = Object.fromEntries(stepDefs.map((d) => [d.kind, d])) as Registry;

export const stepKinds: StepKind[] = stepDefs.map((d) => d.kind);

/** The step kind named, or a usage error listing the kinds there are. */
export function stepImpl(kind: string): StepDef {
  if (!isStepKind(kind)) throw new UsageError(`unknown step kind "${kind}" (known: ${stepKinds.join(', ')})`);
  return stepImpls[kind];
}

export function isStepKind(kind: string): kind is StepKind {
  return Object.hasOwn(stepImpls, kind);
}

/** Problems with a step's parameters for a topology's regions (none: valid). Used by playbook loading. */
export function checkStepParams(kind: StepKind, params: Record<string, unknown>, regions: readonly string[]): ParamProblem[] {
  return stepImpls[kind].check(params, { regions });
}

/** The data-loss bound (ms) a planned step records, for the timing report; undefined where it has none. */
export function rpoOf(kind: string, data: PlannedStep['data'] | undefined): RpoBound | undefined {
  return data && isStepKind(kind) ? stepImpls[kind].rpo?.({ data }) : undefined;
}

/** Whether a planned step ends a simulated outage when it starts (its kind's endsOutage()). */
export function endsOutageOf(kind: string, data: PlannedStep['data'] | undefined): boolean {
  return !!data && isStepKind(kind) && (stepImpls[kind].endsOutage?.({ data }) ?? false);
}
