import type { CommandDef } from './types.js';

export const statusDef: CommandDef = {
  name: 'status',
  description: 'every region side by side: Route 53, Aurora, Global Datastore, ECS; then what is wrong',
  options: [
    { flags: '-w, --watch [seconds]', description: 'redraw every few seconds (default 5) until Ctrl-C' },
    { flags: '--dns', description: 'also ask Route 53 (TestDNSAnswer) which region answers clients near each region, per record' },
    { flags: '--timeout <duration>', description: 'a region slower than this shows as unreachable (default: timeouts.read, e.g. 4s)' },
  ],
  load: () => import('../commands/status.js'),
  handler: 'status',
  // Ctrl-C is how a watch ends: exit 0, not "interrupted". A one-off status stops at once (exit 4).
  handlesSignal: (opts) => opts.watch !== undefined,
  signalMessage: '',
  helpText:
    'Exit 0 when healthy, 1 when anything is degraded or unreachable, 2 for bad input; --watch ends with Ctrl-C, exit 0.\n--json prints one document (with --watch, one per refresh); its shape is in STATUS-JSON.md.',
};
