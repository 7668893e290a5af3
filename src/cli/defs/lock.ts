import type { CommandDef } from './types.js';

export const lockDef: CommandDef = {
  name: 'lock',
  description: "the topology's run lock (one run at a time, across operators)",
  subcommands: [
    {
      name: 'status',
      description: 'who holds the lock, for which run, since and until when',
      load: () => import('../commands/lock.js'),
      handler: 'status',
    },
    {
      name: 'release',
      description: 'clear a lock left by a run that died (audited)',
      options: [{ flags: '--force', description: 'required: the lock may belong to a run still going elsewhere' }],
      load: () => import('../commands/lock.js'),
      handler: 'release',
    },
  ],
};
