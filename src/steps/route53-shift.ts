// route53.shift, applying half: one ChangeResourceRecordSets per sub-step covering every record that
// moves, INSYNC before going on, a bake and a health gate between sub-steps, and, when the gate
// fails, the weights put back as they were before the step began.
import { isAwsCallError } from '../aws/errors.js';
import type { Region, RecordChange, Route53Reads } from '../aws/types.js';
import { expectedMs } from './probe.js';
import { defineStep, type PlanContext, type PlannedStep, type StepContext } from './contract.js';
import { FailedError, RolledBackError } from '../io/errors.js';
import { readHealth } from './health.js';
import { formatDuration } from '../util/duration.js';
import { route53Call } from './route53-down.js';
import { planShift, shiftParams, type ShiftData } from './route53-shift-plan.js';
import type { Weights } from './weights.js';

/** Route 53 allows 5 requests a second per account: GetChange is polled no more than once a second. */
const MIN_CHANGE_POLL_MS = 1000;

/** UPSERTs for every record whose weight differs between `before` and `after`; every other field as read. */
export function weightChanges(data: ShiftData, before: Record<string, Weights>, after: Record<string, Weights>): RecordChange[] {
  const out: RecordChange[] = [];
  for (const g of data.groups) {
    for (const [region, weight] of Object.entries(after[g.key] ?? {})) {
      if (before[g.key]?.[region] === weight) continue;
      out.push({ action: 'UPSERT', record: { ...g.records[region], weight } });
    }
  }
  return out;
}

function pollMs(ctx: StepContext): number {
  return Math.max(MIN_CHANGE_POLL_MS, ctx.topology.timeouts.pollMs);
}

/**
 * How long after a change is accepted mr first looks at it: one interval; with a typical INSYNC time
 * (timeouts.expected.route53Sync) longer than two intervals, half of it, the first gap of the poll
 * schedule (src/engine/poll-schedule.ts). A look sooner than that would only see PENDING: "changes
 * generally propagate to all Route 53 name servers within 60 seconds" (Route 53 API reference,
 * GetChange, https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetChange.html).
 */
function firstLookMs(ctx: StepContext): number {
  const ms = expectedMs(ctx.topology, 'route53Sync');
  return ms === undefined || ms <= 2 * pollMs(ctx) ? pollMs(ctx) : Math.floor(ms / 2);
}

/** The typical INSYNC time, less the time already slept before the first look. */
function inSyncAfterMs(ctx: StepContext): number | undefined {
  const ms = expectedMs(ctx.topology, 'route53Sync');
  return ms === undefined ? undefined : Math.max(0, ms - firstLookMs(ctx));
}

/**
 * PriorRequestNotComplete: "The request was rejected because Route 53 was still processing a prior
 * request" for the zone, documented as retryable (Route 53 API reference, ChangeResourceRecordSets,
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html). The batch
 * was not applied, so it is sent again after a pause, each attempt audited as its own intent.
 */
const PRIOR_REQUEST_RETRIES = 5;

/** One change batch through the choke point. */
async function send(ctx: StepContext, data: ShiftData, changes: RecordChange[], comment: string) {
  const r53 = ctx.aws.route53();
  for (let attempt = 1; ; attempt++) {
    try {
      return await route53Call(() =>
        // Answer lost: every record reading as the batch wrote it means the batch was accepted (a batch
        // is applied as a whole or not at all: ChangeResourceRecordSets, Route 53 API reference). Its
        // change id is lost with the answer, so its propagation cannot be followed; verify reads the weights.
        ctx.mutating.route53().changeRecords(data.zoneId, changes, comment, {
          reconcile: async () => ((await batchVisible(r53, data.zoneId, changes)) ? { changeId: '', status: 'PENDING' as const } : undefined),
          resend: true,
        }),
      );
    } catch (e) {
      if (!isAwsCallError(e) || e.code !== 'PriorRequestNotComplete' || attempt > PRIOR_REQUEST_RETRIES) throw e;
      ctx.report(
        `Route 53 is still processing a prior change to zone ${data.zoneId}; sending again in ${formatDuration(pollMs(ctx))} (attempt ${attempt + 1})`,
      );
      await ctx.sleep(pollMs(ctx) * attempt);
    }
  }
}

