// Before an unplanned failover: does the primary still look up? Read from the Route 53 health check of
// the Aurora writer's region (a global service) and the global cluster as the target's region sees it,
// so nothing is asked of the region that is meant to be down. When it looks up, a planned switchover
// would lose nothing (Aurora user guide, aurora-global-database-disaster-recovery:
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html,
// "switchover ... without data loss" vs "failover ... can result in a loss of write transaction data").
import type { Aws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { readHealthCheck } from './health.js';
import { bounded } from './observe.js';

/** A one-line warning when the writer's region looks healthy, else undefined (also when nothing could be read in `boundMs`). */
export async function primaryLooksUp(topology: Topology, aws: Aws, target: Region, boundMs: number): Promise<string | undefined> {
  const a = topology.aurora;
  if (!a) return undefined;
  try {
    const gc = await bounded(() => aws.rds(target).readGlobalCluster(a.globalClusterId), boundMs);
    const writer = gc.members.find((m) => m.isWriter);
    const hcId = writer ? topology.route53?.healthChecks[writer.region] : undefined;
    if (!writer || writer.region === target || !hcId) return undefined;
    // The one verdict status and the gates use (inverted, disabled, the 18% rule).
    const hc = await readHealthCheck(aws, hcId, { timeoutMs: boundMs });
    if (!hc.ok || !hc.value.healthy || hc.value.checkers.length === 0) return undefined;
    const { healthyCheckers, checkers } = hc.value;
    return `the primary's region ${writer.region} looks healthy (${healthyCheckers} of ${checkers.length} health checkers report success): a planned switchover, \`mr failover ${target}\`, would lose nothing; this unplanned failover may lose the writes not yet replicated to ${target}`;
  } catch {
    return undefined;
  }
}
