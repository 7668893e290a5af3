// gate.lag: a check-only step. The Aurora member in the region must lag the writer by no more than
// the bound (the step's maxLagMs, else the topology's aurora.maxLagMs).
import type { PlanContext, PlannedStep, StepImpl } from '../engine/types.js';
import { readLag } from './aurora-common.js';
import { ParamReader } from './params.js';

async function plan(id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep> {
  const p = new ParamReader('gate.lag', id, params, ctx.topology).only('region', 'maxLagMs');
  const region = p.region('region');
  if (!ctx.topology.aurora) throw p.fail('the topology has no aurora section');
  const bound = p.optionalInt('maxLagMs', 0, 86_400_000) ?? ctx.topology.aurora.maxLagMs;
  const clusterId = ctx.topology.aurora.clusters[region];
  const lag = await readLag(ctx.aws, region, clusterId);
  const passed = lag.lagMs !== null && lag.lagMs <= bound;
  const message = lag.lagMs === null
    ? `no replication lag reading for ${clusterId} in ${region} (is it a secondary?)${lag.error ? `: ${lag.error}` : ''}`
    : `${region} lag ${lag.lagMs} ms is ${passed ? 'within' : 'above'} the bound ${bound} ms`;
  return {
    id,
    kind: 'gate.lag',
    title: `Gate: ${region} Aurora lag at most ${bound} ms`,
    region,
    params,
    changes: [],
    checks: [{ name: `${region} lag under bound`, passed, observed: lag.lagMs, bound, message }],
    noop: passed,
    data: { region, clusterId, bound },
    // The lag moves all the time; only whether the gate passed belongs in the fingerprint.
    observed: { passed },
  };
}

export const gateLag: StepImpl = { kind: 'gate.lag', plan, apply: async () => {}, verify: async () => {} };
