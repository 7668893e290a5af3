import type { CommandDef } from './types.js';
import { outOption, playbookRunOptions, varOption } from './run.js';

export const failoverDef: CommandDef = {
  name: 'failover',
  description: 'fail every service over to <region>: the failover playbook (--unplanned when the source region is down)',
  args: [{ name: 'region', description: 'the region that takes over (asked for on a terminal when omitted)' }],
  options: [
    { flags: '--unplanned', description: 'the source region is down: Aurora failover with data loss, every call to the target region only' },
    { flags: '--max-lag <ms>', description: "planned: refuse when the target's Aurora replication lag is above this (same as --var maxLagMs=<ms>)" },
    varOption,
    ...playbookRunOptions,
    outOption,
  ],
  load: () => import('../commands/failover.js'),
  handler: 'failover',
  handlesSignal: true,
  helpText:
    'Planned: gates (target healthy, lag under bound) -> ECS capacity in the target -> Aurora switchover and\n' +
    'Global Datastore promotion together -> Route 53 weights to the target in steps (10, 50, 100) with health gates.\n' +
    'A run killed part way continues with `mr resume <run-id>`; a timing report (RTO, RPO bound) ends every run.\n' +
    'With no region on a terminal: choose from the regions (the current primary, unreachable and rebuilding ones cannot be chosen).\n' +
    '--dry-run exits 0 when the plan would run, 3 when it would be refused by a check, 2 on bad input.\n\n' +
    'Examples:\n  mr failover eu-west-1\n  mr failover eu-west-1 --dry-run --out plan.json && mr apply plan.json\n' +
    '  mr failover eu-west-1 --unplanned --yes --allow-data-loss\n  mr failover eu-west-1 --var bake=30s',
};
