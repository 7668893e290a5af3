// Read the topology's health checks: configuration and each checker's latest observation, and for
// `mr health` the last failure each checker reported. All Route 53 (us-east-1) reads, concurrently.
import type { Aws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { observe } from './observe.js';
import { judgeCheck } from './verdict.js';
import type { HealthCheckView, Observed } from './types.js';

export interface HealthReadOptions {
  timeoutMs: number;
  /** Also read GetHealthCheckLastFailureReason (one more call per check). */
  lastFailures?: boolean;
  regions?: Region[];
}

export async function readHealthCheck(aws: Aws, id: string, opts: HealthReadOptions): Promise<Observed<HealthCheckView>> {
  return observe(async () => {
    const r53 = aws.route53();
    const [info, checkers, lastFailures] = await Promise.all([
      r53.getHealthCheck(id),
      r53.getHealthCheckStatus(id),
      opts.lastFailures ? r53.getHealthCheckLastFailureReason(id) : Promise.resolve([]),
    ]);
    // Code-unit order, not localeCompare: region names are [a-z0-9-], where both give the same order, and
    // the first localeCompare of a process builds an ICU collator (about 20-35 ms of `mr status`'s start).
    const byRegion = (a: { checkerRegion: string }, b: { checkerRegion: string }) =>
      a.checkerRegion < b.checkerRegion ? -1 : a.checkerRegion > b.checkerRegion ? 1 : 0;
    const verdict = judgeCheck(info.config, checkers);
    return {
      id,
      config: info.config,
      checkers: [...checkers].sort(byRegion),
      lastFailures: [...lastFailures].sort(byRegion),
      healthyCheckers: checkers.filter((c) => c.healthy).length,
      healthy: verdict.healthy,
      verdict,
    };
  }, opts.timeoutMs);
}

/** Health checks of the topology's regions (or `opts.regions`), keyed by region. */
export async function readHealthChecks(topology: Topology, aws: Aws, opts: HealthReadOptions): Promise<Record<Region, Observed<HealthCheckView>>> {
  const checks = topology.route53?.healthChecks ?? {};
  const regions = (opts.regions ?? topology.regions).filter((r) => checks[r] !== undefined);
  // Each check costs two or three Route 53 calls, which wait their turn under the process's pacing.
  const calls = regions.length * (opts.lastFailures ? 3 : 2);
  const paced = { ...opts, timeoutMs: opts.timeoutMs + (aws.route53QueueMs?.(calls) ?? 0) };
  const results = await Promise.all(regions.map((r) => readHealthCheck(aws, checks[r], paced)));
  return Object.fromEntries(regions.map((r, i) => [r, results[i]]));
}
