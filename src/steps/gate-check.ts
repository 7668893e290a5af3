// What the gate kinds (gate.health, gate.lag) share. A gate is judged twice: at plan time, where a
// failed check refuses the whole plan before anything changes (exit 3), and again when the run
// reaches it, because the world may have moved since (a gate after the changes checks their result).
// A gate changes nothing: apply does nothing, verify re-reads and re-checks.
//
// The run-time check gets a bounded window, `within`, for the condition to be seen to hold: it is
// read at once and then every poll interval until it passes or the window ends. The default is two
// poll intervals (topology timeouts.poll), long enough to ride over one read that lands on a
// checker's flap or a throttled call, short enough that a real failure stops the run promptly. A
// playbook can set `within: 0` for a single read, or a longer window (e.g. `within: 2m` for a
// health check that needs its checkers' failure threshold to recover after a shift).
import { isAwsCallError } from '../aws/errors.js';
import { RefusedError } from '../io/errors.js';
import type { Check, StepContext, StepData, StepPlan } from './contract.js';
import { isPassingFailure } from './probe.js';
import { duration, optional } from './params.js';
import { formatDuration } from '../util/duration.js';

/** Windows past this are a typo (a gate is a check, not a wait: use a `wait` step). */
const MAX_WITHIN_MS = 3_600_000;

/** The gate's `within` param in ms; absent: the default (two poll intervals). */
export const withinParam = () => optional(duration({ maxMs: MAX_WITHIN_MS, maxText: '1h' }));

/** A gate's plan: it changes nothing and is never a no-op, because it is checked again when the run reaches it. */
export function gatePlan<D extends StepData>(g: { title: string; region: string; check: Check; data: D; observed: Record<string, unknown> }): StepPlan<D> {
  return { title: g.title, region: g.region, changes: [], checks: [g.check], noop: false, data: g.data, observed: g.observed };
}

export function defaultWithinMs(pollMs: number): number {
  return 2 * pollMs;
}

/** "observed 0/8, bound more than 18% of checkers" style tail for one-line reasons. */
export function describeValues(check: Check): string {
  if (check.observed === undefined && check.bound === undefined) return '';
  const show = (v: unknown) => (v === undefined || v === null ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));
  return ` (observed ${show(check.observed)}, bound ${show(check.bound)})`;
}

/** A gate that did not hold when the run reached it: a safety refusal (exit 3, or 5 after changes). */
export class GateFailedError extends RefusedError {
  constructor(
    readonly check: Check,
    withinMs: number,
  ) {
    super(`gate failed: ${check.name}: ${check.message}${describeValues(check)}${withinMs > 0 ? `, checked for ${formatDuration(withinMs)}` : ''}`);
  }
}

/**
 * Re-check a gate when the run reaches it. `read` reads the world and judges it into a Check. Passes
 * as soon as one read passes. When the window ends: GateFailedError with the last judgement, or, when
 * the reads themselves kept failing (no answer, throttled), the last read error as it came (the
 * gate could not be checked, which is not the same as failing it).
 */
export async function recheckGate(ctx: StepContext, what: string, withinMs: number | undefined, read: () => Promise<Check>): Promise<Check> {
  const pollMs = ctx.topology.timeouts.pollMs;
  const window = withinMs ?? defaultWithinMs(pollMs);
  const started = Date.now();
  let readError: unknown;
  let reads = 0;
  // The probe decides when the window is over (not waitFor's timeout): the outcome is then the
  // gate's own verdict with its observed value and bound, not a generic timeout.
  const verdict = await ctx.waitFor<Check | null>(
    what,
    async () => {
      // A window of more than 0 always gets a second read: a process stalled past the window
      // before its first read (load, GC) must not refuse a failover on one look.
      const over = window === 0 || (reads++ > 0 && Date.now() - started >= window);
      try {
        const check = await read();
        readError = undefined;
        return { done: check.passed || over, detail: check.message, value: check };
      } catch (e) {
        if (!isPassingFailure(e)) throw e;
        readError = e;
        return { done: over, detail: `read failed: ${isAwsCallError(e) ? e.oneLine() : (e as Error).message}`, value: null };
      }
    },
    // The backstop timeout is never the one that ends a gate: the probe ends it at `window`.
    { intervalMs: Math.max(1, Math.min(pollMs, window || pollMs)), timeoutMs: window + 10 * pollMs + 1000 },
  );
  if (verdict?.passed) return verdict;
  if (!verdict) throw readError;
  throw new GateFailedError(verdict, window);
}
