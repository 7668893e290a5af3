// mr lock status | mr lock release --force: look at the run lock of this topology, and clear one
// left by a run that died elsewhere. A forced release is a mutation like any other: it goes through
// the choke point, so the audit log says who cleared whose lock and when.
import {
  describeHolder,
  forceRelease,
  forceReleaseDecision,
  holderProcess,
  isExpired,
  readLockState,
  LockUnreachableError,
  type LockState,
  type LockValue,
} from '../../engine/lock.js';
import { newRunId } from '../../engine/run-id.js';
import { isRoute53Unreachable } from '../../steps/route53-down.js';
import { isAwsCallError } from '../../aws/errors.js';
import { DeclinedError, FailedError, RefusedError, UsageError } from '../../io/errors.js';
import type { CommandContext, CommandHandler } from '../types.js';

export const status: CommandHandler = async (ctx) => {
  const topology = await ctx.loadTopology();
  const aws = await ctx.aws({ requestTimeoutMs: topology.timeouts.readMs });
  const state = await unreachableAsRefusal(() => readLockState(aws.route53(), topology));
  const now = new Date();
  if (ctx.io.json) {
    ctx.io.resultJson({
      topology: topology.name,
      record: state.recordName,
      locked: !!state.record,
      holder: state.value ?? null,
      expired: state.value ? isExpired(state.value, now) : null,
      foreign: !!state.record && !state.value,
    });
    return 0;
  }
  ctx.io.result(describeState(topology.name, state, now));
  return 0;
};

export const release: CommandHandler = async (ctx, _args, opts) => {
  if (typeof opts.force !== 'string' || opts.force.trim() === '') {
    throw new UsageError(
      'releasing the lock of another run needs --force <run-id> (the run id of its holder)',
      'a run releases its own lock when it ends; use --force <run-id> only when that run is dead (or `mr resume <run-id>` it); `mr lock status` names the holder',
    );
  }
  const given = opts.force.trim();
  const yes = opts.yes === true;
  const topology = await ctx.loadTopology();
  const aws = await ctx.aws({ requestTimeoutMs: topology.timeouts.readMs });
  const now = new Date();
  const decision = forceReleaseDecision(await unreachableAsRefusal(() => readLockState(aws.route53(), topology)), given, { yes, now });
  if (decision.kind === 'nothing') {
    if (ctx.io.json) ctx.io.resultJson({ topology: topology.name, released: false, previous: null });
    else ctx.io.success(`${topology.name} was not locked; nothing to release`);
    return 0;
  }
  if (decision.kind === 'refuse') throw new RefusedError(decision.message, decision.hint);
  const holder = describeHolder(decision.holder, now);
  ctx.io.info(`${topology.name}: ${holder}${decision.holderAlive ? `; its process (pid ${decision.holder.pid}) is STILL RUNNING on this host` : ''}`);
  let approvedBy = 'flag --yes';
  if (!yes) {
    if (!ctx.io.interactive)
      throw new DeclinedError(
        'releasing the lock needs a confirmation and there is no terminal to ask on; nothing was released',
        `re-run with --yes: mr lock release --force ${given} --yes`,
      );
    if (!(await ctx.io.confirm(`Release the lock of run ${given} on ${topology.name}?`, false)))
      throw new DeclinedError('declined; the lock was left as it is');
    approvedBy = 'prompt';
  }
  // Deleted only if it is still the named run's (someone may have released or taken it meanwhile).
  const { state, runId } = await releaseAudited(ctx, `lock release --force ${given}`, (held) => held?.runId === given, {
    approvedBy,
    holderAlive: decision.holderAlive,
  });
  if (ctx.io.json) ctx.io.resultJson({ topology: topology.name, record: state.recordName, released: state.released, previous: state.value ?? null, runId });
  else if (state.released) ctx.io.success(`released the lock on ${topology.name} (${holder}); recorded as run ${runId}`);
  else
    throw new RefusedError(
      `the lock changed while you confirmed: ${state.value ? describeHolder(state.value, new Date()) : 'it is gone'}; nothing was released`,
      'check `mr lock status` again',
    );
  return 0;
};

/**
 * Delete the lock record through the choke point, as a run of its own (withRun: the same run id,
 * actor, audit events and run record as any run): who cleared whose lock, and when. With `only`,
 * the lock is deleted only when its holder passes.
 */
export async function releaseAudited(
  ctx: CommandContext,
  command: string,
  only?: (held: LockValue | undefined) => boolean,
  detail: Record<string, unknown> = {},
): Promise<{ state: LockState & { released: boolean }; runId: string }> {
  const topology = await ctx.loadTopology();
  const runId = newRunId();
  const aws = await ctx.aws({ runId, requestTimeoutMs: topology.timeouts.readMs });
  const { withRun } = await import('../../engine/index.js');
  return withRun(ctx, { runId, topology, aws, command, region: topology.regions[0] }, async (run) => {
    // The record is written before the lock is touched, so a release that cannot be recorded does not happen.
    await run.openRecord();
    let state: LockState & { released: boolean };
    try {
      state = await unreachableAsRefusal(() => forceRelease({ route53: aws.route53(), changes: aws.mutating(run.sideSink).route53(), topology }, only));
    } catch (e) {
      await run.audit.append('lock.failed', { forced: true, error: isAwsCallError(e) ? e.oneLine() : (e as Error).message }).catch(() => undefined);
      throw e;
    }
    if (state.released) await run.audit.append('lock.released', { forced: true, record: state.recordName, previous: state.value ?? null, ...detail });
    await run.finish(state.released ? 'succeeded' : 'noop');
    return { state, runId };
  });
}

function describeState(name: string, s: LockState, now: Date): string {
  if (!s.record) return `${name}: not locked (${s.recordName})`;
  if (!s.value) return `${name}: the lock record ${s.recordName} holds a value mr did not write: ${s.record.values?.join(' ')}`;
  const expired = isExpired(s.value, now);
  const proc = holderProcess(s.value);
  return `${name}: locked${expired ? ' (EXPIRED: the next run takes it over)' : ''}; ${describeHolder(s.value, now)}${proc ? `\n  ${proc}` : ''}\n  record ${s.recordName}\n  release (only if run ${s.value.runId} is dead): mr lock release --force ${s.value.runId}`;
}

/** The lock lives in Route 53: when its control plane does not answer, say that in one line. */
async function unreachableAsRefusal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isRoute53Unreachable(e)) {
      throw new FailedError(
        `cannot reach the run lock: Route 53's control plane (us-east-1) does not answer (${isAwsCallError(e) ? e.code : String(e)})`,
        new LockUnreachableError('').hint,
      );
    }
    throw e;
  }
}
