// route53.drain: take regions out of DNS for every latency and failover record of the topology by
// inverting each region's lever (its control check, or the records' own check), wait until Route 53
// reports it unhealthy, then prove it with TestDNSAnswer. Refuses to drain the last healthy region of
// a record, a PRIMARY whose SECONDARY is unhealthy, or below route53.minServingRegions.
import type { Region } from '../aws/types.js';
import { defineStep, type Change, type Check, type PlannedStep, type StepContext } from './contract.js';
import { judgeCheck } from './health-verdict.js';
import { route53Call } from './route53-down.js';
import { readRouting, routingParams, servingRegions, waitForAnswers, type Expectation, type Lever, type RoutingData } from './route53-routing.js';

/** Safety checks of taking `drained` out, given who serves now. Pure. */
export function drainChecks(data: RoutingData, drained: Region[], serving: Set<Region>, minServing: number): Check[] {
  const checks: Check[] = [];
  const out = new Set(drained);
  for (const rec of data.records) {
    const regions = Object.keys(rec.sets);
    if (!regions.some((r) => out.has(r))) continue;
    const left = regions.filter((r) => !out.has(r) && serving.has(r));
    if (rec.kind === 'failover') {
      const primary = rec.primary!;
      const secondary = regions.find((r) => r !== primary)!;
      if (out.has(primary) && !out.has(secondary) && !serving.has(secondary)) {
        checks.push({
          name: `${rec.key} secondary healthy`,
          passed: false,
          message: `record ${rec.key}: its SECONDARY (${secondary}) is not healthy, so draining the PRIMARY (${primary}) would leave no healthy answer`,
        });
        continue;
      }
    }
    if (left.length === 0) {
      const what = rec.kind === 'failover' ? 'Route 53 then answers the PRIMARY anyway, or nothing' : 'Route 53 then answers with all of them alike';
      checks.push({
        name: `${rec.key} keeps a healthy region`,
        passed: false,
        message: `record ${rec.key}: draining ${drained.join(', ')} would leave no healthy region (${what})`,
      });
      continue;
    }
    if (rec.kind === 'latency' && left.length < minServing) {
      checks.push({
        name: `${rec.key} keeps minServingRegions`,
        passed: false,
        bound: minServing,
        observed: left.length,
        message: `record ${rec.key}: draining ${drained.join(', ')} leaves ${left.length} serving region(s) (${left.join(', ')}), below route53.minServingRegions ${minServing}`,
      });
      continue;
    }
    checks.push({ name: `${rec.key} keeps serving`, passed: true, message: `record ${rec.key}: ${left.join(', ')} keep serving` });
  }
  return checks;
}

/** The lever of each region, inverted through the choke point (HealthCheckVersion as read: a check changed since is refused). */
export async function setInverted(ctx: StepContext, step: PlannedStep<RoutingData>, lever: Lever, inverted: boolean): Promise<void> {
  ctx.report(`${inverted ? 'inverting' : 'un-inverting'} ${lever.mode === 'control' ? 'control' : 'health'} check ${lever.checkId} (${lever.region})`);
  // No reconcile: a lost answer is not re-sent (HealthCheckVersion would refuse it once applied); the
  // step fails as partly applied and a resume re-plans from the check as it then reads.
  await route53Call(() =>
    ctx.mutating.route53().setHealthCheckInverted(lever.checkId, inverted, lever.version, { note: { step: step.id, region: lever.region } }),
  );
}

/** Wait until Route 53's verdict on each lever is what the step set (an endpoint check: GetHealthCheckStatus works on it). */
export async function waitForLevers(ctx: StepContext, levers: Lever[], inverted: boolean): Promise<void> {
  const r53 = ctx.aws.route53();
  await ctx.waitFor(
    `Route 53 to report ${levers.map((l) => `${l.checkId} (${l.region})`).join(', ')} ${inverted ? 'unhealthy' : 'healthy'}`,
    async () => {
      const off: string[] = [];
      for (const l of levers) {
        const v = judgeCheck({ inverted, disabled: l.disabled }, await route53Call(() => r53.getHealthCheckStatus(l.checkId)));
        if (v.healthy === inverted) off.push(`${l.region} check ${l.checkId} still ${v.healthy ? 'healthy' : 'unhealthy'}`);
      }
      return { done: off.length === 0, detail: off.length ? off.join('; ') : 'every check as set' };
    },
    { intervalMs: Math.max(1000, ctx.topology.timeouts.pollMs) },
  );
}

function describeLever(l: Lever): string {
  return l.mode === 'control' ? `invert control check ${l.checkId}` : `invert ${l.region}'s own health check ${l.checkId} (no control check in the topology)`;
}

export const route53Drain = defineStep({
  kind: 'route53.drain',
  params: routingParams,
  async plan(id, p, ctx) {
    const { data, checks, configs } = await readRouting('route53.drain', id, p, ctx);
    const affected = data.regions.filter((r) => data.records.some((rec) => rec.sets[r]));
    const todo = affected.filter((r) => data.levers[r] && !data.levers[r].inverted);
    const changes: Change[] = todo.map((r) => ({
      resource: `health check ${data.levers[r].checkId}`,
      attribute: `Inverted (${r} ${data.levers[r].mode === 'control' ? 'control' : 'own'} check)`,
      from: false,
      to: true,
      risk: 'disruptive',
      region: r,
    }));
    if (todo.length > 0 && checks.every((c) => c.passed)) {
      const serving = await servingRegions(ctx.aws, data, configs);
      checks.push(...drainChecks(data, todo, serving, ctx.topology.route53?.minServingRegions ?? 1));
    }
    for (const r of todo) checks.push({ name: `${r} lever`, passed: true, message: `${r}: ${describeLever(data.levers[r])}` });
    const leftAlone = data.records.flatMap((r) => r.leftAlone);
    if (leftAlone.length) checks.push({ name: 'other records left alone', passed: true, message: `left alone: ${leftAlone.join(', ')}` });
    const names = data.records.filter((rec) => affected.some((r) => rec.sets[r])).map((r) => r.key);
    return {
      title: affected.length
        ? `Take ${affected.join(', ')} out of DNS for ${names.join(', ')}`
        : `Take ${data.regions.join(', ') || 'no region'} out of DNS: no latency or failover record to move`,
      region: 'us-east-1',
      changes,
      checks,
      noop: todo.length === 0,
      data: { ...data, regions: todo },
      observed: { records: data.records.map((r) => ({ key: r.key, sets: r.sets })), levers: data.levers },
    };
  },
  async apply(step, ctx) {
    for (const r of step.data.regions) await setInverted(ctx, step, step.data.levers[r], true);
  },
  async verify(step, ctx) {
    const data = step.data;
    await waitForLevers(
      ctx,
      data.regions.map((r) => data.levers[r]),
      true,
    );
    const expectations: Expectation[] = [];
    for (const rec of data.records) {
      const out = data.regions.filter((r) => rec.sets[r]);
      if (out.length === 0) continue;
      if (rec.kind === 'failover') {
        if (out.includes(rec.primary!)) expectations.push({ rec, not: out, text: `${rec.key} from its SECONDARY` });
      } else {
        for (const near of out)
          if (data.clientSubnets[near]) expectations.push({ rec, near, not: out, text: `${rec.key} to clients near ${near} from another region` });
      }
    }
    await waitForAnswers(ctx, data, expectations);
  },
});
