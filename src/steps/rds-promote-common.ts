// What rds.promote-replica (DB instances, ReplicaLag) and rds.promote-replica-cluster (Aurora clusters,
// AuroraBinlogReplicaLag) share: the parameters, the data a promotion carries, its checks and change for the
// two cuts, the cut itself (fenced and caught up for a planned cut, the lag read at the cut), the recheck
// before an unplanned cut's stage (cut-lag.ts) and the RPO bound.
import { z } from 'zod';
import type { Region } from '../aws/types.js';
import { rpoBound, type Change, type Check, type PlanContext, type PlannedStep, type RecheckAsk, type RpoBound, type StepContext } from './contract.js';
import { impairedAtPlan, lagMarginParam, recheckCutLag, UNPLANNED_CUT_NOTE } from './cut-lag.js';
import { optional, region, stepParams, type ParamEnv } from './params.js';
import { fencedAndCaughtUp, lagText, writersOf } from './rds-common.js';

const cutField = z
  .preprocess((v) => (v === null ? undefined : v), z.enum(['planned', 'unplanned']).optional())
  .meta({ description: 'planned (fenced, waits for lag 0, RPO 0) or unplanned (data loss allowed)' });

export const promoteParams = (env: ParamEnv) => stepParams({ target: region(env), cut: optional(cutField), lagMargin: lagMarginParam() });
export type PromoteParams = z.output<ReturnType<typeof promoteParams>>;

/** The data of a promotion, beside the id of what is promoted. */
export type PromotionData = {
  target: string;
  cut: 'planned' | 'unplanned';
  source: { region: string; id: string } | null;
  /** The lag at plan time (ms; null: no datapoint). */
  dataAtRiskMs: number | null;
  /** The lag read at the cut, just before the promotion call (written by apply, kept in the run record). */
  cutLagMs?: number | null;
  /** Replication was already impaired at plan time (cut-lag.ts impairedAtPlan). */
  sourceDownAtPlan?: boolean;
  lagMarginMs?: number;
};

export type Lag = { lagMs: number | null; error?: string };

/** What is promoted, for the shared checks and change: "rds instance x" or "rds cluster x", its metric's name. */
export interface Promotable {
  resource: string;
  id: string;
  status: string;
  /** "read replica of" / "read replica cluster of". */
  role: string;
  describe: string;
  lagName: string;
}

/**
 * The checks and the change of a promotion from its source (`src`) read with its lag. Sets the data's
 * dataAtRiskMs and, for an unplanned cut, what the recheck needs.
 */
export function promotionPlan(
  p: PromoteParams,
  r: Promotable,
  src: { region: Region; id: string },
  lag: Lag,
  topology: PlanContext['topology'],
  data: PromotionData,
): { title: (base: string) => string; checks: Check[]; changes: Change[] } {
  const cut = data.cut;
  const bound = topology.rds?.maxLagMs ?? 60_000;
  data.source = { region: src.region, id: src.id };
  data.dataAtRiskMs = lag.lagMs;
  const checks: Check[] = [
    {
      name: 'cross-region replica',
      passed: src.region !== p.target,
      observed: src.region,
      message:
        src.region !== p.target
          ? r.describe
          : `${r.id}'s source ${src.id} is in the same region ${p.target}: promoting it moves nothing out of the region (use a cross-region replica)`,
    },
    { name: 'replica available', passed: r.status === 'available', observed: r.status, bound: 'available', message: `${r.id} in ${p.target} is ${r.status}` },
  ];
  if (cut === 'planned') {
    checks.push({
      name: 'replica lag under bound',
      passed: lag.lagMs === null || lag.lagMs <= bound,
      observed: lag.lagMs,
      bound,
      message:
        lag.lagMs !== null && lag.lagMs > bound
          ? `${r.id} ${r.lagName} ${lagText(lag.lagMs)} is above the bound ${bound} ms (rds.maxLagMs): it would not catch up in time`
          : `${r.lagName} ${lagText(lag.lagMs)}, bound ${bound} ms`,
    });
    checks.push(fencedCheck(topology, src.region, `${r.lagName} must reach 0 (now ${lagText(lag.lagMs)})`));
  } else {
    data.sourceDownAtPlan = impairedAtPlan(lag.lagMs, bound);
    if (p.lagMargin !== undefined) data.lagMarginMs = p.lagMargin;
    checks.push({
      name: 'data at risk',
      passed: true,
      warning: true,
      observed: lag.lagMs,
      message: `writes from the last ${lagText(lag.lagMs)} before the promotion may be lost (${r.lagName} of ${r.id}${lag.error ? `; ${lag.error}` : ''}); promotion is one-way`,
    });
  }
  return {
    title: (base) => (cut === 'planned' ? `${base} (planned cut, RPO 0)` : `${base} (unplanned): data at risk ${lagText(lag.lagMs)}`),
    checks,
    changes: [promotionChange(r.resource, `${r.role} ${src.id} (${src.region})`, cut, p.target)],
  };
}

export function promotionChange(resource: string, from: string, cut: 'planned' | 'unplanned', target: Region): Change {
  return { resource, attribute: 'role', from, to: 'standalone primary', risk: cut === 'planned' ? 'disruptive' : 'data-loss', region: target };
}

/** A planned cut's check that the source region's writers are named, so the cut can see they are fenced. */
export function fencedCheck(topology: PlanContext['topology'], sourceRegion: Region, lagClause: string): Check {
  const writers = writersOf(topology, sourceRegion);
  return {
    name: 'source writers fenced at the cut',
    passed: !!writers,
    observed: writers ? `${writers.cluster}/${writers.services.join(',')}` : 'none named',
    message: writers
      ? `at the cut, ${sourceRegion}'s writers (${writers.services.join(', ')}) must be at 0 and ${lagClause}: RPO 0`
      : `a planned cut needs the writer services of ${sourceRegion} marked \`writer: true\` in the topology (to check they are fenced)`,
  };
}

/** The cut: a planned one waits fenced until the lag is 0; either reads the lag it cuts at into the data. */
export async function cutAt(step: PlannedStep<PromotionData>, lagOf: string, readLag: () => Promise<Lag>, ctx: StepContext): Promise<void> {
  const d = step.data;
  if (d.cut === 'planned') await fencedAndCaughtUp(step.id, d.source!.region, lagOf, readLag, ctx);
  d.cutLagMs = (await readLag()).lagMs;
}

/** Before the stage of an unplanned cut: the lag now against the data at risk approved (cut-lag.ts). */
export async function recheckPromotion(
  step: PlannedStep<PromotionData>,
  ctx: PlanContext,
  ask: RecheckAsk,
  readLag: () => Promise<Lag>,
): Promise<string | undefined> {
  const d = step.data;
  if (d.cut !== 'unplanned' || step.inProgress || !d.source) return undefined;
  const lag = await readLag();
  return recheckCutLag(
    { stepId: step.id, approvedMs: d.dataAtRiskMs, cutMs: lag.lagMs, sourceDownAtPlan: d.sourceDownAtPlan === true, marginMs: d.lagMarginMs },
    ctx,
    ask,
  );
}

/** The lag at the cut when apply read it, else the plan's reading: what the promotion can lose. */
export function promotionRpo(step: Pick<PlannedStep<PromotionData>, 'data'>, lagName: string): RpoBound | undefined {
  return rpoBound(
    step.data.cutLagMs ?? step.data.dataAtRiskMs,
    step.data.cut === 'planned' ? `planned cut: the source writers were fenced and ${lagName} reached 0 before the promotion` : UNPLANNED_CUT_NOTE,
  );
}
