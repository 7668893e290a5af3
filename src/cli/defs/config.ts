import type { CommandDef } from './types.js';

export const configDef: CommandDef = {
  name: 'config',
  description: 'the topology file',
  subcommands: [
    {
      name: 'validate',
      description: 'check a topology file (default: --config, MR_CONFIG or mr.config.yaml); one line per problem',
      args: [{ name: 'file', description: 'the file to check' }],
      load: () => import('../commands/config.js'),
      handler: 'validate',
    },
    {
      name: 'schema',
      description: 'print the JSON Schema of the topology file (for editor completion)',
      options: [{ flags: '--playbook', description: 'the playbook file schema instead' }],
      load: () => import('../commands/config.js'),
      handler: 'schema',
    },
  ],
};
