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
      options: [
        { flags: '--force <run-id>', description: "required: the run id of the lock's holder (from `mr lock status`), as terraform force-unlock LOCK_ID" },
        { flags: '-y, --yes', description: "release without asking; also needed when the holder's process is alive on this host" },
      ],
      helpText:
        'The lock is released only when it is held by the run named: a lock that changed hands since you looked is\n' +
        'left alone (exit 3). On a terminal you confirm; without one, pass --yes. A holder whose process still runs\n' +
        'on this host is refused without --yes: stop that run instead (Ctrl-C lets it finish and release its lock).\n\n' +
        'Example: mr lock status && mr lock release --force 20260101T000000Z-0dead0',
      load: () => import('../commands/lock.js'),
      handler: 'release',
    },
  ],
};
