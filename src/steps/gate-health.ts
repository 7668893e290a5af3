// gate.health: a check-only step. The region's Route 53 health check must be healthy; the step
// changes nothing, so when the check passes it is a no-op and when it fails the plan is refused.
import type { PlanContext, PlannedStep, StepImpl } from '../engine/types.js';
import { HEALTHY_FRACTION, readHealth } from './health.js';
import { ParamReader } from './params.js';
import { route53Call } from './route53-down.js';

async function plan(id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep> {
  const p = new ParamReader('gate.health', id, params, ctx.topology).only('region');
  const region = p.region('region');
  const hcId = ctx.topology.route53?.healthChecks[region];
  if (!hcId) throw p.fail(`the topology has no route53 health check for ${region}`);
  const v = await route53Call(() => readHealth(ctx.aws, region, hcId));
  return {
    id,
    kind: 'gate.health',
    title: `Gate: ${region} healthy`,
    region,
    params,
    changes: [],
    checks: [{
      name: `${region} healthy`,
      passed: v.healthy,
      observed: `${v.ok}/${v.total}`,
      bound: `more than ${HEALTHY_FRACTION * 100}% of checkers`,
      message: v.healthy ? v.summary : `${v.summary}: not healthy`,
    }],
    noop: v.healthy,
    data: { region, healthCheckId: hcId },
    observed: { healthy: v.healthy },
  };
}

// The gate is decided at plan time; nothing to apply and nothing to wait for.
export const gateHealth: StepImpl = { kind: 'gate.health', plan, apply: async () => {}, verify: async () => {} };
