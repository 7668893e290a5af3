// Steps marked `skipWhen: route53-unreachable` are left out of a run when Route 53's control plane
// (us-east-1) does not answer, instead of failing the whole plan: every step is planned before any
// runs, and a Route 53 step cannot even be planned without its control plane. The unplanned
// failover uses this so the data tier still moves during an us-east-1 outage, while DNS follows
// the records' health checks (Route 53's data plane keeps answering).
import { isAwsCallError } from '../aws/errors.js';
import type { Aws } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import type { RunSpec } from '../engine/types.js';
import { isRoute53Unreachable } from '../steps/route53-down.js';

export interface Degraded {
  spec: RunSpec;
  /** The steps left out, as "id (kind)". */
  dropped: string[];
  /** Why, e.g. "ECONNRESET"; undefined when nothing was left out. */
  reason?: string;
}

/** Ask Route 53 one cheap question; leave the skippable steps out when it does not answer. */
export async function withoutRoute53IfDown(aws: Aws, topology: Topology, spec: RunSpec, skippable: string[]): Promise<Degraded> {
  if (skippable.length === 0 || !topology.route53) return { spec, dropped: [] };
  try {
    await aws.route53().getHostedZone(topology.route53.hostedZoneId);
    return { spec, dropped: [] };
  } catch (e) {
    if (!isRoute53Unreachable(e)) return { spec, dropped: [] }; // any other answer: plan as usual, the steps report it
    return { ...dropSteps(spec, skippable), reason: isAwsCallError(e) ? e.code : String(e) };
  }
}

export function dropSteps(spec: RunSpec, ids: string[]): { spec: RunSpec; dropped: string[] } {
  const dropped: string[] = [];
  const stages = spec.stages
    .map((stage) => ({
      ...stage,
      steps: stage.steps.filter((s) => {
        if (!ids.includes(s.id)) return true;
        dropped.push(`${s.id} (${s.kind})`);
        return false;
      }),
    }))
    .filter((stage) => stage.steps.length > 0);
  return { spec: { ...spec, stages }, dropped };
}
