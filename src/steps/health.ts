// Judging a Route 53 health check from its checkers' observations, shared by gate.health and the
// health gate of route53.shift.
import type { ReadAws, HealthCheckObservation, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';

/** Route 53 counts an endpoint healthy when more than 18% of its checkers report it healthy (AWS-FACTS 2.2). */
export const HEALTHY_FRACTION = 0.18;

export interface HealthVerdict {
  region: Region;
  healthCheckId: string;
  healthy: boolean;
  ok: number;
  total: number;
  /** "eu-west-1 health check: 2 of 8 checkers report success" */
  summary: string;
}

export function judgeHealth(region: Region, healthCheckId: string, observations: HealthCheckObservation[]): HealthVerdict {
  const total = observations.length;
  const ok = observations.filter((o) => o.healthy).length;
  // No observations at all means Route 53 has no data on the check: do not call that healthy.
  const healthy = total > 0 && ok / total > HEALTHY_FRACTION;
  return { region, healthCheckId, healthy, ok, total, summary: `${region} health check ${healthCheckId}: ${ok} of ${total} checkers report success` };
}

export function healthCheckIdFor(topology: Topology, region: Region): string | undefined {
  return topology.route53?.healthChecks[region];
}

export async function readHealth(aws: ReadAws, region: Region, healthCheckId: string): Promise<HealthVerdict> {
  return judgeHealth(region, healthCheckId, await aws.route53().getHealthCheckStatus(healthCheckId));
}
