// mr traffic shift --to <region> | --weights us-east-1=0,eu-west-1=100 [--steps 10,50,100] [--bake 30s] [--no-gate]
import { UsageError } from '../../io/errors.js';
import { parseWeightsText } from '../../steps/weights.js';
import type { CommandHandler } from '../types.js';
import { runOneStep, topologyRegion } from './single-service.js';

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
  if (typeof opts.steps === 'string') {
    const percents = opts.steps.split(',').map((s) => s.trim());
    if (percents.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--steps must be percentages such as 10,50,100 (got "${opts.steps}")`);
    params.steps = percents.map(Number);
  }
  if (opts.bake !== undefined) params.bake = opts.bake;
  // commander's --no-gate sets gate=false; the step's default is gated.
  if (opts.gate === false) params.gate = false;
  return runOneStep(ctx, opts, { command: `traffic shift ${what}`, stage: 'traffic', id: 'shift', kind: 'route53.shift', params });
};
