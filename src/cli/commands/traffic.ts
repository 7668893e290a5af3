// mr traffic shift --to <region> | --weights us-east-1=0,eu-west-1=100 [--steps 10,50,100] [--bake 30s] [--no-gate]
// mr traffic restore <region> [--weight 100] [--steps ...] [--bake ...] [--no-gate]
// One plan for every record kind of the topology: weighted records move by weight (route53.shift);
// latency and failover records by health check (route53.drain / route53.restore). Which steps run is
// wiring from the flags and the topology's record kinds; each step plans from the live state.
import type { Topology } from '../../config/schema.js';
import type { RunSpecStep } from '../../engine/types.js';
import { UsageError } from '../../io/errors.js';
import { parseWeightsText } from '../../steps/weights.js';
import type { CommandContext, CommandHandler } from '../types.js';
import { intFlag, topologyRegion } from './single-service.js';

const kinds = (t: Topology) => {
  const records = t.route53?.records ?? [];
  return {
    weighted: records.some((r) => r.kind === 'weighted'),
    routed: records.filter((r) => r.kind !== 'weighted').map((r) => `${r.name.replace(/\.?$/, '.')} ${r.type} (${r.kind})`),
  };
};

/** --steps, --bake, --no-gate, as route53.shift takes them. */
function pacing(opts: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (typeof opts.steps === 'string') {
    const percents = opts.steps.split(',').map((s) => s.trim());
    if (percents.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--steps must be percentages such as 10,50,100 (got "${opts.steps}")`);
    params.steps = percents.map(Number);
  }
  if (opts.bake !== undefined) params.bake = opts.bake;
  // commander's --no-gate sets gate=false; the step's default is gated.
  if (opts.gate === false) params.gate = false;
  return params;
}

async function runTraffic(ctx: CommandContext, opts: Record<string, unknown>, command: string, steps: RunSpecStep[]): Promise<number> {
  const { runSpec } = await import('./run.js');
  return runSpec(ctx, opts, { command, stages: [{ name: 'traffic', parallel: false, steps }] });
}

export const shift: CommandHandler = async (ctx, _args, opts) => {
  const to = typeof opts.to === 'string' ? opts.to : undefined;
  const weightsText = typeof opts.weights === 'string' ? opts.weights : undefined;
  if ((to === undefined) === (weightsText === undefined)) throw new UsageError('give --to <region> or --weights <region=n,...>, one of them');
  const params: Record<string, unknown> = {};
  let what: string;
  if (to !== undefined) {
    params.to = (await topologyRegion(ctx, to)).region;
    what = `--to ${to}`;
  } else {
    const weights = parseWeightsText(weightsText!);
    if (typeof weights === 'string') throw new UsageError(`--weights: ${weights} (expected e.g. us-east-1=0,eu-west-1=100)`);
    for (const r of Object.keys(weights)) await topologyRegion(ctx, r);
    params.weights = weights;
    what = `--weights ${weightsText}`;
  }
  Object.assign(params, pacing(opts));
  const topology = await ctx.loadTopology();
  const { weighted, routed } = kinds(topology);
  const steps: RunSpecStep[] = [];
  // A topology with latency/failover records only has no weight to move: the drain alone is the shift.
  if (weighted || routed.length === 0) steps.push({ id: 'shift', kind: 'route53.shift', params });
  if (routed.length > 0 && to !== undefined) {
    // Latency and failover records have no weights: "all traffic to <to>" takes every other region out of DNS.
    steps.push({ id: 'drain-others', kind: 'route53.drain', params: { except: to } });
  } else if (routed.length > 0) {
    ctx.io.warn(
      `left as they are: ${routed.join(', ')}: --weights sets weights, which these records do not have; ` +
        'use --to <region> to take every other region out of DNS, or `mr run drain` for one region',
    );
  }
  return runTraffic(ctx, opts, `traffic shift ${what}`, steps);
};

export const restore: CommandHandler = async (ctx, args, opts) => {
  const { topology, region } = await topologyRegion(ctx, args[0]);
  const weight = opts.weight === undefined ? 100 : intFlag('--weight', opts.weight, 0, 255);
  const { weighted, routed } = kinds(topology);
  const steps: RunSpecStep[] = [];
  if (weighted) steps.push({ id: 'weight-back', kind: 'route53.shift', params: { weights: { [region]: weight }, ...pacing(opts) } });
  // Gated on the region's application check being healthy (route53.restore refuses otherwise).
  if (routed.length > 0) steps.push({ id: 'restore-region', kind: 'route53.restore', params: { region } });
  if (steps.length === 0) throw new UsageError(`topology ${topology.name} has no Route 53 records to restore ${region} into`);
  return runTraffic(ctx, opts, `traffic restore ${region}`, steps);
};