/**
 * Submit one change batch and wait until Route 53 reports it INSYNC. A GetChange that answers
 * NoSuchChange means Route 53 no longer knows the change: after a us-east-1 impairment with accelerated
 * recovery, changes that were pending are stranded and "must be resubmitted" (Route 53 developer guide,
 * accelerated recovery, https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/accelerated-recovery.html;
 * AWS-FACTS §10). mr re-reads the records: in effect, it goes on; not in effect, it resubmits the batch
 * (a new audited intent whose comment says why) and waits for the new change.
 */
async function submit(ctx: StepContext, step: PlannedStep<ShiftData>, data: ShiftData, changes: RecordChange[], why: string): Promise<void> {
  const r53 = ctx.aws.route53();
  let comment = `mr run ${ctx.runId} step ${step.id}: ${why}`;
  for (let round = 0; ; round++) {
    const info = await send(ctx, data, changes, comment);
    if (info.status === 'INSYNC') return;
    if (info.changeId === '') {
      ctx.report(`change (${why}) accepted, its answer lost: not following its propagation`);
      return;
    }
    // A change is never INSYNC the moment it is accepted: the first look waits at least one interval,
    // which keeps a sub-step to three Route 53 calls in its first second.
    ctx.report(`waiting for change ${info.changeId} (${why}) to reach INSYNC`);
    await ctx.sleep(firstLookMs(ctx));
    let stranded = false;
    await ctx.waitFor(
      `Route 53 change ${info.changeId} (${why}) to reach INSYNC`,
      async () => {
        try {
          const c = await route53Call(() => r53.getChange(info.changeId));
          return { done: c.status === 'INSYNC', detail: `change ${info.changeId} ${c.status}` };
        } catch (e) {
          if (!isAwsCallError(e) || e.code !== 'NoSuchChange') throw e;
          stranded = true;
          return { done: true, detail: `change ${info.changeId} is unknown to Route 53 (NoSuchChange)` };
        }
      },
      { intervalMs: pollMs(ctx), expectedMs: inSyncAfterMs(ctx) },
    );
    if (!stranded) return;
    if (await route53Call(() => batchVisible(r53, data.zoneId, changes))) {
      ctx.report(`change ${info.changeId} is unknown to Route 53 (NoSuchChange), but the records read as it set them: going on`);
      return;
    }
    if (round >= 2)
      throw new FailedError(`Route 53 change ${info.changeId} (${why}) was lost (NoSuchChange) ${round + 1} times and the records are not as planned`);
    ctx.report(`change ${info.changeId} is unknown to Route 53 (NoSuchChange) and not in effect: resubmitting`);
    comment = `mr run ${ctx.runId} step ${step.id}: ${why} (resubmitted: change ${info.changeId} answered NoSuchChange)`;
  }
}

/** Do the records read as this batch of UPSERTs writes them (by set identifier and weight)? */
async function batchVisible(r53: Route53Reads, zoneId: string, changes: RecordChange[]): Promise<boolean> {
  for (const c of changes) {
    const read = await r53.readRecords(zoneId, c.record.name, c.record.type);
    const now = read.find((r) => r.setIdentifier === c.record.setIdentifier);
    if (now?.weight !== c.record.weight) return false;
  }
  return true;
}

/** Progress text: the first group's weights (the groups of one shift move together). */
function describe(weights: Record<string, Weights>): string {
  const first = Object.values(weights)[0] ?? {};
  return Object.entries(first)
    .map(([r, w]) => `${r}=${w}`)
    .join(' ');
}

async function failedGate(ctx: StepContext, data: ShiftData): Promise<string | null> {
  for (const [region, hcId] of Object.entries(data.gateChecks) as [Region, string][]) {
    const v = await route53Call(() => readHealth(ctx.aws, region, hcId, data.gateConfigs?.[region] ?? { inverted: false, disabled: false }));
    if (!v.healthy) return `${v.summary}: not healthy`;
  }
  return null;
}

/** Put the weights back as they were before the step, and say where they are now. */
async function rollBack(
  ctx: StepContext,
  step: PlannedStep<ShiftData>,
  data: ShiftData,
  current: Record<string, Weights>,
  label: string,
  reason: string,
  when: string,
): Promise<never> {
  ctx.report(`health gate failed (${reason}); restoring the weights from before the step`);
  await submit(ctx, step, data, weightChanges(data, current, data.from), 'restore after failed health gate');
  throw new RolledBackError(`health gate failed before ${label}: ${reason}; weights restored to what they were before the step: ${describe(data.from)}${when}`);
}

