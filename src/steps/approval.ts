// approval: stop a playbook until the operator says go (the engine asks; only --yes skips it).
import { defineStep } from './contract.js';
import { stepParams, text } from './params.js';

export const approval = defineStep({
  kind: 'approval',
  params: () => stepParams({ message: text() }),
  plan: async (_id, p) => ({ title: `Approval: ${p.message}`, changes: [], checks: [], noop: false, data: { message: p.message }, observed: {} }),
  apply: (step, ctx) => ctx.approve(step.data.message),
  verify: async () => {},
});
