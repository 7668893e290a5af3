import type { CommandDef } from './types.js';

export const statusDef: CommandDef = {
  name: 'status',
  description: 'every region side by side: Route 53, Aurora, Global Datastore, ECS; then what is wrong',
  options: [
    { flags: '-w, --watch [seconds]', description: 'redraw every few seconds (default 5) until Ctrl-C' },
    { flags: '--dns', description: "also ask Route 53 (TestDNSAnswer) which region answers clients near each region, per record" },
    { flags: '--timeout <duration>', description: 'a region slower than this shows as unreachable (default: timeouts.read, e.g. 4s)' },
  ],
  load: () => import('../commands/status.js'),
  handler: 'status',
  helpText: 'Exit 0 when healthy, 1 when anything is degraded or unreachable, 2 for bad input.\n--json prints one document (with --watch, one per refresh); its shape is in STATUS-JSON.md.',
};
