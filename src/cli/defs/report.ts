import type { CommandDef } from './types.js';

export const reportDef: CommandDef = {
  name: 'report',
  description: "a run's timing report: each step's start, end and duration, the measured RTO and the RPO bound",
  args: [{ name: 'run-id', description: 'the run (see mr audit list); default the latest run of the topology', required: false }],
  options: [{ flags: '--html <file>', description: 'write the report as one self-contained HTML file: timeline, RTO/RPO, faults, changes, approvals' }],
  load: () => import('../commands/report.js'),
  handler: 'report',
};
