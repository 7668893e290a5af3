import type { CommandDef } from './types.js';

export const initDef: CommandDef = {
  name: 'init',
  description: 'discover the topology in the account and write a commented mr.config.yaml (reads only)',
  options: [
    { flags: '--regions <list>', description: 'the regions, comma-separated, e.g. us-east-1,eu-west-1' },
    { flags: '--zone <name>', description: 'the hosted zone of the records to shift (name or id); asked when the account has several' },
    { flags: '--name <name>', description: "the topology name (default: the zone name's first label)" },
    { flags: '--out <file>', description: 'where to write it', default: 'mr.config.yaml' },
    { flags: '--force', description: 'overwrite an existing file' },
  ],
  load: () => import('../commands/init.js'),
  handler: 'init',
  helpText:
    'Where the account offers several candidates it asks on a terminal; without one it writes each candidate\n' +
    'commented out with why. Never overwrites without --force. Then: mr config validate, mr status, mr check.',
};
