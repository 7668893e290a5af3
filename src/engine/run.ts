// runMutation: the flow of one mutating command (DESIGN.md), shared by every command and playbook.
// load -> plan (reads) -> show -> refuse on failed checks -> approve -> apply -> verify -> summarise,
// with the audit log opened before the first call that could change anything, and a run record
// kept up to date for `mr resume` / `mr report`. Dry runs write neither; a dry run whose plan would
// be refused exits 3 like the real run would, so a scripted preflight learns it.
// Until the first step starts, any failure ends the run with "nothing was applied".
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Topology } from '../config/schema.js';
import type { Aws, MutationSink } from '../aws/types.js';
import { renderPlan } from './render/plan.js';
import { lastRunDuration } from './run-history.js';
import { AuditWriteError, type AuditWriter } from '../audit/log.js';
import type { Actor } from '../audit/types.js';
import { DeclinedError, ExitCode, FailedError, PartialError, RefusedError, RolledBackError, isMrError } from '../io/errors.js';
import { approvalDecision, obtainApproval, type PolicySetting } from './approval.js';
import { runEvents } from './events.js';
import { executePlan, reasonOf, type ExecuteOutcome } from './execute.js';
import { checkSpec, planSpec, type StepImpls } from './planner.js';
import { overriddenChecks, refusalFor } from './refusal.js';
import { newRunId } from './run-id.js';
import { assertFresh, assertUnedited } from './stale.js';
import { acceptUnderLock } from './under-lock.js';
import { AUDIT_HINT, outcomeOf, withRun, type ActiveRun } from './with-run.js';
import type { Plan, PlanContext, PlannedStep, RunFlags, RunContext, RunSpec, StepContext } from './types.js';

