// mr resume <run-id>: continue an interrupted run. Its spec is planned again against the live
// state (steps already done come out as no-ops, a change under way is waited for, not made again)
// and run as a new run linked to the original (resumeOf), which may take over the original's lock
// when that process is gone.
import { resumeRefusal, resumeSource } from '../../engine/resume.js';
import { UsageError } from '../../io/errors.js';
import type { CommandHandler } from '../types.js';
import { runSpec } from './run.js';

export const resume: CommandHandler = async (ctx, args, opts) => {
  const runId = args[0];
  if (!runId) throw new UsageError('a run id is required', 'mr audit list shows the runs; an interrupted run prints its id in "mr resume <run-id>"');
  const src = await resumeSource(ctx.stateDir, runId);
  const topology = await ctx.loadTopology();
  const refusal = resumeRefusal(src, topology.name);
  if (refusal) {
    if (refusal.exitOk) {
      ctx.io.success(refusal.message);
      return 0;
    }
    throw new UsageError(refusal.message);
  }
  ctx.io.info(`resuming run ${runId} (${src.spec.command}, ${src.outcome}): planning again from the live state; steps already done are skipped`);
  const spec = { ...src.spec, command: `resume ${runId}: ${src.spec.command.replace(/^resume \S+: /, '')}` };
  return runSpec(ctx, opts, spec, { resumeOf: runId, successorOf: src.lineage });
};
