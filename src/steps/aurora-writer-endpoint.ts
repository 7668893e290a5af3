// After an Aurora switchover or failover: does the global writer endpoint name the new writer? Applications
// that connect by that name reach the old one until it does.
//
// AWS: the global writer endpoint "is automatically updated by Aurora to route requests to the current writer
// instance of the primary DB cluster" after a switchover or failover (Aurora user guide, "Connecting to Amazon
// Aurora Global Database", https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html).
// AWS does not say how long after the switchover the name moves. Aurora's DNS records have a 5-second TTL
// (Amazon Aurora MySQL Database Administrator's Handbook, "DNS caching",
// https://docs.aws.amazon.com/whitepapers/latest/amazon-aurora-mysql-db-admin-handbook/dns-caching.html), so the
// name is asked again no more often than that, for at most timeouts.writerEndpoint (default 60 s, twelve TTLs).
//
// The choice when it never does: the data cut itself succeeded (the new writer is the primary and takes
// writes), so failing the step would stop the rest of the failover (capacity, traffic) for a name that is not
// mr's to move, and a resume could not fix it. The step is verified with a warning that names both names; the
// run report keeps it and `mr status` shows the mismatch for as long as it lasts.
import type { DbClusterInfo, GlobalClusterInfo } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { formatDuration } from '../util/duration.js';
import type { Check, StepContext } from './contract.js';

/** What the Aurora steps keep in their data for this check. */
export type WriterEndpointData = {
  /** The global writer endpoint (GlobalCluster.Endpoint); absent when the global cluster has none. */
  writerEndpoint?: string;
  /** The target cluster's endpoint: what the global writer endpoint must name once the target is the primary. */
  targetEndpoint?: string;
};

/** Aurora's DNS TTL (the handbook's "five seconds"): asking more often cannot see the change sooner. */
const TTL_MS = 5000;

const norm = (name: string) => name.toLowerCase().replace(/\.$/, '');

export function writerEndpointWaitMs(topology: Topology): number {
  return topology.timeouts.writerEndpointMs;
}

export function writerEndpointData(gc: GlobalClusterInfo, target: DbClusterInfo): WriterEndpointData {
  return { ...(gc.writerEndpoint ? { writerEndpoint: gc.writerEndpoint } : {}), ...(target.endpoint ? { targetEndpoint: target.endpoint } : {}) };
}

/** The plan says what verify will do with the global writer endpoint, or that there is none. */
export function writerEndpointCheck(gc: GlobalClusterInfo, target: DbClusterInfo, topology: Topology): Check {
  const name = 'global writer endpoint';
  if (!gc.writerEndpoint)
    return { name, passed: true, observed: 'none', message: `${gc.id} has no global writer endpoint: nothing to resolve after the switch` };
  if (!target.endpoint)
    return {
      name,
      passed: true,
      warning: true,
      observed: gc.writerEndpoint,
      message: `${target.id} has no endpoint yet: verify cannot check that ${gc.writerEndpoint} names it`,
    };
  return {
    name,
    passed: true,
    observed: gc.writerEndpoint,
    message: `verify resolves ${gc.writerEndpoint} until it names ${target.endpoint} (at most ${formatDuration(writerEndpointWaitMs(topology))}, then a warning)`,
  };
}

/** Resolve the global writer endpoint until it names the target's endpoint; warn (naming both) when it never does. */
export async function verifyWriterEndpoint(ctx: StepContext, d: WriterEndpointData): Promise<void> {
  const { writerEndpoint, targetEndpoint } = d;
  const dns = ctx.aws.dns?.();
  // No global writer endpoint: the plan said so, nothing to resolve. No DNS (a test's fake AWS): nothing to ask.
  if (!writerEndpoint || !targetEndpoint || !dns) return;
  const boundMs = writerEndpointWaitMs(ctx.topology);
  const deadline = Date.now() + boundMs;
  const seen = await ctx.waitFor(
    `the global writer endpoint ${writerEndpoint} to name ${targetEndpoint}`,
    async () => {
      const a = await dns.resolveCname(writerEndpoint);
      const named = a.names.includes(norm(targetEndpoint));
      const what = a.error ? `does not resolve (${a.error})` : a.names.length ? `names ${a.names.join(', ')}` : 'answers no CNAME';
      return { done: named || Date.now() >= deadline, detail: named ? `names ${targetEndpoint}` : what, value: { named, what, via: a.via } };
    },
    { intervalMs: Math.max(250, Math.min(TTL_MS, boundMs / 4)), timeoutMs: boundMs + 30_000 },
  );
  if (seen.named) return ctx.note(`the global writer endpoint ${writerEndpoint} names the new writer ${targetEndpoint} (resolved with ${seen.via})`);
  await ctx.warn(
    `the global writer endpoint ${writerEndpoint} still ${seen.what}, not the new writer ${targetEndpoint}, ${formatDuration(boundMs)} after the switch ` +
      `(resolved with ${seen.via}): the data moved, but applications connecting by that name reach the old writer until Aurora updates it; mr status shows what it names`,
  );
}
