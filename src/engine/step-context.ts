// The StepContext each step's apply() and verify() get: the adapters' mutating methods bound to the
// run's audit log, polling with a timeout, abortable sleep. The choke point itself is in the AWS
// layer (src/aws/mutation.ts); the engine gives it the sink it writes to (auditSink).
import { isPassingFailure } from '../aws/errors.js';
import { forgetPlanReads, planReadsForGate } from '../aws/read-cache.js';
import type { Aws, MutationSink, ReadAws } from '../aws/types.js';
import type { AuditWriter } from '../audit/log.js';
import { formatElapsed } from '../util/duration.js';
import { nextPollDelayMs } from './poll-schedule.js';
import type { StepWait } from './run-record.js';
import type { PlannedStep, RunBaseContext, StepContext } from './types.js';

/** The run was interrupted (SIGINT / abort) before this point; raised instead of starting more work. */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/**
 * A step of a parallel stage stopped before it sent its change, because a sibling failed: starting a
 * change (a promotion) in a stage that has already failed would only widen what the operator must sort
 * out, and its wait (a lag reaching 0) could run to its whole timeout first. Recorded as interrupted:
 * nothing of it was applied, and `mr resume` plans it again.
 */
export class SiblingFailedError extends InterruptedError {
  constructor(sibling: string) {
    super();
    this.name = 'SiblingFailedError';
    this.message = `stopped before making its change: ${sibling} failed in the same stage`;
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
  /** Called synchronously when the step commits to a change (before its intent is written). */
  onIntent?(): void;
  /** A wait that converged, kept in the run record for the report's timeline. */
  onWait?(wait: StepWait): void;
  /** A warning the step's verify raised (StepContext.warn); without one it is only reported as progress. */
  warn?(message: string): Promise<void>;
  /** A note the step's verify made (StepContext.note); without one it is only reported as progress. */
  note?(message: string): Promise<void>;
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
  /** Synchronous, before the intent is written: from here on the call is sent unless the write fails. */
  onIntent?(): void;
}

/**
 * The audit log as the choke point's sink: an intent is appended before the call is sent (an
 * interrupted run, or a log that cannot be written, sends nothing), the result after it, with the
 * AWS request id. A call that took effect, or may have, counts in the run's tally.
 */
export function auditSink(d: MutateDeps): MutationSink {
  return {
    now: () => d.now().getTime(),
    async intent(call) {
      if (d.signal.aborted) throw new InterruptedError();
      d.onIntent?.();
      await d.audit.append('intent', { step: d.stepId, call });
      d.onMutation?.();
    },
    async result(call, end) {
      if (end.applied) d.tally.applied++;
      const { applied: _counted, ...written } = end;
      await d.audit.append('result', {
        step: d.stepId,
        service: call.service,
        region: call.region,
        operation: call.operation,
        target: call.target,
        ...written,
      });
    },
  };
}

/** What a step may call to read: the Aws without its way to mutate (no sink, no mutation). */
export function readOnly(aws: ReadAws): ReadAws {
  return {
    route53: () => aws.route53(),
    rds: (region) => aws.rds(region),
    elasticache: (region) => aws.elasticache(region),
    ecs: (region) => aws.ecs(region),
    sts: (region) => aws.sts(region),
    cloudwatch: (region) => aws.cloudwatch(region),
    applicationAutoScaling: (region) => aws.applicationAutoScaling(region),
    ecr: (region) => aws.ecr(region),
    secretsManager: (region) => aws.secretsManager(region),
    iam: () => aws.iam(),
    discovery: () => aws.discovery(),
    ...(aws.sandbox ? { sandbox: () => aws.sandbox!() } : {}),
    ...(aws.dns ? { dns: () => aws.dns!() } : {}),
  };
}

export function mutatingFor(aws: Aws, d: MutateDeps) {
  return aws.mutating(auditSink(d));
}

/** The check-only kinds (src/steps/gate-*.ts). */
const GATE_KINDS = new Set(['gate.health', 'gate.lag']);

export function makeStepContext(d: StepContextDeps): StepContext {
  const { step, signal } = d;
  const checkAbort = () => {
    if (signal.aborted) throw new InterruptedError();
  };
  // When this step last sent a change (its intent written): a wait that starts right after knows the
  // operation has only just begun.
  let changedAt: number | undefined;
  const onMutation = () => {
    changedAt = Date.now();
    forgetPlanReads(d.base.aws);
    d.onMutation();
  };
  const mutating = mutatingFor(d.base.aws, { audit: d.audit, stepId: step.id, tally: d.tally, signal, now: d.now, onMutation, onIntent: d.onIntent });

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
    // Right after this step's own change to an operation with a typical duration, a look could only
    // see it in progress: the first one waits the schedule's first gap. A wait that finds an operation
    // already under way (a resumed run: no change sent) looks at once.
    const expected = opts.expectedMs;
    if (expected !== undefined && expected > 2 * intervalMs && changedAt !== undefined && started - changedAt < intervalMs) {
      await sleep(Math.min(nextPollDelayMs(0, intervalMs, expected), timeoutMs), signal);
    }
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
    topology: d.base.topology,
    flags: d.base.flags,
    // A gate reached right after the plan may take that plan's read of its question once (read-cache.ts).
    aws: GATE_KINDS.has(step.kind) ? planReadsForGate(readOnly(d.base.aws), d.base.aws) : readOnly(d.base.aws),
    runId: d.runId,
    mutating,
    waitFor,
    report: d.report,
    warn: async (message) => (d.warn ? d.warn(message) : d.report(`warning: ${message}`)),
    note: async (message) => (d.note ? d.note(message) : d.report(message)),
    sleep: (ms) => sleep(ms, signal),
    signal,
    approve: d.approve,
  };
}
