// gate.health: a check-only step. The region's Route 53 health check must be healthy: a failure at
// plan time refuses the plan; when the run reaches the gate it is read and judged again (see
// gate-check.ts), so a gate placed after changes checks their outcome. It never changes anything.
import type { ReadAws } from '../aws/types.js';
import { defineStep, stepUsageError, type Check } from './contract.js';
import { gatePlan, recheckGate, withinParam } from './gate-check.js';
import { HEALTHY_FRACTION, readCheckConfig, readHealth } from './health.js';
import type { VerdictConfig } from './health-verdict.js';
import { region, stepParams, type ParamEnv } from './params.js';
import { route53Call } from './route53-down.js';
import type { Topology } from '../config/schema.js';
import { healthRoutedRecords } from '../config/records.js';

/** The region's latency/failover records are drained by inverting its application check (no control check). */
function isOwnLever(t: Topology, region: string): boolean {
  return t.route53?.controlHealthChecks?.[region] === undefined && healthRoutedRecords(t).some((r) => region in r.setIdentifiers);
}

type HealthGateData = {
  region: string;
  healthCheckId: string;
  /** Inverted/Disabled as read at plan time (absent in plans saved before: a plain check). */
  config?: VerdictConfig;
  /** The run-time window in ms; absent: the default (two poll intervals). */
  withinMs?: number;
};

/** Read the region's health check and judge it. Throws what the read throws (the caller decides). */
export async function healthCheck(aws: ReadAws, region: string, healthCheckId: string, config?: VerdictConfig): Promise<Check> {
  const v = await readHealth(aws, region, healthCheckId, config);
  return {
    name: `${region} healthy`,
    passed: v.healthy,
    observed: `${v.ok}/${v.total}`,
    bound: `more than ${HEALTHY_FRACTION * 100}% of checkers`,
    message: v.healthy ? v.summary : `${v.summary}: not healthy`,
  };
}

export const gateHealth = defineStep({
  kind: 'gate.health',
  params: (env: ParamEnv) => stepParams({ region: region(env), within: withinParam() }),
  async plan(id, p, ctx) {
    const hcId = ctx.topology.route53?.healthChecks[p.region];
    if (!hcId) throw stepUsageError('gate.health', id, `the topology has no route53 health check for ${p.region}`);
    const read = await route53Call(() => readCheckConfig(ctx.aws, hcId));
    // A region drained by route53.drain without a control check has its own check inverted: the gate
    // asks whether its application answers, so the check is judged on what its checkers see.
    const drained = read.inverted && isOwnLever(ctx.topology, p.region);
    const config = drained ? { ...read, inverted: false } : read;
    const check = await route53Call(() => healthCheck(ctx.aws, p.region, hcId, config));
    const data: HealthGateData = { region: p.region, healthCheckId: hcId, config, ...(p.within !== undefined ? { withinMs: p.within } : {}) };
    if (drained) check.message += ' (the check is inverted by a drain: judged on what its checkers see)';
    return gatePlan({ title: `Gate: ${p.region} healthy`, region: p.region, check, data, observed: { healthy: check.passed } });
  },
  apply: async () => {},
  async verify(step, ctx) {
    const data = step.data;
    // Reads that get no answer are retried inside the window; Route 53's control plane still down at
    // its end gets the same one-line explanation as everywhere else.
    // recheckGate's poll already reported the verdict; saying it again printed every check twice.
    await route53Call(() =>
      recheckGate(ctx, `${data.region} health check`, data.withinMs, () =>
        healthCheck(ctx.aws, data.region, data.healthCheckId, data.config ?? { inverted: false, disabled: false }),
      ),
    );
  },
});
