import type { CommandDef } from './types.js';
import { approvalOptions } from './run.js';

export const ecsDef: CommandDef = {
  name: 'ecs',
  description: 'ECS services',
  subcommands: [
    {
      name: 'scale',
      description: "set the desired count of the topology's services in <region> and wait until they run",
      args: [{ name: 'region', description: 'the region whose services to scale', required: true }],
      options: [
        { flags: '--to <n>', description: 'desired count for every service' },
        { flags: '--capacity', description: "each service's capacity from the topology (the default)" },
        { flags: '--baseline', description: "each service's declared baseline from the topology: desired count and scalable target bounds" },
        { flags: '--services <names>', description: 'only these services, e.g. api,worker' },
        { flags: '--raise-max', description: "raise a scalable target's MaxCapacity below the count (refused otherwise)" },
        { flags: '--dry-run', description: 'plan only: show what would change, change nothing (exit 0)' },
        { flags: '-y, --yes', description: 'approve without asking (recorded in the audit log)' },
        { flags: '--out <file>', description: 'also save the plan document as JSON' },
        { flags: '--no-lock', description: 'run without the topology run lock (when Route 53, where it lives, does not answer)' },
        ...approvalOptions,
      ],
      load: () => import('../commands/ecs.js'),
      handler: 'scale',
      handlesSignal: true,
      helpText: 'Examples:\n  mr ecs scale eu-west-1 --capacity\n  mr ecs scale us-west-2 --to 0 --services worker',
    },
  ],
};
