import type { CommandDef } from './types.js';
import { sandboxFaultDef } from './sandbox-fault.js';

export const sandboxDef: CommandDef = {
  name: 'sandbox',
  description: 'a local AWS-compatible endpoint with a simulated multi-region world, to rehearse against',
  subcommands: [
    {
      name: 'serve',
      description: 'serve the sandbox on 127.0.0.1 until Ctrl-C (--world <name|file> picks the world)',
      options: [
        { flags: '--port <port>', description: 'port to listen on', default: '4566' },
        { flags: '--state <file>', description: 'keep state in this file, shared with other processes' },
        { flags: '--time-scale <factor>', description: "simulated seconds per real second (default 1, or the state file's)" },
      ],
      load: () => import('../commands/sandbox.js'),
      handler: 'serve',
      handlesSignal: true,
    },
    {
      name: 'reset',
      description: 'put the sandbox state file back to its world (--world <name|file>: to that world instead)',
      options: [{ flags: '--state <file>', description: 'the state file to reset (default: the one --sandbox uses, under --state-dir)' }],
      load: () => import('../commands/sandbox.js'),
      handler: 'reset',
    },
    sandboxFaultDef,
  ],
};
