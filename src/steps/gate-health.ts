// gate.health: a check-only step. The region's Route 53 health check must be healthy: a failure at
// plan time refuses the plan; when the run reaches the gate it is read and judged again (see
// gate-check.ts), so a gate placed after changes checks their outcome. It never changes anything.
import type { Check, PlanContext, PlannedStep, StepContext, StepImpl } from '../engine/types.js';
import type { Aws } from '../aws/types.js';
import { gatePlan, recheckGate, withinParam } from './gate-check.js';
import { HEALTHY_FRACTION, readHealth } from './health.js';
import { ParamReader } from './params.js';
import { route53Call } from './route53-down.js';

interface HealthGateData {
  region: string;
  healthCheckId: string;
  /** The run-time window in ms; absent: the default (two poll intervals). */
  withinMs?: number;
}

/** Read the region's health check and judge it. Throws what the read throws (the caller decides). */
export async function healthCheck(aws: Aws, region: string, healthCheckId: string): Promise<Check> {
  const v = await readHealth(aws, region, healthCheckId);
  return {
    name: `${region} healthy`,
    passed: v.healthy,
    observed: `${v.ok}/${v.total}`,
    bound: `more than ${HEALTHY_FRACTION * 100}% of checkers`,
    message: v.healthy ? v.summary : `${v.summary}: not healthy`,
  };
}

async function plan(id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep> {
  const p = new ParamReader('gate.health', id, params, ctx.topology).only('region', 'within');
  const region = p.region('region');
  const withinMs = withinParam(p);
  const hcId = ctx.topology.route53?.healthChecks[region];
  if (!hcId) throw p.fail(`the topology has no route53 health check for ${region}`);
  const check = await route53Call(() => healthCheck(ctx.aws, region, hcId));
  const data: HealthGateData = { region, healthCheckId: hcId, ...(withinMs !== undefined ? { withinMs } : {}) };
  return gatePlan({ id, kind: 'gate.health', title: `Gate: ${region} healthy`, region, params, check, data, observed: { healthy: check.passed } });
}

async function verify(step: PlannedStep, ctx: StepContext): Promise<void> {
  const data = step.data as unknown as HealthGateData;
  // Reads that get no answer are retried inside the window; Route 53's control plane still down at
  // its end gets the same one-line explanation as everywhere else.
  // recheckGate's poll already reported the verdict; saying it again printed every check twice.
  await route53Call(() => recheckGate(ctx, `${data.region} health check`, data.withinMs, () => healthCheck(ctx.aws, data.region, data.healthCheckId)));
}

export const gateHealth: StepImpl = { kind: 'gate.health', plan, apply: async () => {}, verify };
