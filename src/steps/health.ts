// Judging a Route 53 health check for the gates (gate.health, the shift gate, the datastore
// promotion's risk), with the one verdict of health-verdict.ts.
import type { ReadAws, HealthCheckObservation, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { describeVerdict, gatePasses, judgeCheck, PLAIN_CHECK, type CheckVerdict, type VerdictConfig } from './health-verdict.js';

export { HEALTHY_FRACTION } from './health-verdict.js';

export interface HealthVerdict {
  region: Region;
  healthCheckId: string;
  /** Whether a gate may rely on the check: Route 53's verdict, on evidence (see gatePasses). */
  healthy: boolean;
  /** Raw observations reporting success, and all observations. */
  ok: number;
  total: number;
  verdict: CheckVerdict;
  /** "eu-west-1 health check hc-1: 2 of 8 checkers report success" (+ inverted/disabled/no data) */
  summary: string;
}

export function judgeHealth(region: Region, healthCheckId: string, observations: HealthCheckObservation[], config: VerdictConfig = PLAIN_CHECK): HealthVerdict {
  const verdict = judgeCheck(config, observations);
  return {
    region,
    healthCheckId,
    healthy: gatePasses(verdict),
    ok: verdict.ok,
    total: verdict.total,
    verdict,
    summary: `${region} health check ${healthCheckId}: ${describeVerdict(verdict)}`,
  };
}

export function healthCheckIdFor(topology: Topology, region: Region): string | undefined {
  return topology.route53?.healthChecks[region];
}

/** The check's Inverted and Disabled flags, which turn raw observations into Route 53's verdict. */
export async function readCheckConfig(aws: ReadAws, healthCheckId: string): Promise<VerdictConfig> {
  const { config } = await aws.route53().getHealthCheck(healthCheckId);
  return { inverted: config.inverted, disabled: config.disabled };
}

/**
 * Judge a check. Without `config`, its configuration and raw observations are read together (plan
 * time); with the configuration read at plan time (run-time re-checks and polls), only the observations
 * are read: one call per poll, as GetHealthCheckStatus is meant for low query rates (AWS-FACTS §10).
 */
export async function readHealth(aws: ReadAws, region: Region, healthCheckId: string, config?: VerdictConfig): Promise<HealthVerdict> {
  const [cfg, observations] = await Promise.all([config ?? readCheckConfig(aws, healthCheckId), aws.route53().getHealthCheckStatus(healthCheckId)]);
  return judgeHealth(region, healthCheckId, observations, cfg);
}
