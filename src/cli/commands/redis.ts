// mr redis promote <region>: make that region's replication group primary of the Global Datastore.
import type { CommandHandler } from '../types.js';
import { runOneStep, topologyRegion } from './single-service.js';

export const promote: CommandHandler = async (ctx, args, opts) => {
  const { region } = await topologyRegion(ctx, args[0], 'target region');
  // Every call, identity included, goes to the target region: it works while the primary's is down.
  return runOneStep(ctx, opts, {
    command: `redis promote ${region}`,
    stage: 'redis',
    id: 'promote',
    kind: 'redis.failover',
    params: { target: region },
    region,
  });
};
