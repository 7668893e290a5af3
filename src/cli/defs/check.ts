import type { CommandDef } from './types.js';

export const checkDef: CommandDef = {
  name: 'check',
  description: 'readiness: would a failover to each region (or the given one) work now? resources, images, secrets, permissions',
  args: [{ name: 'region', description: 'only a failover to this region' }],
  options: [{ flags: '--timeout <duration>', description: 'a region slower than this counts as could-not-check (default: timeouts.read)' }],
  load: () => import('../commands/check.js'),
  handler: 'check',
  helpText:
    'One line per finding: the target region, the resource, what is wrong and the fix. Reads only.\n' +
    'Exit 0 ready, 1 not ready (or something could not be checked), 2 bad input.\n' +
    'Run it every hour from cron or CI and alert on exit 1 (README: "Readiness").',
};
