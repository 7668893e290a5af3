import type { CommandDef } from './types.js';
import { playbookRunOptions } from './run.js';

export const resumeDef: CommandDef = {
  name: 'resume',
  description: 'continue an interrupted run: plan it again from the live state; steps already done are skipped',
  args: [
    {
      name: 'run-id',
      description: 'the run to continue (printed when it stopped; see mr audit list). Without it, the run left part way is offered on a terminal',
      required: false,
    },
  ],
  options: playbookRunOptions,
  load: () => import('../commands/resume.js'),
  handler: 'resume',
  handlesSignal: true,
  helpText:
    "Recorded as a new run linked to the original. It takes over the original run's lock when that process\n" +
    'is gone from this machine; a lock left by another machine needs `mr lock release --force` first.',
};
