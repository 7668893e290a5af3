// mr ecs scale <region> [--to N | --capacity] [--services a,b]
import { UsageError } from '../../io/errors.js';
import { MAX_DESIRED } from '../../steps/ecs-scale.js';
import type { CommandHandler } from '../types.js';
import { intFlag, runOneStep, topologyRegion } from './single-service.js';

export const scale: CommandHandler = async (ctx, args, opts) => {
  const { region } = await topologyRegion(ctx, args[0]);
  if (opts.to !== undefined && opts.capacity === true) throw new UsageError('give --to <n> or --capacity, not both');
  // Without --to, each service goes to its capacity from the topology: the figure it needs to take traffic.
  const params: Record<string, unknown> = { region };
  if (opts.to !== undefined) params.to = intFlag('--to', opts.to, 0, MAX_DESIRED);
  else params.capacity = true;
  if (typeof opts.services === 'string')
    params.services = opts.services
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const what = opts.to !== undefined ? `--to ${params.to as number}` : '--capacity';
  return runOneStep(ctx, opts, { command: `ecs scale ${region} ${what}`, stage: 'ecs', id: 'scale', kind: 'ecs.scale', params, region });
};
