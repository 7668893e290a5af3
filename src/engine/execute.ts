// Apply an approved plan: stages in order, the steps of a parallel stage concurrently. Each step:
// step.started -> apply (through the choke point) -> verify -> step.succeeded | step.failed.
// The first failure stops further stages. In its own stage, a sibling that has sent its change (or
// verifies one already under way) runs to its end, because abandoning it halfway (a switchover being
// verified) would leave its state unknown; a sibling that has not yet sent one (still waiting for a lag
// to reach 0) is stopped there (SiblingFailedError), so the run stops as soon as it is known to fail.
import { isAwsCallError } from '../aws/errors.js';
import type { AuditWriter } from '../audit/log.js';
import { isMrError } from '../io/errors.js';
import type { Io } from '../io/types.js';
import { planWhenReached } from './deferred.js';
import type { RunEvents } from './events.js';
import type { StepImpls } from './planner.js';
import { StageProgress } from './progress.js';
import type { RunRecorder } from './run-record.js';
import { InterruptedError, makeStepContext, SiblingFailedError, type MutationTally } from './step-context.js';
import type { Plan, PlannedStep, RunBaseContext, StepImpl } from './types.js';

export interface ExecuteEnv {
  plan: Plan;
  impls: StepImpls;
  base: RunBaseContext;
  audit: AuditWriter;
  recorder: RunRecorder;
  io: Io;
  /** The --json event stream (step.started, progress, step.finished). */
  events: RunEvents;
  signal: AbortSignal;
  pollMs: number;
  verifyMs: number;
  now: () => Date;
  /** Asks the operator at an `approval` step; the progress display is paused meanwhile. */
  approve(step: PlannedStep, message: string): Promise<void>;
  /** Called before each stage that changes something (the lock re-read); its error stops the run there. */
  beforeStage?(stage: string): Promise<void>;
}

export interface ExecuteOutcome {
  status: 'succeeded' | 'failed' | 'interrupted';
  tally: MutationTally;
  /** The first step that failed or was interrupted, and why. */
  failedStep?: string;
  error?: unknown;
  /** The stage that did not start because beforeStage (the lock) or a step's recheck threw (error says why). */
  stoppedBefore?: string;
  stoppedBy?: 'lock' | 'recheck';
}

export function reasonOf(e: unknown): string {
  if (isAwsCallError(e)) return e.oneLine();
  if (e instanceof Error) return e.message;
  return String(e);
}

export async function executePlan(env: ExecuteEnv): Promise<ExecuteOutcome> {
  const tally: MutationTally = { applied: 0 };
  for (const stage of env.plan.stages) {
    if (env.signal.aborted) return { status: 'interrupted', tally, error: new InterruptedError() };
    if (env.beforeStage && stage.steps.some((s) => !s.noop)) {
      try {
        await env.beforeStage(stage.name);
      } catch (error) {
        return { status: 'failed', tally, stoppedBefore: stage.name, stoppedBy: 'lock', error };
      }
    }
    // What the operator approved may have moved since (an unplanned cut's data at risk): re-read before
    // any step of the stage starts, so a refusal leaves the whole stage, parallel steps included, undone.
    for (const step of stage.steps) {
      const impl = env.impls[step.kind];
      if (step.noop || !impl?.recheck) continue;
      try {
        const note = await impl.recheck(step, env.base, { interactive: env.io.interactive, ask: (message) => env.approve(step, message) });
        if (note) env.io.warn(`${step.id}: ${note}`);
      } catch (error) {
        await env.audit.append('recheck.refused', { step: step.id, kind: step.kind, stage: stage.name, error: reasonOf(error) }).catch(() => undefined);
        return { status: 'failed', tally, failedStep: step.id, stoppedBefore: stage.name, stoppedBy: 'recheck', error };
      }
    }
    const progress = new StageProgress(env.io, stage.name, stage.steps);
    const finished = (id: string) => env.events.stepFinished(env.plan.id, env.recorder.step(id));
    const failures: { step: PlannedStep; error: unknown }[] = [];
    const stops = new Map<string, AbortController>();
    const committed = new Set<string>();
    const stopIdleSiblings = (failed: PlannedStep) => {
      for (const s of stage.steps) if (s !== failed && !committed.has(s.id) && !s.inProgress) stops.get(s.id)?.abort(new SiblingFailedError(failed.id));
    };
    const runOne = async (step: PlannedStep) => {
      const stop = stage.parallel ? new AbortController() : undefined;
      if (stop) stops.set(step.id, stop);
      const error = await runStep(env, step, stage.name, tally, progress, { stop: stop?.signal, onIntent: () => committed.add(step.id) });
      finished(step.id);
      if (error === undefined) return;
      failures.push({ step, error });
      if (!(error instanceof InterruptedError)) stopIdleSiblings(step);
    };
    try {
      if (stage.parallel) await Promise.all(stage.steps.map(runOne));
      else {
        for (const step of stage.steps) {
          await runOne(step);
          if (failures.length > 0) break;
        }
      }
    } finally {
      progress.finish();
    }
    if (failures.length > 0) {
      const first = failures.find((f) => !(f.error instanceof InterruptedError)) ?? failures[0];
      const interrupted = failures.every((f) => f.error instanceof InterruptedError);
      return { status: interrupted ? 'interrupted' : 'failed', tally, failedStep: first.step.id, error: first.error };
    }
  }
  return { status: 'succeeded', tally };
}

