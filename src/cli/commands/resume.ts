// mr resume <run-id>: continue an interrupted run. Its spec is planned again against the live
// state (steps already done come out as no-ops, a change under way is waited for, not made again)
// and run as a new run linked to the original (resumeOf), which may take over the original's lock
// when that process is gone.
import { latestUnfinished } from '../../engine/activity.js';
import { holderGone, readLockState } from '../../engine/lock.js';
import { resumeRefusal, resumeSource } from '../../engine/resume.js';
import { DeclinedError, UsageError } from '../../io/errors.js';
import type { CommandContext, CommandHandler } from '../types.js';
import { releaseAudited } from './lock.js';
import { runSpec } from './run.js';

/** No run id: offer the run left part way, on a terminal only; a script names the run it resumes. */
async function offeredRun(ctx: CommandContext): Promise<string> {
  const topology = await ctx.loadTopology();
  const left = await latestUnfinished(ctx.stateDir, topology.name);
  if (!left) throw new UsageError(`no run-id given, and no run of ${topology.name} was left part way in ${ctx.stateDir}`, 'mr audit list shows the runs');
  const what = `run ${left.runId} (${left.command}, ${left.outcome}, last written ${left.updatedAt})`;
  if (!ctx.io.interactive) throw new UsageError(`no run-id given; the run left part way is ${what}`, `continue it with: ${left.resume}`);
  if (!(await ctx.io.confirm(`Resume ${what}?`, false))) throw new DeclinedError('not resumed');
  return left.runId;
}

export const resume: CommandHandler = async (ctx, args, opts) => {
  const runId = args[0] ?? (await offeredRun(ctx));
  const src = await resumeSource(ctx.stateDir, runId);
  const topology = await ctx.loadTopology();
  const refusal = resumeRefusal(src, topology.name);
  if (refusal && !refusal.exitOk) throw new UsageError(refusal.message);
  if (refusal) {
    ctx.io.success(refusal.message);
  } else {
    ctx.io.info(`resuming run ${runId} (${src.spec.command}, ${src.outcome}): planning again from the live state; steps already done are skipped`);
    const spec = { ...src.spec, command: `resume ${runId}: ${src.spec.command.replace(/^resume \S+: /, '')}` };
    const code = await runSpec(ctx, opts, spec, { resumeOf: runId, successorOf: src.lineage });
    if (code !== 0 || opts.dryRun === true) return code;
  }
  // A run killed after its last change never released its lock, and a resume with nothing left to
  // do takes none: clear it here, or it would block everyone until it expires.
  if (opts.lock !== false) await clearLeftLock(ctx, src.lineage);
  return 0;
};

async function clearLeftLock(ctx: CommandContext, lineage: string[]): Promise<void> {
  const topology = await ctx.loadTopology();
  if (!topology.route53) return;
  const left = (await readLockState((await ctx.aws()).route53(), topology)).value;
  const ours = (v: typeof left) => !!v && lineage.includes(v.runId) && holderGone(v);
  if (!ours(left)) return;
  const { state, runId } = await releaseAudited(ctx, `release the lock left by run ${left!.runId}`, ours);
  if (state.released) ctx.io.info(`released the lock left by run ${left!.runId} (its process is gone); recorded as run ${runId}`);
}
