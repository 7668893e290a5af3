// Data at risk, read again at the cut (issue 11 item 11). An unplanned cut (aurora.failover,
// rds.promote-replica with cut: unplanned) is approved with the replication lag the plan read as its
// data at risk. Just before the stage that makes the cut starts, the lag is read again; when it has grown
// by more than the bound (the step's `lagMargin`, else the topology's cutLagMarginMs, default 30 s),
// the operator approved less than the cut would lose: a terminal asks again, --yes refuses (exit 3,
// nothing more changed: the stage, and so its parallel steps, does not start; recorded in the audit log).
//
// When the lag the plan read was already above its normal bound (aurora.maxLagMs, rds.maxLagMs), the
// operator approved failing over an outage, or a replication failure, already under way: the lag metric
// then keeps counting the time since the last replicated write, while a failed primary takes no more
// writes. AWS does not document the lag metric's values while the primary's region is unreachable; the
// growth is shown, not asked again. When the lag was normal at plan time and has grown by the cut
// (replication fell behind, or the region went down after the approval), more writes than approved may
// be lost: that is asked again.
import { RefusedError } from '../io/errors.js';
import type { PlanContext, RecheckAsk } from './contract.js';
import { duration, optional } from './params.js';

/** The RPO note of a cut made without waiting for the target to catch up. */
export const UNPLANNED_CUT_NOTE = 'unplanned failover: writes not yet replicated when the cut was made are lost, up to this bound';

/** A cut stopped before its stage because the lag grew past what was approved: exit 3 even after earlier changes. */
export class CutLagRefusedError extends RefusedError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = 'CutLagRefusedError';
  }
}

/** The `lagMargin` step parameter: overrides the topology's cutLagMarginMs for this step. */
export const lagMarginParam = () => optional(duration({ maxMs: 86_400_000, maxText: '24h' }));

/**
 * Was replication already impaired when the plan was made: a lag above its normal bound (`boundMs`:
 * aurora.maxLagMs, rds.maxLagMs)? Judged from the lag alone, read in the target region: the unplanned
 * cut calls nothing else, not even Route 53 (the source's region, and Route 53 with it, may be down).
 */
export function impairedAtPlan(lagMs: number | null, boundMs: number | undefined): boolean {
  return lagMs !== null && boundMs !== undefined && lagMs > boundMs;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface CutLag {
  stepId: string;
  /** What the plan showed as data at risk (ms; null: no reading, nothing to compare). */
  approvedMs: number | null;
  /** The lag read now, before the cut (ms; null: no datapoint). */
  cutMs: number | null;
  /** impairedAtPlan(): the approval was for an outage (or a replication failure) already under way. */
  sourceDownAtPlan: boolean;
  /** The step's lagMargin, if it has one. */
  marginMs?: number;
}

/**
 * Compare the lag before the cut with the one approved. Resolves when the cut may go on; asks on a
 * terminal (ask rejects when declined); throws CutLagRefusedError under --yes or with no terminal.
 */
export async function recheckCutLag(c: CutLag, ctx: PlanContext, ask: RecheckAsk): Promise<string | undefined> {
  const margin = c.marginMs ?? ctx.topology.cutLagMarginMs;
  if (c.approvedMs === null || c.cutMs === null)
    return c.cutMs === null ? 'no lag datapoint before the cut: nothing to compare with what was approved' : undefined;
  const grown = c.cutMs - c.approvedMs;
  if (grown <= margin) return undefined;
  const what = `replication lag before the cut is ${secs(c.cutMs)}, ${secs(grown)} more than the ${secs(c.approvedMs)} of data at risk approved (bound ${secs(margin)})`;
  if (c.sourceDownAtPlan)
    return `${what}; replication was already impaired (lag above its bound) when the plan was approved, so this is the outage that was approved`;
  // --require-approval never is --yes by another name (approval.ts): it refuses here too.
  const unattended = ctx.flags.yes || (ctx.flags.requireApproval ?? ctx.topology.requireApproval) === 'never';
  if (unattended || !ask.interactive) {
    throw new CutLagRefusedError(
      `${c.stepId}: ${what}: more data may be lost than was approved`,
      're-run (or mr resume) to see and approve the data at risk now, or raise topology cutLagMarginMs / the step lagMargin',
    );
  }
  await ask.ask(`${c.stepId}: ${what}. Fail over anyway, losing up to ${secs(c.cutMs)} of writes?`);
  return undefined;
}