/** A deferred step planned again from the live state, kept in place (the run record saves it) and in the audit log. */
async function replanWhenReached(env: ExecuteEnv, step: PlannedStep, impl: StepImpl): Promise<void> {
  const fresh = await planWhenReached(step, impl, env.base);
  const { title, changes, checks, data, observed, noop, inProgress } = fresh;
  delete step.deferred;
  Object.assign(step, { title, changes, checks, data, observed, noop, inProgress: inProgress === true });
  await env.audit.append('step.planned', { step: step.id, kind: step.kind, title, changes, checks, noop, inProgress: inProgress === true, data });
  await env.recorder.save();
}

interface StepControl {
  /** Aborted when a sibling of a parallel stage failed before this step sent its change. */
  stop?: AbortSignal;
  /** The step commits to its first change (synchronous, before the intent is written). */
  onIntent(): void;
}

/** Run one step; resolves with its error (already recorded) or undefined when it succeeded or was skipped. */
async function runStep(
  env: ExecuteEnv,
  step: PlannedStep,
  stage: string,
  tally: MutationTally,
  progress: StageProgress,
  control: StepControl,
): Promise<unknown> {
  const rec = env.recorder.step(step.id);
  if (step.noop) {
    rec.status = 'skipped';
    progress.end(step.id, 'skipped', 'already done');
    try {
      await env.audit.append('step.skipped', { step: step.id, kind: step.kind, reason: 'already done (no-op)' });
    } catch (e) {
      return e;
    }
    await env.recorder.save();
    return undefined;
  }
  if (env.signal.aborted) return new InterruptedError();
  const stop = control.stop;
  const signal = stop ? AbortSignal.any([env.signal, stop]) : env.signal;
  const impl = env.impls[step.kind] as StepImpl;
  const started = env.now();
  rec.status = 'running';
  rec.startedAt = started.toISOString();
  try {
    await env.audit.append('step.started', { step: step.id, kind: step.kind, title: step.title, inProgress: step.inProgress === true });
    await env.recorder.save();
    env.events.stepStarted(env.plan.id, step, stage);
    progress.start(step.id);
    const ctx = makeStepContext({
      base: env.base,
      runId: env.plan.id,
      step,
      audit: env.audit,
      tally,
      signal,
      pollMs: env.pollMs,
      verifyMs: env.verifyMs,
      now: env.now,
      report: (text) => {
        if (progress.detail(step.id, text)) env.events.progress(env.plan.id, step.id, text);
      },
      approve: async (message) => {
        progress.pause();
        try {
          await env.approve(step, message);
        } finally {
          progress.resume();
        }
      },
      onWait: (w) => void (rec.waits ??= []).push(w),
      warn: async (message) => {
        (rec.warnings ??= []).push(message);
        await env.audit.append('step.warning', { step: step.id, kind: step.kind, message });
        progress.pause();
        env.io.warn(`${step.id}: ${message}`);
        progress.resume();
        await env.recorder.save();
      },
      note: async (message) => {
        (rec.notes ??= []).push(message);
        await env.audit.append('step.note', { step: step.id, kind: step.kind, message });
        if (progress.detail(step.id, message)) env.events.progress(env.plan.id, step.id, message);
        await env.recorder.save();
      },
      onIntent: control.onIntent,
      onMutation: () => {
        rec.mutations++;
        env.recorder.record.firstMutationAt ??= env.now().toISOString();
      },
    });
    // Planned when reached: the plan made now replaces the approved one, if it stays inside it.
    if (step.deferred) await replanWhenReached(env, step, impl);
    // A change already under way (e.g. a switchover toward the target) is not started again.
    if (!step.noop && !step.inProgress) await impl.apply(step, ctx);
    if (!step.noop) await impl.verify(step, ctx);
    const ended = env.now();
    rec.status = 'succeeded';
    rec.endedAt = ended.toISOString();
    rec.durationMs = ended.getTime() - started.getTime();
    await env.audit.append('step.succeeded', { step: step.id, kind: step.kind, durationMs: rec.durationMs, mutations: rec.mutations });
    progress.end(step.id, 'succeeded');
    await env.recorder.save();
    return undefined;
  } catch (caught) {
    // Stopped because a sibling failed, not by the operator: say so rather than "interrupted".
    const e: unknown = caught instanceof InterruptedError && stop?.aborted && !env.signal.aborted ? (stop.reason as SiblingFailedError) : caught;
    const ended = env.now();
    const interrupted = e instanceof InterruptedError;
    rec.status = interrupted ? 'interrupted' : 'failed';
    rec.endedAt = ended.toISOString();
    rec.durationMs = ended.getTime() - started.getTime();
    rec.error = reasonOf(e);
    const code = isAwsCallError(e) ? e.code : isMrError(e) ? e.name : (e as Error)?.name;
    // Best effort: when the audit log itself is what failed, the step's error already says so.
    await env.audit
      .append('step.failed', { step: step.id, kind: step.kind, durationMs: rec.durationMs, error: { code, message: rec.error }, interrupted })
      .catch(() => undefined);
    progress.end(step.id, rec.status, rec.error);
    await env.recorder.save();
    return e;
  }
}
