import type { CommandDef } from './types.js';

export const auditDef: CommandDef = {
  name: 'audit',
  description: 'the audit log: every run, its plan, approvals, and each change with its AWS request id',
  subcommands: [
    {
      name: 'list',
      description: 'the runs recorded in the audit logs under the state directory, oldest first',
      load: () => import('../commands/audit.js'),
      handler: 'list',
    },
    {
      name: 'show',
      description: "one run's events: plan, approval, each intent and result, outcome",
      args: [{ name: 'run-id', description: 'the run (see mr audit list)', required: true }],
      load: () => import('../commands/audit.js'),
      handler: 'show',
    },
    {
      name: 'verify',
      description: 'check the hash chain of an audit log (default: every log under the state directory)',
      args: [{ name: 'file', description: 'an audit log file (<state-dir>/audit/<topology>.ndjson)' }],
      load: () => import('../commands/audit.js'),
      handler: 'verify',
      helpText: 'Exit 0 when every line chains to the one before it; 1 naming the first line that does not\n(a line changed, removed, inserted or moved).',
    },
  ],
};
