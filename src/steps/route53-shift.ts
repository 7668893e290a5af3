// route53.shift, applying half: one ChangeResourceRecordSets per sub-step covering every record that
// moves, INSYNC before going on, a bake and a health gate between sub-steps, and, when the gate
// fails, the weights put back as they were before the step began.
import type { Region, RecordChange } from '../aws/types.js';
import { toMs } from '../config/schema.js';
import { defineStep, type PlannedStep, type StepContext } from './contract.js';
import { FailedError } from '../io/errors.js';
import { readHealth } from './health.js';
import { formatDuration } from './params.js';
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
  return Math.max(MIN_CHANGE_POLL_MS, toMs(ctx.topology.timeouts.poll));
}

/** Submit one change batch through the choke point and wait until Route 53 reports it INSYNC. */
async function submit(ctx: StepContext, step: PlannedStep<ShiftData>, data: ShiftData, changes: RecordChange[], why: string): Promise<void> {
  const r53 = ctx.aws.route53();
  const comment = `mr run ${ctx.runId} step ${step.id}: ${why}`;
  const info = await route53Call(() =>
    ctx.mutate(
      {
        service: 'route53',
        region: 'us-east-1',
        operation: 'ChangeResourceRecordSets',
        target: `hosted zone ${data.zoneId}`,
        params: { hostedZoneId: data.zoneId, comment, changes },
      },
      () => r53.changeRecords(data.zoneId, changes, comment),
    ),
  );
  if (info.status === 'INSYNC') return;
  // A change is never INSYNC the moment it is accepted: the first look waits one interval, which
  // keeps a sub-step to three Route 53 calls in its first second.
  ctx.report(`waiting for change ${info.changeId} (${why}) to reach INSYNC`);
  await ctx.sleep(pollMs(ctx));
  await ctx.waitFor(
    `Route 53 change ${info.changeId} (${why}) to reach INSYNC`,
    async () => {
      const c = await route53Call(() => r53.getChange(info.changeId));
      return { done: c.status === 'INSYNC', detail: `change ${info.changeId} ${c.status}` };
    },
    { intervalMs: pollMs(ctx) },
  );
}

/** Progress text: the first group's weights (the groups of one shift move together). */
function describe(weights: Record<string, Weights>): string {
  const first = Object.values(weights)[0] ?? {};
  return Object.entries(first).map(([r, w]) => `${r}=${w}`).join(' ');
}

async function failedGate(ctx: StepContext, data: ShiftData): Promise<string | null> {
  for (const [region, hcId] of Object.entries(data.gateChecks) as [Region, string][]) {
    const v = await route53Call(() => readHealth(ctx.aws, region, hcId));
    if (!v.healthy) return `${v.summary}: not healthy`;
  }
  return null;
}

async function apply(step: PlannedStep<ShiftData>, ctx: StepContext): Promise<void> {
  const data = step.data;
  let current = data.from;
  for (const [i, sub] of data.subSteps.entries()) {
    const label = `${sub.percent}% (${i + 1} of ${data.subSteps.length})`;
    if (i > 0 && data.bakeMs > 0) {
      ctx.report(`baking ${formatDuration(data.bakeMs)} before ${label}`);
      await ctx.sleep(data.bakeMs);
        }
    if (data.gate) {
      ctx.report(`checking health before ${label}`);
      const reason = await failedGate(ctx, data);
      if (reason) {
        if (i === 0) throw new FailedError(`health gate failed before ${label}: ${reason}; no weight was changed`);
        ctx.report(`health gate failed (${reason}); restoring the weights from before the step`);
        await submit(ctx, step, data, weightChanges(data, current, data.from), 'restore after failed health gate');
        throw new FailedError(`health gate failed before ${label}: ${reason}; weights restored to what they were before the step`);
      }
    }
    ctx.report(`weights ${describe(sub.groups)}: ${label}`);
    await submit(ctx, step, data, weightChanges(data, current, sub.groups), label);
    current = sub.groups;
  }
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
      for (const g of data.groups) {
        const read = await route53Call(() => r53.readRecords(data.zoneId, g.name, g.type));
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

export const route53Shift = defineStep({ kind: 'route53.shift', params: shiftParams, plan: planShift, apply, verify });