/** What a lock implementation gets: its changes go through the choke point (`aws.mutating(sink)`) but do not count as applied. */
export interface LockContext {
  runId: string;
  topology: Topology;
  aws: Aws;
  actor: Actor;
  sink: MutationSink;
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

interface TakenLock {
  release(): Promise<void>;
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
  now?: () => Date;
  /** Whose secret values the audit log redacts; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export type RunMutationFlags = RunFlags & { json: boolean; out?: string; verbose?: boolean };

export async function runMutation(ctx: RunContext, spec: RunSpec, flags: RunMutationFlags, opts: RunOptions = {}): Promise<number> {
  const { io } = ctx;
  const now = opts.now ?? (() => new Date());
  const impls = opts.stepImpls ?? (await import('../steps/index.js')).stepImpls;
  checkSpec(spec, impls);
  const topology = await ctx.loadTopology();
  const runId = newRunId(now());
  const aws = await ctx.aws({ runId });
  const base = { topology, aws, flags };
  const events = runEvents(io, now);
  const planAndShow = async () => {
    const plan = await planSpec(spec, impls, base, { id: runId, createdAt: now() });
    events.plan(plan);
    if (!io.json) {
      const last = io.interactive ? await lastRunDuration(ctx.stateDir, topology.name, spec.playbook, spec.command) : undefined;
      io.result(renderPlan(plan, { style: io.style, table: io.interactive, columns: io.columns, verbose: flags.verbose, estimateMs: last?.ms }));
    }
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
  const region = spec.region ?? topology.regions[0];
  const started = { command: spec.command, playbook: spec.playbook, vars: spec.vars, spec, flags };
  return withRun(
    ctx,
    { runId, topology, aws, command: spec.command, region, started, resumeOf: opts.resumeOf, events, now, env: opts.env, forceAudit: flags.forceAudit },
    async (run) => {
      const { audit } = run;
      let held: TakenLock | undefined;
      try {
        const plan = await planAndShow();
        await audit.append('plan', { plan });
        for (const { step, check } of overriddenChecks(plan, flags.overrides)) {
          io.warn(`${step.id}: ${check.name}: ${check.message}; overridden by ${check.override}`);
          await audit.append('override', {
            step: step.id,
            check: check.name,
            flag: check.override,
            message: check.message,
            observed: check.observed,
            bound: check.bound,
          });
        }
        const recorder = await run.openRecord(plan, spec);

        const policy: PolicySetting = flags.requireApproval
          ? { name: flags.requireApproval, source: '--require-approval' }
          : { name: topology.requireApproval ?? 'any', source: 'topology requireApproval' };
        const decision = approvalDecision(plan, { ...flags, policy }, io.interactive);
        const timeoutMs = flags.approvalTimeoutMs ?? topology.timeouts.approvalMs;
        if (decision.kind === 'none' && decision.reason === 'noop') {
          // Nothing to change, so no lock either: a re-run of a finished change makes no mutating call.
          io.success('nothing to do: every step is already done');
          for (const s of recorder.record.steps) s.status = 'skipped';
          await run.finish('noop');
          return 0;
        }
        // No changes left, only gates to re-check (or waits, or a change already under way to wait for):
        // no mutating call will be made, so there is nothing for the lock to guard and no approval to
        // ask. A re-run of a finished failover re-checks its gates and makes no mutating call at all.
        const checkOnly = decision.kind === 'none';
        if (checkOnly) io.info('no changes to make: the remaining steps only check or wait (no approval, no lock)');
        // A refusal known without asking (no terminal, --yes alone on data loss) needs no lock.
        if (decision.kind === 'refuse' || decision.kind === 'decline') await obtainApproval(io, decision);
        if (!checkOnly) held = await takeLock(opts.lock, run, { runId, topology, aws });
        // Someone may have changed the world between our reads and our lock: re-read under the lock. A
        // world that moved toward the plan (an operation under way has ended) goes on; anything else is stale.
        if (held) {
          const fresh = await planSpec(spec, impls, base, { id: runId, createdAt: now() });
          const progressed = acceptUnderLock(plan, fresh);
          if (progressed.length) {
            io.info(`since the plan: ${progressed.map((p) => `${p.step} ${p.was} -> ${p.now}`).join('; ')}`);
            await audit.append('plan.progressed', { approved: plan.fingerprint, fresh: fresh.fingerprint, steps: progressed });
            await recorder.save();
          }
        }
        // A prompt left unanswered holds the lock: it gives up after the approval timeout (the lock is released below).
        const approvedBy = await obtainApproval(io, decision, { timeoutMs });
        if (signal.aborted) throw new DeclinedError('interrupted; nothing was applied');
        if (approvedBy) {
          recorder.record.approval = approvedBy;
          // The policy is recorded when it is not the default (any): then it may be what let the run through.
          const policyDetail = policy.name === 'any' ? {} : { policy: policy.name, policySource: policy.source };
          await audit.append('approval', { by: approvedBy, ...policyDetail, fingerprint: plan.fingerprint });
        }

        const result = await executePlan({
          plan,
          impls,
          base,
          audit,
          recorder,
          io,
          events,
          signal,
          pollMs: topology.timeouts.pollMs,
          verifyMs: topology.timeouts.verifyMs,
          now,
          approve: (step, message) =>
            approveStep(
              ctx,
              audit,
              {
                yes: flags.yes || policy.name === 'never',
                by: policy.name === 'never' && !flags.yes ? `policy never (${policy.source})` : 'flag --yes',
                timeoutMs,
              },
              step,
              message,
            ),
          // The lock may have been force-released (or have expired and been taken) while we waited at the
          // prompt or ran a stage: re-read it before each stage, and stop if it is no longer ours.
          ...(held?.check ? { beforeStage: held.check } : {}),
        });
        return await settle(run, result, { plan, impls, base });
      } finally {
        if (held) await held.release();
      }
    },
  );
}

/** After the steps: record how the run ended and turn it into the exit code (or the error to show). */
interface SettleContext {
  plan: Plan;
  impls: StepImpls;
  base: PlanContext;
}

/** For each step in flight that had changed something: where it left the world (best effort, reads only). */
async function whereLeft(ids: string[], ctx: SettleContext): Promise<string[]> {
  const planned = ctx.plan.stages.flatMap((s) => s.steps);
  const out: string[] = [];
  for (const id of ids) {
    const step = planned.find((p) => p.id === id);
    const impl = step ? ctx.impls[step.kind] : undefined;
    if (!step || !impl?.interrupted) continue;
    try {
      const said = await impl.interrupted(step, ctx.base);
      if (said) out.push(`${id}: ${said}`);
    } catch {
      // Where it was left could not be read: the resume re-plans from the live state anyway.
    }
  }
  return out;
}

async function settle(run: ActiveRun, result: ExecuteOutcome, ctx: SettleContext): Promise<number> {
  if (result.status === 'succeeded') {
    await run.finish('succeeded');
    return 0;
  }
  const applied = result.tally.applied;
  const at = result.failedStep ?? 'the start';
  const reason = reasonOf(result.error);
  if (result.stoppedBefore !== undefined) {
    // Lost the lock, or a step's recheck refused (the data at risk grew past what was approved):
    // nothing more is changed, whatever was done so far stays recorded (exit 3; 4 when the operator said
    // no; 5 when a recheck stops a run that has made changes: it is partly applied and resumable).
    const e = result.error;
    const declined = isMrError(e) && e.exitCode === ExitCode.Declined;
    if (result.stoppedBy !== 'recheck')
      await run.audit.append('lock.failed', { lost: true, before: result.stoppedBefore, error: reason, applied }).catch(() => undefined);
    await run.finish(applied > 0 ? 'partial' : declined ? 'declined' : 'refused', { error: reason });
    const done = applied > 0 ? `${applied} change${applied === 1 ? ' was' : 's were'} made before it, nothing more` : 'nothing was applied';
    const ownHint = isMrError(e) ? e.hint : undefined;
    // A refused cut after earlier changes is resumable: the resume plans it again, showing the data at risk now.
    const hint = result.stoppedBy === 'recheck' && applied > 0 ? `${ownHint ? `${ownHint}; ` : ''}mr resume ${run.runId}` : ownHint;
    if (declined) throw new DeclinedError(`stopped before stage ${result.stoppedBefore}: ${reason}; ${done}`, hint);
    if (result.stoppedBy === 'recheck' && applied > 0) throw new PartialError(`stopped before stage ${result.stoppedBefore}: ${reason}; ${done}`, hint);
    throw new RefusedError(`stopped before stage ${result.stoppedBefore}: ${reason}; ${done}`, hint);
  }
  if (result.status === 'interrupted') {
    const inFlight = run.recorder?.record.steps.filter((s) => s.status === 'interrupted') ?? [];
    const where = await whereLeft(
      inFlight.filter((s) => s.mutations > 0).map((s) => s.id),
      ctx,
    );
    await run.audit
      .append('run.interrupted', { step: result.failedStep, inFlight: inFlight.map((s) => s.id), applied, ...(where.length ? { left: where } : {}) })
      .catch(() => undefined);
    await run.finish('interrupted', { error: reason, audit: false });
    const steps = inFlight.length ? inFlight.map((s) => s.id).join(', ') : at;
    if (applied > 0)
      throw new PartialError(
        `interrupted at ${steps} after ${applied} change${applied === 1 ? '' : 's'}${where.length ? `; ${where.join('; ')}` : ''}`,
        `mr resume ${run.runId}`,
      );
    throw new DeclinedError('interrupted; nothing was applied');
  }
  // The failed step put back everything it changed, and no other step changed anything: the world
  // is as the run found it. That is its own outcome, not "partly applied" (nothing to resume).
  const others = run.recorder?.record.steps.filter((s) => s.id !== result.failedStep && s.mutations > 0) ?? [];
  if (result.error instanceof RolledBackError && others.length === 0) {
    await run.finish('rolled-back', { error: reason });
    throw new FailedError(`rolled back at ${at}: ${reason}; nothing is left changed`, undefined, { cause: result.error });
  }
  if (applied > 0) {
    await run.finish('partial', { error: reason });
    throw new PartialError(`stopped at ${at}: ${reason}`, `mr resume ${run.runId}`, { cause: result.error });
  }
  const e = result.error;
  await run.finish(outcomeOf(e), { error: reason });
  // A gate that no longer holds when the run reaches it is a safety refusal, named by its step.
  if (isMrError(e) && e.exitCode === ExitCode.Refused) throw new RefusedError(`refused at ${at}: ${reason}; nothing was applied`, e.hint);
  if (isMrError(e) && e.exitCode === ExitCode.Declined) throw e;
  throw new FailedError(`${at} failed: ${reason}; nothing was applied`, e instanceof AuditWriteError ? AUDIT_HINT : undefined, { cause: e });
}

async function takeLock(lock: RunLock | undefined, run: ActiveRun, a: { runId: string; topology: Topology; aws: Aws }): Promise<TakenLock | undefined> {
  if (!lock) return undefined;
  const { audit } = run;
  // The lock's own calls are not the run's changes (a separate tally), and are never cut short by an
  // interrupt: an interrupted run must still release its lock.
  let held;
  try {
    held = await lock.acquire({ runId: a.runId, topology: a.topology, aws: a.aws, actor: run.actor, sink: run.sideSink });
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

/** An `approval` step: --yes passes it (recorded), a terminal asks (default No), otherwise fail closed. */
async function approveStep(
  ctx: RunContext,
  audit: AuditWriter,
  flags: { yes: boolean; by: string; timeoutMs: number },
  step: PlannedStep,
  message: string,
): Promise<void> {
  if (flags.yes) {
    ctx.io.info(`${message}: approved by ${flags.by === 'flag --yes' ? '--yes' : flags.by}`);
    await audit.append('approval', { step: step.id, message, by: flags.by });
    return;
  }
  if (!ctx.io.interactive) throw new DeclinedError(`${step.id}: "${message}" needs approval and there is no terminal to ask on`, 're-run with --yes');
  if (!(await ctx.io.confirm(message, false, { timeoutMs: flags.timeoutMs }))) throw new DeclinedError(`declined at ${step.id}`);
  await audit.append('approval', { step: step.id, message, by: 'prompt' });
}