/**
 * Bake between sub-steps, watching the gaining regions' health every poll: a region that turns
 * unhealthy five seconds into a one-minute bake is rolled back then, not 55 seconds later. One
 * GetHealthCheckStatus per gaining region per poll (at least a second apart) keeps well under
 * Route 53's 5 requests a second.
 */
async function bake(ctx: StepContext, data: ShiftData, label: string): Promise<{ reason: string; afterMs: number } | null> {
  // The bake is counted in the time slept, so it lasts at least bakeMs however long the reads take.
  let baked = 0;
  while (baked < data.bakeMs && !ctx.signal.aborted) {
    const left = data.bakeMs - baked;
    ctx.report(`baking ${formatDuration(data.bakeMs)} before ${label}, watching health (${formatDuration(left)} left)`);
    const nap = Math.min(pollMs(ctx), left);
    await ctx.sleep(nap);
    baked += nap;
    if (!data.gate || ctx.signal.aborted) continue;
    const reason = await failedGate(ctx, data);
    if (reason) return { reason, afterMs: baked };
  }
  return null;
}

async function apply(step: PlannedStep<ShiftData>, ctx: StepContext): Promise<void> {
  const data = step.data;
  let current = data.from;
  for (const [i, sub] of data.subSteps.entries()) {
    const label = `${sub.percent}% (${i + 1} of ${data.subSteps.length})`;
    if (i > 0 && data.bakeMs > 0) {
      const sick = await bake(ctx, data, label);
      if (sick)
        await rollBack(
          ctx,
          step,
          data,
          current,
          label,
          sick.reason,
          ` (unhealthy ${formatDuration(sick.afterMs)} into the ${formatDuration(data.bakeMs)} bake)`,
        );
    }
    if (data.gate) {
      ctx.report(`checking health before ${label}`);
      const reason = await failedGate(ctx, data);
      if (reason) {
        if (i === 0) throw new FailedError(`health gate failed before ${label}: ${reason}; no weight was changed`);
        await rollBack(ctx, step, data, current, label, reason, '');
      }
    }
    ctx.report(`weights ${describe(sub.groups)}: ${label}`);
    await submit(ctx, step, data, weightChanges(data, current, sub.groups), label);
    current = sub.groups;
  }
}

/** Where an interrupted shift left the weights: read back, since the interrupt may have come mid-batch. */
async function interrupted(step: PlannedStep<ShiftData>, ctx: PlanContext): Promise<string> {
  const data = step.data;
  const r53 = ctx.aws.route53();
  const now: Record<string, Weights> = {};
  for (const g of data.groups) {
    const read = await route53Call(() => r53.readRecords(data.zoneId, g.name, g.type));
    now[g.key] = Object.fromEntries(
      Object.entries(g.records).map(([region, rec]) => [region, read.find((r) => r.setIdentifier === rec.setIdentifier)?.weight ?? 0]),
    );
  }
  return `weights left at ${describe(now)}`;
}

async function verify(step: PlannedStep<ShiftData>, ctx: StepContext): Promise<void> {
  const data = step.data;
  const last = data.subSteps[data.subSteps.length - 1];
  if (!last) return;
  const r53 = ctx.aws.route53();
  await ctx.waitFor(
    'Route 53 weights to read as planned',
    async () => {
      const off: string[] = [];
      const reads = await Promise.all(data.groups.map((g) => route53Call(() => r53.readRecords(data.zoneId, g.name, g.type, Object.keys(g.records).length))));
      for (const [index, g] of data.groups.entries()) {
        const read = reads[index];
        for (const [region, want] of Object.entries(last.groups[g.key])) {
          const setId = g.records[region].setIdentifier;
          const got = read.find((r) => r.setIdentifier === setId)?.weight;
          if (got !== want) off.push(`${g.key} ${setId} weight ${got ?? 'missing'}, want ${want}`);
        }
      }
      return { done: off.length === 0, detail: off.length ? off.join('; ') : 'all weights as planned' };
    },
    { intervalMs: pollMs(ctx) },
  );
}

export const route53Shift = defineStep({ kind: 'route53.shift', params: shiftParams, plan: planShift, apply, verify, interrupted });
