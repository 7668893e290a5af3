import type { CommandDef } from './types.js';

export const iamPolicyDef: CommandDef = {
  name: 'iam-policy',
  description: 'print the least-privilege IAM policy the topology needs (read-only set, or the failover set)',
  options: [
    {
      flags: '--for <purpose>',
      description: 'read (status, health, check) or failover (read + every change a failover makes)',
      choices: ['read', 'failover'],
      default: 'failover',
    },
  ],
  load: () => import('../commands/iam-policy.js'),
  handler: 'iamPolicy',
  helpText:
    'Prints the policy document on stdout (mr iam-policy > policy.json), and why each statement has the\n' +
    'resources it has on stderr. The account id comes from STS. --json: { policy, statements: [{ Sid, purpose, why }] }.',
};
