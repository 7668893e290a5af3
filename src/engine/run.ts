// runMutation: the flow of one mutating command (DESIGN.md), shared by every command and playbook.
// load -> plan (reads) -> show -> refuse on failed checks -> approve -> apply -> verify -> summarise,
// with the audit log opened before the first call that could change anything, and a run record
// kept up to date for `mr resume` / `mr report`. Dry runs write neither; a dry run whose plan would
// be refused exits 3 like the real run would, so a scripted preflight learns it.
// Until the first step starts, any failure ends the run with "nothing was applied".
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Topology } from '../config/schema.js';
import type { Aws } from '../aws/types.js';
import { renderPlan } from './render/plan.js';
import { renderSummary } from './render/summary.js';
import { AuditWriteError, auditPath, openAuditLog, type AuditWriter } from '../audit/log.js';
import type { Actor } from '../audit/types.js';
import { DeclinedError, ExitCode, FailedError, PartialError, RefusedError, isMrError } from '../io/errors.js';
import { resolveActor } from './actor.js';
import { approvalDecision, obtainApproval, type PolicySetting } from './approval.js';
import { executePlan, reasonOf } from './execute.js';
import { checkSpec, planSpec, type StepImpls } from './planner.js';
import { overriddenChecks, refusalFor } from './refusal.js';
import { newRunId } from './run-id.js';
import { RunRecorder } from './run-record.js';
import { assertFresh, assertUnedited } from './stale.js';
import { makeMutate } from './step-context.js';
import type { Plan, PlannedStep, RunFlags, RunOutcome, RunContext, RunResultDoc, RunSpec, StepContext } from './types.js';

/** What a lock implementation gets: its changes go through the choke point but do not count as applied. */
export interface LockContext {
  runId: string;
  topology: Topology;
  aws: Aws;
  actor: Actor;
  mutate: StepContext['mutate'];
}

/** One run at a time per topology. acquire() throws an MrError naming the holder when it is taken. */
export interface RunLock {
  acquire(ctx: LockContext): Promise<HeldRunLock>;
}

export interface HeldRunLock {
  detail: Record<string, unknown>;
  release(): Promise<Record<string, unknown>>;
  /** Re-read the lock: throws (a RefusedError) when it is no longer this run's. Called after approval and before every stage. */
  check?(): Promise<void>;
}

