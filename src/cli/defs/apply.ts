import type { CommandDef } from './types.js';
import { playbookRunOptions } from './run.js';

export const applyDef: CommandDef = {
  name: 'apply',
  description: 'apply a plan saved with --out, refused as stale (exit 3) if the live state moved since',
  args: [{ name: 'plan', description: 'the plan file (JSON)', required: true }],
  options: playbookRunOptions,
  load: () => import('../commands/apply.js'),
  handler: 'apply',
  handlesSignal: true,
  helpText: 'Example:\n  mr failover eu-west-1 --dry-run --out plan.json\n  mr apply plan.json --yes',
};
