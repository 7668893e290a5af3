// Route 53's verdict on a health check, as its DNS answers use it (answer.ts) and as a CALCULATED
// parent counts its children. AWS, Route 53 developer guide and API reference:
// - Endpoint checks: healthy when more than 18% of checkers report healthy (health-status.ts rawHealthy).
// - Inverted: "Route 53 considers the health check to be unhealthy when the status is healthy and vice
//   versa" (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-invert.html); the
//   checkers' observations stay raw (AWS-FACTS §10).
// - Disabled (HealthCheckConfig.Disabled, API reference): "Route 53 considers the status of the health
//   check to always be healthy"; for a calculated check "Route 53 stops aggregating the status of the
//   referenced health checks". Disabled wins over Inverted: AWS says "always healthy" and tells you to use
//   Inverted, not Disabled, to take a resource out of service (AWS-FACTS 2.2).
// - CALCULATED (HealthCheckConfig.HealthThreshold, API reference; "Monitoring other health checks
//   (calculated health checks)",
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html#health-checks-creating-values-calculated):
//   healthy when at least HealthThreshold of the ChildHealthChecks are healthy; 0 is always healthy, a
//   threshold above the number of children always unhealthy. A child counts with its own Inverted and
//   Disabled applied; the parent's Inverted applies to the result.
// ⚠ AWS is silent on a calculated check created without HealthThreshold; the sandbox then requires every
// child to be healthy (the stricter reading). ⚠ AWS is silent on a child id that no longer exists; the sandbox counts it unhealthy (the safer
// reading: it cannot make a parent healthier). A cycle (which AWS rejects at create time) counts the
// same way rather than recursing forever.
// ⚠ Real Route 53 takes some seconds to propagate a new Inverted or a child's change; the sandbox's
// verdict follows at once (the checkers' own failureThreshold x requestInterval still applies to outages).
import type { CoreServiceContext } from '../../runtime.js';
import { rawHealthy } from './health-status.js';
import type { HealthCheckState, Route53State } from './model.js';

export interface Verdict {
  healthy: boolean;
  /** For a CALCULATED check: how many children count healthy, of how many. */
  children?: { healthy: number; total: number };
}

function verdictOf(state: Route53State, ctx: CoreServiceContext, h: HealthCheckState, seen: Set<string>): Verdict {
  if (h.config.disabled) return { healthy: true };
  if (h.config.type !== 'CALCULATED') {
    const raw = rawHealthy(h, ctx);
    return { healthy: h.config.inverted ? !raw : raw };
  }
  const ids = h.config.childHealthChecks ?? [];
  const inner = new Set(seen).add(h.id);
  let healthy = 0;
  for (const id of ids) {
    const child = state.healthChecks.find((c) => c.id === id);
    if (child && !inner.has(id) && verdictOf(state, ctx, child, inner).healthy) healthy++;
  }
  const raw = healthy >= (h.config.healthThreshold ?? ids.length);
  return { healthy: h.config.inverted ? !raw : raw, children: { healthy, total: ids.length } };
}

export function checkVerdict(state: Route53State, ctx: CoreServiceContext, h: HealthCheckState): Verdict {
  return verdictOf(state, ctx, h, new Set());
}

/** Route 53's verdict on the check with this id; an id with no check counts unhealthy (see above). */
export function isCheckHealthy(state: Route53State, ctx: CoreServiceContext, id: string): boolean {
  const h = state.healthChecks.find((c) => c.id === id);
  return h ? checkVerdict(state, ctx, h).healthy : false;
}
