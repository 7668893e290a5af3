// Route 53's verdict on a health check, for `mr status` and `mr health`: the one rule in
// src/steps/health-verdict.ts (cites the Route 53 developer guide), re-exported for inspect.
import type { HealthCheckConfigInfo, HealthCheckObservation } from '../aws/types.js';
import { judgeCheck } from '../steps/health-verdict.js';

export { HEALTHY_FRACTION, judgeCheck, describeVerdict, type CheckVerdict } from '../steps/health-verdict.js';

/** Route 53's conclusion from the RAW observations: disabled = healthy; no observations = healthy (unhealthy if inverted); > 18%; inverted flips. */
export function healthVerdict(config: Pick<HealthCheckConfigInfo, 'disabled' | 'inverted'>, checkers: HealthCheckObservation[]): boolean {
  return judgeCheck(config, checkers).healthy;
}
