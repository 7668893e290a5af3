// route53.drain: take regions out of DNS for every latency and failover record of the topology by
// inverting each region's lever (its control check, or the records' own check), wait until Route 53
// reports it unhealthy, then prove it with TestDNSAnswer. Refuses to drain the last healthy region of
// a record, a PRIMARY whose SECONDARY is unhealthy, or below route53.minServingRegions.
// Never inverts a failing check (see ownCheckState below).
import type { HealthCheckInfo, Region } from '../aws/types.js';
import { defineStep, type Change, type Check, type PlanContext, type PlannedStep, type StepContext } from './contract.js';
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

/**
 * Wait until Route 53's verdict on each lever is what the step set (an endpoint check: GetHealthCheckStatus
 * works on it): unhealthy once inverted, healthy once put back, unless `healthy` says otherwise (a failing
 * check un-inverted reads unhealthy).
 */
export async function waitForLevers(ctx: StepContext, levers: Lever[], inverted: boolean, healthy = !inverted): Promise<void> {
  if (levers.length === 0) return;
  const r53 = ctx.aws.route53();
  await ctx.waitFor(
    `Route 53 to report ${levers.map((l) => `${l.checkId} (${l.region})`).join(', ')} ${healthy ? 'healthy' : 'unhealthy'}`,
    async () => {
      const off: string[] = [];
      for (const l of levers) {
        const v = judgeCheck({ inverted, disabled: l.disabled }, await route53Call(() => r53.getHealthCheckStatus(l.checkId)));
        if (v.healthy !== healthy) off.push(`${l.region} check ${l.checkId} still ${v.healthy ? 'healthy' : 'unhealthy'}`);
      }
      return { done: off.length === 0, detail: off.length ? off.join('; ') : 'every check as set' };
    },
    { intervalMs: Math.max(1000, ctx.topology.timeouts.pollMs) },
  );
}

/**
 * Where a region's lever is its own application check (no control check), what that check reads now, raw.
 * AWS, Route 53 developer guide: "If you invert a health check, Route 53 considers the health check to be
 * unhealthy when the status is healthy and vice versa" ("Inverting health checks", health-checks-invert.html);
 * and Route 53 answers with a record whose health check it considers healthy ("How Amazon Route 53 chooses
 * records when health checking is configured", health-checks-how-route-53-chooses-records.html). So a
 * FAILING check inverted reads healthy and sends clients back to the dead region. The safe reading: never
 * invert a failing check; the region is already out of DNS through it. A check with no observations yet
 * counts as healthy to Route 53 (AWS-FACTS 2.2), which says nothing of the endpoint: AWS is silent on what
 * the checkers will find, so mr refuses rather than guess. GetHealthCheckStatus cannot read a CALCULATED
 * check (API reference), so one cannot be judged, nor waited on, as a lever: refused too.
 */
type OwnState = 'healthy' | 'failing' | 'no-data' | 'calculated';
async function ownCheckState(ctx: PlanContext, lever: Lever, configs: Record<string, HealthCheckInfo>): Promise<OwnState> {
  const info = configs[lever.checkId] ?? (await route53Call(() => ctx.aws.route53().getHealthCheck(lever.checkId)));
  if (info.config.type === 'CALCULATED') return 'calculated';
  const v = judgeCheck({ inverted: false, disabled: false }, await route53Call(() => ctx.aws.route53().getHealthCheckStatus(lever.checkId)));
  return v.basis === 'no-data' ? 'no-data' : v.rawHealthy ? 'healthy' : 'failing';
}

const CONTROL_HINT =
  'to hold a region out of DNS whatever its health, give its records a CALCULATED check over the application check and a control check, and name the control check in route53.controlHealthChecks (README, "Latency and failover records")';

function describeLever(l: Lever): string {
  return l.mode === 'control' ? `invert control check ${l.checkId}` : `invert ${l.region}'s own health check ${l.checkId} (no control check in the topology)`;
}

