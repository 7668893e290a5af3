import type { CommandDef } from './types.js';
import { approvalOptions } from './run.js';

export const trafficDef: CommandDef = {
  name: 'traffic',
  description: 'Route 53 traffic: weighted records by weight, latency and failover records by health check',
  subcommands: [
    {
      name: 'shift',
      description: "move the topology's traffic: all to one region (weights, and every other region out of DNS for latency/failover records), or given weights",
      options: [
        { flags: '--to <region>', description: "all of each record group's weight to this region" },
        { flags: '--weights <list>', description: 'weights by region, e.g. us-east-1=0,eu-west-1=100 (regions not named keep theirs)' },
        { flags: '--steps <percents>', description: 'move in steps, percent of the way, e.g. 10,50,100' },
        { flags: '--bake <duration>', description: 'wait between steps, e.g. 30s or 2m (health is checked after)' },
        { flags: '--no-gate', description: "do not check the target's health check before each step" },
        { flags: '--dry-run', description: 'plan only: show what would change, change nothing (exit 0)' },
        { flags: '-y, --yes', description: 'approve without asking (recorded in the audit log)' },
        { flags: '--out <file>', description: 'also save the plan document as JSON' },
        { flags: '--no-lock', description: 'run without the topology run lock (when Route 53, where it lives, does not answer)' },
        ...approvalOptions,
      ],
      load: () => import('../commands/traffic.js'),
      handler: 'shift',
      handlesSignal: true,
      helpText:
        'Each step is one change batch for every record, waited on until INSYNC. Before each step the health\n' +
        'check of every region gaining weight must be healthy; if it is not, the weights are put back as they\n' +
        'were and the command fails. A group never ends with every weight 0.\n' +
        'With --to, latency and failover records (no weights) follow in the same plan: every other region is\n' +
        'taken out of DNS by its control check (route53.drain); --weights leaves them as they are and says so.\n\n' +
        'Examples:\n  mr traffic shift --to eu-west-1 --steps 10,50,100 --bake 1m\n  mr traffic shift --weights us-east-1=50,eu-west-1=50',
    },
    {
      name: 'restore',
      description: 'bring a region back: its weight back (default 100, others keep theirs) and it back into DNS for latency/failover records',
      args: [{ name: 'region', description: 'the region to bring back', required: true }],
      options: [
        { flags: '--weight <n>', description: 'its weight in the weighted records once restored (0-255, default 100)' },
        { flags: '--steps <percents>', description: 'move the weight in steps, percent of the way, e.g. 10,50,100' },
        { flags: '--bake <duration>', description: 'wait between weight steps, e.g. 30s or 2m (health is checked after)' },
        { flags: '--no-gate', description: "do not check the region's health check before each weight step" },
        { flags: '--dry-run', description: 'plan only: show what would change, change nothing (exit 0)' },
        { flags: '-y, --yes', description: 'approve without asking (recorded in the audit log)' },
        { flags: '--out <file>', description: 'also save the plan document as JSON' },
        { flags: '--no-lock', description: 'run without the topology run lock (when Route 53, where it lives, does not answer)' },
        ...approvalOptions,
      ],
      load: () => import('../commands/traffic.js'),
      handler: 'restore',
      handlesSignal: true,
      helpText:
        'The reverse of `mr traffic shift --to`: one plan. Putting a region back into DNS is refused while its\n' +
        'application health check is not healthy.\n\n' +
        'Examples:\n  mr traffic restore us-east-1\n  mr traffic restore us-east-1 --weight 50 --steps 50,100 --bake 1m',
    },
  ],
};
