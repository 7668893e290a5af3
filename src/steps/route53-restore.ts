// route53.restore: put regions back into DNS for every latency and failover record: gated on each
// region's application check being healthy, un-invert its lever, wait until Route 53 reports it healthy,
// then prove it with TestDNSAnswer (a client near the region gets it again; a failover record answers
// its PRIMARY again). The reverse of route53.drain; see route53-routing.ts for the AWS behaviour relied on.
import { defineStep, type Change, type Check } from './contract.js';
import { setInverted, waitForLevers } from './route53-drain.js';
import { applicationHealthy, readRouting, routingParams, waitForAnswers, type Expectation } from './route53-routing.js';

export const route53Restore = defineStep({
  kind: 'route53.restore',
  params: routingParams,
  async plan(id, p, ctx) {
    const { data, checks } = await readRouting('route53.restore', id, p, ctx);
    const affected = data.regions.filter((r) => data.records.some((rec) => rec.sets[r]));
    const todo = affected.filter((r) => data.levers[r]?.inverted);
    const changes: Change[] = todo.map((r) => ({
      resource: `health check ${data.levers[r].checkId}`,
      attribute: `Inverted (${r} ${data.levers[r].mode === 'control' ? 'control' : 'own'} check)`,
      from: true,
      to: false,
      risk: 'disruptive',
      region: r,
    }));
    for (const r of todo) {
      const app = await applicationHealthy(ctx.aws, data, r);
      const check: Check = {
        name: `${r} application healthy`,
        passed: app.healthy,
        message: app.healthy
          ? `${r} application check ${app.checkId} is healthy`
          : `${r} application check ${app.checkId} is not healthy: refusing to put ${r} back into DNS`,
      };
      checks.push(check);
    }
    const leftAlone = data.records.flatMap((r) => r.leftAlone);
    if (leftAlone.length) checks.push({ name: 'other records left alone', passed: true, message: `left alone: ${leftAlone.join(', ')}` });
    const names = data.records.filter((rec) => affected.some((r) => rec.sets[r])).map((r) => r.key);
    return {
      title: affected.length
        ? `Put ${affected.join(', ')} back into DNS for ${names.join(', ')}`
        : `Put ${data.regions.join(', ') || 'no region'} back into DNS: no latency or failover record to move`,
      region: 'us-east-1',
      changes,
      checks,
      noop: todo.length === 0,
      data: { ...data, regions: todo },
      observed: { records: data.records.map((r) => ({ key: r.key, sets: r.sets })), levers: data.levers },
    };
  },
  async apply(step, ctx) {
    for (const r of step.data.regions) await setInverted(ctx, step, step.data.levers[r], false);
  },
  async verify(step, ctx) {
    const data = step.data;
    await waitForLevers(
      ctx,
      data.regions.map((r) => data.levers[r]),
      false,
    );
    const expectations: Expectation[] = [];
    for (const rec of data.records) {
      const back = data.regions.filter((r) => rec.sets[r]);
      if (rec.kind === 'failover') {
        if (back.includes(rec.primary!)) expectations.push({ rec, from: rec.primary, text: `${rec.key} from its PRIMARY (${rec.primary})` });
      } else {
        for (const near of back)
          if (data.clientSubnets[near]) expectations.push({ rec, near, from: near, text: `${rec.key} to clients near ${near} from ${near}` });
      }
    }
    await waitForAnswers(ctx, data, expectations);
  },
});
