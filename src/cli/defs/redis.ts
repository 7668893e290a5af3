import type { CommandDef } from './types.js';
import { approvalOptions } from './run.js';

export const redisDef: CommandDef = {
  name: 'redis',
  description: 'ElastiCache Global Datastore',
  subcommands: [
    {
      name: 'promote',
      description: "make <region>'s replication group the primary of the Global Datastore",
      args: [{ name: 'region', description: 'the region to promote', required: true }],
      options: [
        { flags: '--dry-run', description: 'plan only: show what would change, change nothing (exit 0)' },
        { flags: '-y, --yes', description: 'approve without asking (recorded in the audit log)' },
        { flags: '--allow-data-loss', description: 'with --yes: approve even when the plan marks the promotion as data loss' },
        { flags: '--out <file>', description: 'also save the plan document as JSON' },
        { flags: '--no-lock', description: 'run without the topology run lock (when Route 53, where it lives, does not answer)' },
        ...approvalOptions,
      ],
      load: () => import('../commands/redis.js'),
      handler: 'promote',
      handlesSignal: true,
      helpText:
        "Calls FailoverGlobalReplicationGroup in the target region, so it works while the primary's region is down.\n\nExample: mr redis promote eu-west-1",
    },
  ],
};
