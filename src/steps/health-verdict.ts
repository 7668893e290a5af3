// The one verdict on a Route 53 health check, from its configuration and its checkers' RAW
// observations. Used by `mr status` and `mr health` (through src/inspect/verdict.ts) and by every gate
// (gate.health, the shift gate, the datastore promotion's risk). Pure.
//
// AWS, Route 53 developer guide:
// - "How Amazon Route 53 determines whether a health check is healthy"
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
//   "If more than 18% of health checkers report that an endpoint is healthy, Route 53 considers it healthy."
// - "Inverting health checks" https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-invert.html
//   "If you invert a health check, Route 53 considers the health check to be unhealthy when the status is
//   healthy and vice versa." The checkers report the raw result of the check (GetHealthCheckStatus);
//   inversion applies to Route 53's verdict afterwards (AWS-FACTS §10).
// - HealthCheckConfig.Disabled (API reference, UpdateHealthCheck): "Route 53 stops performing health checks
//   ... considers the status of the health check to be healthy", whatever the checkers last saw.
// - A new check with no data yet counts as healthy (unhealthy when inverted) (AWS-FACTS §2.2).
import type { HealthCheckConfigInfo, HealthCheckObservation } from '../aws/types.js';

/** Route 53 counts an endpoint healthy when more than 18% of its checkers report it healthy. */
export const HEALTHY_FRACTION = 0.18;

/** Why the verdict is what it is: checkers' results, a disabled check, or no observations at all. */
export type VerdictBasis = 'observed' | 'disabled' | 'no-data';

export interface CheckVerdict {
  /** What Route 53 concludes, as its routing sees it. */
  healthy: boolean;
  basis: VerdictBasis;
  inverted: boolean;
  /** Raw observations reporting success, and all observations. */
  ok: number;
  total: number;
  /** The raw result before inversion: more than 18% of the checkers report success. */
  rawHealthy: boolean;
}

export type VerdictConfig = Pick<HealthCheckConfigInfo, 'disabled' | 'inverted'>;

export const PLAIN_CHECK: VerdictConfig = { disabled: false, inverted: false };

export function judgeCheck(config: VerdictConfig, observations: HealthCheckObservation[]): CheckVerdict {
  const total = observations.length;
  const ok = observations.filter((o) => o.healthy).length;
  const rawHealthy = total === 0 || ok / total > HEALTHY_FRACTION;
  const base = { inverted: config.inverted, ok, total, rawHealthy };
  if (config.disabled) return { ...base, healthy: true, basis: 'disabled' };
  return { ...base, healthy: config.inverted ? !rawHealthy : rawHealthy, basis: total === 0 ? 'no-data' : 'observed' };
}

/**
 * What a gate accepts: Route 53's verdict, but only on evidence. A check with no observations counts as
 * healthy for Route 53's routing, yet says nothing about the endpoint; a gate that lets traffic or a
 * promotion through must not rest on that, so it refuses (the safer reading). A disabled check is
 * healthy to Route 53 whatever happens: the gate follows Route 53, and the summary says so.
 */
export function gatePasses(v: CheckVerdict): boolean {
  return v.healthy && v.basis !== 'no-data';
}

/** "2 of 8 checkers report success" plus what turns that into the verdict, when anything does. */
export function describeVerdict(v: CheckVerdict): string {
  const raw = `${v.ok} of ${v.total} checkers report success`;
  if (v.basis === 'disabled') return `${raw}; the check is disabled, so Route 53 treats it as healthy`;
  if (v.basis === 'no-data') return `${raw}; no observations yet${v.inverted ? ' (inverted: unhealthy until data arrives)' : ''}`;
  if (v.inverted) return `${raw}; inverted, so Route 53 considers it ${v.healthy ? 'healthy' : 'unhealthy'}`;
  return raw;
}
