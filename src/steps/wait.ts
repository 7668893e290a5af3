// wait: pause a playbook for a duration (e.g. to let caches warm after a scale-up).
import { defineStep } from './contract.js';
import { duration, formatDuration, stepParams } from './params.js';

export const wait = defineStep({
  kind: 'wait',
  params: () => stepParams({ duration: duration() }),
  plan: async (_id, p) => ({ title: `Wait ${formatDuration(p.duration)}`, changes: [], checks: [], noop: false, data: { ms: p.duration }, observed: {} }),
  async apply(step, ctx) {
    ctx.report(`waiting ${formatDuration(step.data.ms)}`);
    // Ctrl-C ends the sleep early; the engine then stops before the next stage.
    await ctx.sleep(step.data.ms);
  },
  verify: async () => {},
});
