// Route 53's own rule for a health check's status, from its checkers' observations.
import type { HealthCheckConfigInfo, HealthCheckObservation } from '../aws/types.js';

/** Route 53 counts an endpoint healthy when more than 18% of its checkers report it healthy. */
export const HEALTHY_FRACTION = 0.18;

/**
 * Disabled checks are always healthy (Route 53 stops checking); a check with no observations yet
 * counts as healthy (unhealthy if inverted); inverted flips the result. Observations are taken to be
 * the checkers' raw results, before inversion (the Status text is the checker's HTTP/TCP outcome).
 */
export function healthVerdict(config: Pick<HealthCheckConfigInfo, 'disabled' | 'inverted'>, checkers: HealthCheckObservation[]): boolean {
  if (config.disabled) return true;
  const healthy = checkers.length === 0 || checkers.filter((c) => c.healthy).length / checkers.length > HEALTHY_FRACTION;
  return config.inverted ? !healthy : healthy;
}
