import type { CommandDef, OptionDef } from './types.js';
import { approvalOptions, skipLagCheckOption } from './run.js';

const runOptions: OptionDef[] = [
  { flags: '--dry-run', description: 'plan only: show what would change, change nothing (exit 0)' },
  { flags: '-y, --yes', description: 'approve without asking (recorded in the audit log)' },
  { flags: '--out <file>', description: 'also save the plan document as JSON' },
  { flags: '--no-lock', description: 'run without the topology run lock (when Route 53, where it lives, does not answer)' },
  ...approvalOptions,
];

export const auroraDef: CommandDef = {
  name: 'aurora',
  description: 'Aurora global database: move the writer to another region',
  subcommands: [
    {
      name: 'switchover',
      description: 'planned switchover (no data loss) of the global cluster to the member in <region>',
      args: [{ name: 'region', description: 'the region whose cluster becomes the writer', required: true }],
      options: [
        ...runOptions,
        { flags: '--max-lag <ms>', description: "refuse when the target's replication lag is above this (default: the topology's aurora.maxLagMs)" },
        skipLagCheckOption(),
      ],
      load: () => import('../commands/aurora.js'),
      handler: 'switchover',
      handlesSignal: true,
      helpText:
        "Refused (exit 3) unless the global cluster is available, every member is in sync and the\ntarget lags by at most the bound. Called in the current primary's region.\n\nExample: mr aurora switchover eu-west-1",
    },
    {
      name: 'failover',
      description: "unplanned failover to <region>, allowing data loss (when the primary's region is down)",
      args: [{ name: 'region', description: 'the surviving region whose cluster becomes the writer', required: true }],
      options: [...runOptions, { flags: '--allow-data-loss', description: 'required: writes not yet replicated to the target are lost' }],
      load: () => import('../commands/aurora.js'),
      handler: 'failover',
      handlesSignal: true,
      helpText:
        "Every call goes to the target region only. The plan shows the target's last known lag as the data\nat risk; on a terminal you type the region to confirm, in scripts pass --yes --allow-data-loss.\n\nExample: mr aurora failover eu-west-1 --allow-data-loss",
    },
  ],
};
