import type { CommandDef } from './types.js';
import { sandboxFaultDef } from './sandbox-fault.js';

export const sandboxDef: CommandDef = {
  name: 'sandbox',
  description: 'a local AWS-compatible endpoint with a simulated multi-region world, to rehearse against',
  subcommands: [
    {
      name: 'serve',
      description: 'serve the sandbox on 127.0.0.1 until Ctrl-C',
      options: [
        { flags: '--port <port>', description: 'port to listen on', default: '4566' },
        { flags: '--world <file>', description: 'world file (default: the bundled demo world)' },
        { flags: '--state <file>', description: 'keep state in this file, shared with other processes' },
        { flags: '--time-scale <factor>', description: "simulated seconds per real second (default 1, or the state file's)" },
      ],
      load: () => import('../commands/sandbox.js'),
      handler: 'serve',
      handlesSignal: true,
    },
    {
      name: 'reset',
      description: 'put the sandbox state file back to its world',
      options: [
        { flags: '--state <file>', description: 'the state file to reset (default: the one --sandbox uses, under --state-dir)' },
        { flags: '--world <file>', description: 'reset to this world file instead of the one the state came from' },
      ],
      load: () => import('../commands/sandbox.js'),
      handler: 'reset',
    },
    sandboxFaultDef,
  ],
};
