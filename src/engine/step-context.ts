// The StepContext each step's apply() and verify() get: the mutation choke point, polling with a
// timeout, abortable sleep. Every mutating call of a run passes through mutate() here.
import { isAwsCallError, isPassingFailure } from '../aws/errors.js';
import type { MutationResult } from '../aws/types.js';
import type { AuditWriter } from '../audit/log.js';
import { formatElapsed } from '../util/duration.js';
import type { MutateOptions } from '../steps/contract.js';
import { nextPollDelayMs } from './poll-schedule.js';
import type { StepWait } from './run-record.js';
import type { MutationCall, PlannedStep, RunBaseContext, StepContext } from './types.js';

/** The run was interrupted (SIGINT / abort) before this point; raised instead of starting more work. */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/** A verify that did not converge in time; names what it waited for and what it saw last. */
export class VerifyTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, lastDetail: string) {
    super(`timed out after ${formatElapsed(timeoutMs)} waiting for ${what}${lastDetail ? ` (last seen: ${lastDetail})` : ''}`);
    this.name = 'VerifyTimeoutError';
  }
}

/** Run-wide counters the choke point keeps. */
export interface MutationTally {
  /** Calls that took effect, or whose outcome is unknown (no answer): a failure after one is partial. */
  applied: number;
}

export interface StepContextDeps {
  base: RunBaseContext;
  runId: string;
  step: PlannedStep;
  audit: AuditWriter;
  tally: MutationTally;
  signal: AbortSignal;
  pollMs: number;
  verifyMs: number;
  now: () => Date;
  report(text: string): void;
  approve(message: string): Promise<void>;
  /** Count of this step's mutations, kept in the run record. */
  onMutation(): void;
  /** A wait that converged, kept in the run record for the report's timeline. */
  onWait?(wait: StepWait): void;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export interface MutateDeps {
  audit: AuditWriter;
  /** The step (or "lock") the call belongs to, as the audit log names it. */
  stepId: string;
  tally: MutationTally;
  signal: AbortSignal;
  now: () => Date;
  onMutation?(): void;
}

/** No answer at all, or a 5xx: AWS may have taken the call. A 4xx answer means it did not. */
export function outcomeUnknown(e: unknown): boolean {
  if (!isAwsCallError(e)) return true;
  return e.details.unreachable || (e.details.httpStatus ?? 0) >= 500;
}

/**
 * THE choke point: intent on record, then the call, then its result (with the AWS request id). An
 * unknown outcome is settled with the caller's reconcile read: applied -> recorded as "applied
 * (answer lost)" and the run goes on; not applied -> the error stands, or, with `resend`, the call is
 * made once more under a second intent.
 */
export function makeMutate(d: MutateDeps): StepContext['mutate'] {
  return async function mutate<T extends MutationResult>(call: MutationCall, fn: () => Promise<T>, opts: MutateOptions<T> = {}): Promise<T> {
    if (d.signal.aborted) throw new InterruptedError();
    // No intent on record, no call: an audit failure here rejects before anything is sent.
    await d.audit.append('intent', { step: d.stepId, call });
    d.onMutation?.();
    const started = d.now().getTime();
    const ref = { step: d.stepId, service: call.service, region: call.region, operation: call.operation, target: call.target };
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      const error = isAwsCallError(e) ? { code: e.code, message: e.message, requestId: e.details.requestId, unreachable: e.details.unreachable } : { message: (e as Error).message };
      const durationMs = () => d.now().getTime() - started;
      if (opts.reconcile && outcomeUnknown(e)) {
        const seen = await opts.reconcile().then(
          (r) => (r === undefined ? ('not applied' as const) : { applied: r }),
          () => 'unknown' as const, // the read failed too: the outcome stays unknown
        );
        if (typeof seen === 'object') {
          d.tally.applied++;
          await d.audit.append('result', { ...ref, ok: true, outcome: 'applied (answer lost)', error, durationMs: durationMs() });
          return seen.applied;
        }
        if (seen === 'not applied') {
          await d.audit.append('result', { ...ref, ok: false, outcome: 'not applied (answer lost, read back)', error, durationMs: durationMs() });
          if (opts.resend) return mutate(call, fn, { reconcile: opts.reconcile });
          throw e;
        }
      }
      // An AWS error answer means the call did not take effect; no answer at all means it may have.
      if (!isAwsCallError(e) || e.details.unreachable) d.tally.applied++;
      // The call's own error is the one to report; if even this line cannot be written, the intent
      // without a result is itself the record that the outcome is unknown.
      await d.audit.append('result', { ...ref, ok: false, error, durationMs: durationMs() }).catch(() => undefined);
      throw e;
    }
    d.tally.applied++;
    await d.audit.append('result', { ...ref, ok: true, requestId: result.requestId, durationMs: d.now().getTime() - started });
    return result;
  };
}

export function makeStepContext(d: StepContextDeps): StepContext {
  const { step, signal } = d;
  const checkAbort = () => {
    if (signal.aborted) throw new InterruptedError();
  };
  const mutate = makeMutate({ audit: d.audit, stepId: step.id, tally: d.tally, signal, now: d.now, onMutation: d.onMutation });

  /**
   * The one polling loop of every verify. Its retry rule: a read that got no answer, was throttled,
   * or met a server error (5xx) is a passing failure and the wait goes on until its timeout; any
   * other error (not found, access denied) ends the wait at once. `expectedMs`, the operation's
   * typical duration, spaces the polls (poll-schedule.ts).
   */
  async function waitFor<T = void>(
    what: string,
    probe: () => Promise<{ done: boolean; detail: string; value?: T }>,
    opts: { timeoutMs?: number; intervalMs?: number; expectedMs?: number } = {},
  ): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? d.verifyMs;
    const intervalMs = opts.intervalMs ?? d.pollMs;
    const started = Date.now();
    let last = '';
    let polls = 0;
    let pendingAt: string | undefined;
    for (;;) {
      checkAbort();
      try {
        const readAt = d.now().toISOString();
        const r = await probe();
        polls++;
        last = r.detail;
        d.report(`${what}: ${r.detail}`);
        if (r.done) {
          // For the report's timeline: AWS finished after the last read that saw it pending and by
          // this one (AWS does not say when an asynchronous operation completed).
          d.onWait?.({ what, polls, startedAt: new Date(started).toISOString(), pendingAt, readAt, seenAt: d.now().toISOString() });
          return r.value as T;
        }
        pendingAt = readAt;
      } catch (e) {
        if (!isPassingFailure(e)) throw e;
        last = e.oneLine();
        d.report(`${what}: ${last} (retrying)`);
      }
      const elapsed = Date.now() - started;
      const left = timeoutMs - elapsed;
      if (left <= 0) throw new VerifyTimeoutError(what, timeoutMs, last);
      await sleep(Math.min(nextPollDelayMs(elapsed, intervalMs, opts.expectedMs), left), signal);
    }
  }

  return {
    ...d.base,
    runId: d.runId,
    mutate,
    waitFor,
    report: d.report,
    sleep: (ms) => sleep(ms, signal),
    signal,
    approve: d.approve,
  };
}
