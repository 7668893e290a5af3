// mr aurora switchover <region> | mr aurora failover <region> --allow-data-loss
import { UsageError } from '../../io/errors.js';
import { MAX_LAG_BOUND_MS } from '../../steps/aurora-switchover.js';
import type { CommandHandler } from '../types.js';
import { intFlag, runOneStep, topologyRegion } from './single-service.js';

export const switchover: CommandHandler = async (ctx, args, opts) => {
  const { region } = await topologyRegion(ctx, args[0], 'target region');
  const params: Record<string, unknown> = { target: region };
  if (opts.maxLag !== undefined) params.maxLagMs = intFlag('--max-lag', opts.maxLag, 0, MAX_LAG_BOUND_MS);
  return runOneStep(ctx, opts, { command: `aurora switchover ${region}`, stage: 'aurora', id: 'switchover', kind: 'aurora.switchover', params });
};

export const failover: CommandHandler = async (ctx, args, opts) => {
  const { region } = await topologyRegion(ctx, args[0], 'target region');
  if (opts.allowDataLoss !== true) {
    throw new UsageError(
      `an unplanned failover to ${region} loses the writes not yet replicated there: pass --allow-data-loss to go ahead`,
      `while the primary is up, \`mr aurora switchover ${region}\` moves the writer without losing data`,
    );
  }
  // Identity too is read in the target region: the primary's region may be down.
  return runOneStep(ctx, opts, {
    command: `aurora failover ${region}`,
    stage: 'aurora',
    id: 'failover',
    kind: 'aurora.failover',
    params: { target: region },
    region,
  });
};