export interface RunOptions {
  /** The step implementations; default: the registry in src/steps. Tests pass fakes. */
  stepImpls?: StepImpls;
  /** Taken once the plan has something to apply (then the plan is re-read under it), released at the end. */
  lock?: RunLock;
  /** `mr resume`: the run this one continues (recorded in run.started and the run record). */
  resumeOf?: string;
  /** `mr apply plan.json`: refuse when the fresh plan's fingerprint differs ("plan is stale"). */
  savedPlan?: Plan;
  /** The file it came from, for messages. */
  savedPlanFile?: string;
  /** Handed the run record as soon as it exists (the caller may add to it, e.g. a timing report, and save()). */
  onRecord?: (recorder: RunRecorder) => void;
  now?: () => Date;
  /** Whose secret values the audit log redacts; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export type RunMutationFlags = RunFlags & { json: boolean; out?: string };

export async function runMutation(ctx: RunContext, spec: RunSpec, flags: RunMutationFlags, opts: RunOptions = {}): Promise<number> {
  const { io } = ctx;
  const now = opts.now ?? (() => new Date());
  const impls = opts.stepImpls ?? (await import('../steps/index.js')).stepImpls;
  checkSpec(spec, impls);
  const topology = await ctx.loadTopology();
  const runId = newRunId(now());
  const aws = await ctx.aws({ runId });
  const base = { topology, aws, flags };
  const planAndShow = async () => {
    const plan = await planSpec(spec, impls, base, { id: runId, createdAt: now() });
    if (io.json) io.resultJson(plan);
    else io.result(renderPlan(plan, { style: io.style, table: io.interactive, overrides: flags.overrides }));
    if (flags.out) {
      const file = resolve(flags.out);
      await writeFile(file, JSON.stringify(plan, null, 2) + '\n');
      io.info(`plan saved to ${file}`);
    }
    if (opts.savedPlan) {
      // Checked once the steps are known to be valid (kinds, regions): an edited file is bad input (exit 2).
      assertUnedited(opts.savedPlan, opts.savedPlanFile ?? 'the saved plan');
      assertFresh(opts.savedPlan, plan);
    }
    const refusal = refusalFor(plan, flags.overrides, flags.acceptedFlags);
    if (refusal) throw new RefusedError(refusal.message, refusal.hint);
    return plan;
  };

  if (flags.dryRun) {
    await planAndShow();
    io.info('dry run: nothing was applied');
    return 0;
  }

  const signal = ctx.signal ?? new AbortController().signal;
  const auditLog = auditPath(ctx.stateDir, topology.name);
  const actor = await resolveActor(aws, spec.region ?? topology.regions[0]);
  const audit = openAuditLog({ path: auditLog, runId, actor, argv: ctx.argv, env: opts.env, now });
  try {
    await audit.append('run.started', { command: spec.command, playbook: spec.playbook, vars: spec.vars, spec, flags, resumeOf: opts.resumeOf });
  } catch (e) {
    throw asFailure(e);
  }

  let held: TakenLock | undefined;
  try {
    let plan: Plan;
    let recorder: RunRecorder;
    try {
      plan = await planAndShow();
      await audit.append('plan', { plan });
      for (const { step, check } of overriddenChecks(plan, flags.overrides)) {
        io.warn(`${step.id}: ${check.name}: ${check.message}; overridden by ${check.override}`);
        await audit.append('override', { step: step.id, check: check.name, flag: check.override, message: check.message, observed: check.observed, bound: check.bound });
      }
      recorder = RunRecorder.fromPlan({ stateDir: ctx.stateDir, plan, spec, argv: ctx.argv, actor, auditLog, resumeOf: opts.resumeOf, now, onSaveError: (e) => io.warn(`could not update the run record: ${e.message}`) });
      await recorder.save({ strict: true });
    } catch (e) {
      await finishEarly(audit, undefined, outcomeOf(e), e);
      throw asFailure(e);
    }
    opts.onRecord?.(recorder);

    const policy: PolicySetting = flags.requireApproval ? { name: flags.requireApproval, source: '--require-approval' } : { name: topology.requireApproval ?? 'any', source: 'topology requireApproval' };
    const decision = approvalDecision(plan, { ...flags, policy }, io.interactive);
    const timeoutMs = flags.approvalTimeoutMs ?? topology.timeouts.approvalMs;
    if (decision.kind === 'none' && decision.reason === 'noop') {
      // Nothing to change, so no lock either: a re-run of a finished change makes no mutating call.
      io.success('nothing to do: every step is already done');
      for (const s of recorder.record.steps) s.status = 'skipped';
      await finish(ctx, audit, recorder, 'noop', now);
      return 0;
    }
    // No changes left, only gates to re-check (or waits, or a change already under way to wait for):
    // no mutating call will be made, so there is nothing for the lock to guard and no approval to
    // ask. A re-run of a finished failover re-checks its gates and makes no mutating call at all.
    const checkOnly = decision.kind === 'none';
    if (checkOnly) io.info('no changes to make: the remaining steps only check or wait (no approval, no lock)');
    try {
      // A refusal known without asking (no terminal, --yes alone on data loss) needs no lock.
      if (decision.kind === 'refuse' || decision.kind === 'decline') await obtainApproval(io, decision);
      if (!checkOnly) held = await takeLock(opts.lock, audit, { runId, topology, aws, actor, now });
      // Someone may have changed the world between our reads and our lock: re-read under the lock.
      if (held) assertFresh(plan, await planSpec(spec, impls, base, { id: runId, createdAt: now() }));
      // A prompt left unanswered holds the lock: it gives up after the approval timeout (the lock is released below).
      const approvedBy = await obtainApproval(io, decision, { timeoutMs });
      if (signal.aborted) throw new DeclinedError('interrupted; nothing was applied');
      if (approvedBy) {
        recorder.record.approval = approvedBy;
        // The policy is recorded when it is not the default (any): then it may be what let the run through.
        const policyDetail = policy.name === 'any' ? {} : { policy: policy.name, policySource: policy.source };
        await audit.append('approval', { by: approvedBy, ...policyDetail, fingerprint: plan.fingerprint });
      }
    } catch (e) {
      await finishEarly(audit, recorder, outcomeOf(e), e);
      throw asFailure(e);
    }

    const result = await executePlan({
      plan,
      impls,
      base,
      audit,
      recorder,
      io,
      signal,
      pollMs: topology.timeouts.pollMs,
      verifyMs: topology.timeouts.verifyMs,
      now,
      approve: (step, message) => approveStep(ctx, audit, { yes: flags.yes || policy.name === 'never', by: policy.name === 'never' && !flags.yes ? `policy never (${policy.source})` : 'flag --yes', timeoutMs }, step, message),
      // The lock may have been force-released (or have expired and been taken) while we waited at the
      // prompt or ran a stage: re-read it before each stage, and stop if it is no longer ours.
      ...(held?.check ? { beforeStage: held.check } : {}),
    });
    if (result.status === 'succeeded') {
      await finish(ctx, audit, recorder, 'succeeded', now);
      return 0;
    }
    const applied = result.tally.applied;
    const at = result.failedStep ?? 'the start';
    const reason = reasonOf(result.error);
    if (result.stoppedBefore !== undefined) {
      // Lost the lock: nothing more is changed, whatever was done so far stays recorded (exit 3).
      await audit.append('lock.failed', { lost: true, before: result.stoppedBefore, error: reason, applied }).catch(() => undefined);
      await finish(ctx, audit, recorder, applied > 0 ? 'partial' : 'refused', now, reason);
      const done = applied > 0 ? `${applied} change${applied === 1 ? ' was' : 's were'} made before it, nothing more` : 'nothing was applied';
      const e = result.error;
      throw new RefusedError(`stopped before stage ${result.stoppedBefore}: ${reason}; ${done}`, isMrError(e) ? e.hint : undefined);
    }
    if (result.status === 'interrupted') {
      await audit.append('run.interrupted', { step: result.failedStep, applied }).catch(() => undefined);
      await finish(ctx, audit, recorder, 'interrupted', now, reason, false);
      if (applied > 0) throw new PartialError(`interrupted at ${at} after ${applied} change${applied === 1 ? '' : 's'}`, `mr resume ${runId}`);
      throw new DeclinedError('interrupted; nothing was applied');
    }
    if (applied > 0) {
      await finish(ctx, audit, recorder, 'partial', now, reason);
      throw new PartialError(`stopped at ${at}: ${reason}`, `mr resume ${runId}`, { cause: result.error });
    }
    const e = result.error;
    await finish(ctx, audit, recorder, outcomeOf(e), now, reason);
    // A gate that no longer holds when the run reaches it is a safety refusal, named by its step.
    if (isMrError(e) && e.exitCode === ExitCode.Refused) throw new RefusedError(`refused at ${at}: ${reason}; nothing was applied`, e.hint);
    if (isMrError(e) && e.exitCode === ExitCode.Declined) throw e;
    throw new FailedError(`${at} failed: ${reason}; nothing was applied`, e instanceof AuditWriteError ? AUDIT_HINT : undefined, { cause: e });
  } finally {
    if (held) await held.release();
  }
}

interface TakenLock {
  release(): Promise<void>;
  check?(): Promise<void>;
}

const AUDIT_HINT = 'fix the state directory (--state-dir) so the audit log can be written';

/** Before any step ran: MrErrors keep their exit code; anything else fails with nothing applied. */
function asFailure(e: unknown): Error {
  if (isMrError(e)) return e;
  return new FailedError(`${reasonOf(e)}; nothing was applied`, e instanceof AuditWriteError ? AUDIT_HINT : undefined, { cause: e });
}

function outcomeOf(e: unknown): RunOutcome {
  if (isMrError(e) && e.exitCode === ExitCode.Refused) return 'refused';
  if (isMrError(e) && e.exitCode === ExitCode.Declined) return 'declined';
  return 'failed';
}

async function takeLock(lock: RunLock | undefined, audit: AuditWriter, a: { runId: string; topology: Topology; aws: Aws; actor: Actor; now: () => Date }): Promise<TakenLock | undefined> {
  if (!lock) return undefined;
  // The lock's own calls are not the run's changes (a separate tally), and are never cut short by an
  // interrupt: an interrupted run must still release its lock.
  const mutate = makeMutate({ audit, stepId: 'lock', tally: { applied: 0 }, signal: new AbortController().signal, now: a.now });
  let held;
  try {
    held = await lock.acquire({ runId: a.runId, topology: a.topology, aws: a.aws, actor: a.actor, mutate });
  } catch (e) {
    await audit.append('lock.failed', { error: reasonOf(e) }).catch(() => undefined);
    throw e;
  }
  const release = async () => {
    try {
      await audit.append('lock.released', await held.release());
    } catch (e) {
      await audit.append('lock.failed', { error: `release: ${reasonOf(e)}` }).catch(() => undefined);
    }
  };
  try {
    await audit.append('lock.acquired', held.detail);
  } catch (e) {
    await release(); // a lock we cannot record holding is not kept
    throw e;
  }
  const check = held.check?.bind(held);
  return check ? { release, check } : { release };
}

/** The run ended before applying anything: record how, best effort (the caller rethrows the cause). */
async function finishEarly(audit: AuditWriter, recorder: RunRecorder | undefined, outcome: RunOutcome, e: unknown): Promise<void> {
  await audit.append('run.finished', { outcome, error: reasonOf(e), applied: 0 }).catch(() => undefined);
  if (!recorder) return;
  recorder.record.outcome = outcome;
  recorder.record.error = reasonOf(e);
  recorder.record.endedAt = recorder.record.updatedAt;
  await recorder.save();
}

/** Record the end, print the summary (or the result document). */
async function finish(ctx: RunContext, audit: AuditWriter, recorder: RunRecorder, outcome: RunOutcome, now: () => Date, error?: string, writeFinished = true): Promise<void> {
  const rec = recorder.record;
  rec.outcome = outcome;
  rec.endedAt = now().toISOString();
  if (error !== undefined) rec.error = error;
  if (writeFinished) {
    await audit.append('run.finished', { outcome, error, steps: rec.steps.map((s) => ({ id: s.id, status: s.status, durationMs: s.durationMs })) }).catch((e: unknown) => ctx.io.warn(reasonOf(e)));
  }
  await recorder.save();
  const doc: RunResultDoc = {
    runId: rec.runId,
    outcome,
    steps: rec.steps.map(({ id, kind, status, startedAt, endedAt, durationMs, error: err }) => ({ id, kind, status, startedAt, endedAt, durationMs, ...(err ? { error: err } : {}) })),
    auditLog: rec.auditLog,
    runRecord: recorder.path,
  };
  if (ctx.io.json) ctx.io.resultJson(doc);
  else ctx.io.result(renderSummary(doc, ctx.io.style));
}

/** An `approval` step: --yes passes it (recorded), a terminal asks (default No), otherwise fail closed. */
async function approveStep(ctx: RunContext, audit: AuditWriter, flags: { yes: boolean; by: string; timeoutMs: number }, step: PlannedStep, message: string): Promise<void> {
  if (flags.yes) {
    ctx.io.info(`${message}: approved by ${flags.by === 'flag --yes' ? '--yes' : flags.by}`);
    await audit.append('approval', { step: step.id, message, by: flags.by });
    return;
  }
  if (!ctx.io.interactive) throw new DeclinedError(`${step.id}: "${message}" needs approval and there is no terminal to ask on`, 're-run with --yes');
  if (!(await ctx.io.confirm(message, false, { timeoutMs: flags.timeoutMs }))) throw new DeclinedError(`declined at ${step.id}`);
  await audit.append('approval', { step: step.id, message, by: 'prompt' });
}
