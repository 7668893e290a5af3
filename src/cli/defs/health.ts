import type { CommandDef } from './types.js';

export const healthDef: CommandDef = {
  name: 'health',
  description: "each Route 53 health check in detail: configuration, every checker's latest observation, last failures",
  args: [{ name: 'region', description: 'only this region' }],
  options: [{ flags: '--timeout <duration>', description: 'give up on Route 53 after this long (default: timeouts.read)' }],
  load: () => import('../commands/health.js'),
  handler: 'health',
  helpText: 'Exit 0 when every check shown is healthy, 1 otherwise.',
};