export const route53Drain = defineStep({
  kind: 'route53.drain',
  params: routingParams,
  async plan(id, p, ctx) {
    const { data, checks, configs } = await readRouting('route53.drain', id, p, ctx);
    const affected = data.regions.filter((r) => data.records.some((rec) => rec.sets[r]));
    const todo: Region[] = [];
    // Out of DNS already through their own failing check (not inverted), and own checks mr inverted that
    // fail now (so read healthy: put back, the failing check then keeps the region out).
    const held: Region[] = [];
    const release: Region[] = [];
    for (const r of affected) {
      const l = data.levers[r];
      if (!l) continue;
      const state = l.mode === 'own' && checks.every((c) => c.passed) ? await ownCheckState(ctx, l, configs) : 'healthy';
      const names = data.records.filter((rec) => rec.sets[r]).map((rec) => rec.key);
      if (state === 'calculated') {
        checks.push({
          name: `${r} lever can be read`,
          passed: false,
          message: `${r}: its records' health check ${l.checkId} is CALCULATED and the topology names no control check for ${r}; inverting it could not be verified (GetHealthCheckStatus does not read calculated checks): ${CONTROL_HINT}`,
        });
      } else if (state === 'no-data') {
        checks.push({
          name: `${r} own check observed`,
          passed: false,
          message: `${r}: its own health check ${l.checkId} has no observations yet, so mr cannot tell whether it is failing (a failing check inverted reads healthy and would send clients back to ${r}); retry once Route 53 has observed it, or ${CONTROL_HINT}`,
        });
      } else if (state === 'failing' && !l.inverted) {
        held.push(r);
        checks.push({
          name: `${r} already out of DNS`,
          passed: true,
          warning: true,
          message: `${r}: its own health check ${l.checkId} is failing, so Route 53 already leaves ${r} out of ${names.join(', ')}; not inverted (a failing check inverted reads healthy and would send clients back). ${r} comes back into DNS by itself when its check recovers: ${CONTROL_HINT}`,
        });
      } else if (state === 'failing') {
        release.push(r);
        checks.push({
          name: `${r} inverted check failing`,
          passed: true,
          warning: true,
          message: `${r}: its own health check ${l.checkId} is inverted and failing, so Route 53 reads it healthy and answers ${names.join(', ')} with ${r}; putting it back (not inverted) takes ${r} out through the failing check. ${r} comes back into DNS by itself when its check recovers: ${CONTROL_HINT}`,
        });
      } else if (!l.inverted) todo.push(r);
    }
    const changes: Change[] = [...todo, ...release].map((r) => ({
      resource: `health check ${data.levers[r].checkId}`,
      attribute: `Inverted (${r} ${data.levers[r].mode === 'control' ? 'control' : 'own'} check)`,
      from: release.includes(r),
      to: !release.includes(r),
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
      noop: changes.length === 0,
      data: { ...data, regions: todo, held, release },
      observed: { records: data.records.map((r) => ({ key: r.key, sets: r.sets })), levers: data.levers },
    };
  },
  async apply(step, ctx) {
    for (const r of step.data.regions) await setInverted(ctx, step, step.data.levers[r], true);
    for (const r of step.data.release ?? []) await setInverted(ctx, step, step.data.levers[r], false);
  },
  async verify(step, ctx) {
    const data = step.data;
    await waitForLevers(
      ctx,
      data.regions.map((r) => data.levers[r]),
      true,
    );
    await waitForLevers(
      ctx,
      (data.release ?? []).map((r) => data.levers[r]),
      false,
      false,
    );
    // Every region this drain took out, or found out already, must be absent from the answers.
    const gone = [...data.regions, ...(data.held ?? []), ...(data.release ?? [])];
    const expectations: Expectation[] = [];
    for (const rec of data.records) {
      const out = gone.filter((r) => rec.sets[r]);
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
