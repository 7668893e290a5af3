// mr ecs scale <region> [--to N | --capacity | --baseline] [--services a,b] [--raise-max]
import { UsageError } from '../../io/errors.js';
import { MAX_DESIRED } from '../../steps/ecs-scale.js';
import type { CommandHandler } from '../types.js';
import { intFlag, runOneStep, topologyRegion } from './single-service.js';

export const scale: CommandHandler = async (ctx, args, opts) => {
  const { region } = await topologyRegion(ctx, args[0]);
  if ([opts.to !== undefined, opts.capacity === true, opts.baseline === true].filter(Boolean).length > 1)
    throw new UsageError('give one of --to <n>, --capacity or --baseline');
  // Without --to, each service goes to its capacity from the topology: the figure it needs to take traffic.
  const params: Record<string, unknown> = { region };
  if (opts.to !== undefined) params.to = intFlag('--to', opts.to, 0, MAX_DESIRED);
  else if (opts.baseline === true) params.baseline = true;
  else params.capacity = true;
  if (opts.raiseMax === true) params.raiseMax = true;
  if (typeof opts.services === 'string')
    params.services = opts.services
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const what = opts.to !== undefined ? `--to ${params.to as number}` : params.baseline ? '--baseline' : '--capacity';
  return runOneStep(ctx, opts, { command: `ecs scale ${region} ${what}`, stage: 'ecs', id: 'scale', kind: 'ecs.scale', params, region });
};
