// Readiness of the latency and failover records: each region's record exists with a health check
// attached, and where the topology has control checks, the attached check is the CALCULATED parent of
// the region's application check and its control check, so that inverting the control check (route53.drain)
// takes the region out of DNS. A record without a health check is never taken out of rotation
// ("How Amazon Route 53 chooses records when health checking is configured",
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html);
// a calculated check is healthy by its children's health (API reference, HealthCheckConfig.ChildHealthChecks,
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).
// A failover to one region drains every other one, so every region's records are checked for each target.
// The checks are read with ListHealthChecks (one paged read, configurations included), not one GetHealthCheck each.
import type { HealthCheckInfo } from '../aws/types.js';
import { healthRoutedRecords } from '../config/records.js';
import type { ReadinessFinding, ReadinessKind } from './types.js';

const problemOf = (e: unknown) => `could not check: ${e instanceof Error ? e.message : String(e)}`;

export const routedKind: ReadinessKind = {
  name: 'routed records',
  applies: (t) => healthRoutedRecords(t).length > 0,
  async check(ctx, target) {
    const out: ReadinessFinding[] = [];
    const add = (resource: string, problem: string, fix: string, kind: ReadinessFinding['kind'] = 'not-ready') =>
      out.push({ target, resource, problem, fix, kind });
    const t = ctx.topology.route53!;
    let checks: Map<string, HealthCheckInfo>;
    try {
      checks = await ctx.memo('health checks', async () => new Map((await ctx.aws.discovery().healthChecks()).map((h) => [h.id, h])));
    } catch (e) {
      add('route 53 health checks', problemOf(e), 'allow route53:ListHealthChecks (mr iam-policy --for read)', 'could-not-check');
      return out;
    }
    const controls = t.controlHealthChecks ?? {};
    for (const [region, id] of Object.entries(controls))
      if (!checks.has(id)) add(`control check ${id} (${region})`, 'does not exist', `create it, or fix route53.controlHealthChecks.${region}`);
    for (const rec of ctx.state.route53?.routed ?? []) {
      const name = `record ${rec.name} ${rec.type}`;
      if (!rec.ok) {
        add(name, problemOf(rec.error), 'make it readable (mr iam-policy --for read) and run mr check again', 'could-not-check');
        continue;
      }
      for (const set of rec.value.sets) {
        const what = `${name} ${set.setIdentifier} (${set.region})`;
        const app = t.healthChecks[set.region];
        const control = controls[set.region];
        if (!set.found) add(what, `has no record with set identifier ${set.setIdentifier}`, 'create the record, or fix its setIdentifiers');
        else if (!set.healthCheckId)
          add(
            what,
            'has no health check attached, so Route 53 never takes it out of rotation',
            `attach ${control ? 'the calculated check over ' : ''}${app}${control ? ` and ${control}` : ''}`,
          );
        else if (!checks.has(set.healthCheckId)) add(what, `names health check ${set.healthCheckId}, which does not exist`, 'attach an existing health check');
        else if (control) {
          const parent = checks.get(set.healthCheckId)!;
          const children = parent.config.childHealthChecks ?? [];
          if (parent.config.type !== 'CALCULATED' || !children.includes(control))
            add(
              what,
              `its health check ${set.healthCheckId} is not a CALCULATED parent of control check ${control}, so inverting the control check does not drain ${set.region}`,
              `attach a CALCULATED check over ${app} and ${control} to the record`,
            );
          else if (!children.includes(app))
            add(what, `its calculated check ${set.healthCheckId} does not watch the application check ${app}`, `add ${app} to its children`);
        } else if (set.healthCheckId !== app)
          add(what, `has health check ${set.healthCheckId} attached, not ${app}`, `attach health check ${app} to the record`);
      }
    }
    return out;
  },
};
