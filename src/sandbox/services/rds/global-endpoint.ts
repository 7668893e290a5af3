// The DNS names of the Aurora global clusters: the global writer endpoint (GlobalCluster.Endpoint) and the
// member clusters' endpoints, and what the sandbox's DNS responder (src/sandbox/dns/) answers for them.
//
// AWS: "Each Aurora Global Database comes with a writer endpoint that is automatically updated by Aurora to
// route requests to the current writer instance of the primary DB cluster" (Aurora user guide, "Connecting to
// Amazon Aurora Global Database", https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html).
// The global writer endpoint is a CNAME ("The cluster's CNAME can be found in the console or with the RDS CLI
// or API"); here it names the current primary cluster's endpoint. AWS does not say how long after a switchover
// or failover the name moves: it is modelled as moving when the writer does, unless the `dns-lag` fault holds
// it back. Aurora's DNS records have a 5-second TTL ("Aurora DNS zones use a short Time-To-Live (TTL) of five
// seconds", Amazon Aurora MySQL Database Administrator's Handbook, "DNS caching",
// https://docs.aws.amazon.com/whitepapers/latest/amazon-aurora-mysql-db-admin-handbook/dns-caching.html).
// ⚠ A cluster endpoint really is a CNAME to its writer instance's endpoint; the sandbox keeps it minimal and
// answers an A record on the loopback network (nothing listens there: the names are for resolving only).
import type { ServiceContext } from '../../contract.js';
import { settle, writerAt, type AuroraGlobalCluster, type AuroraMember, type AuroraState } from './state.js';

/** Fake but stable hash in endpoints; matches the bundled worlds' Route 53 records. */
const ENDPOINT_HASH = 'c0ffee';

/** The TTL of every Aurora name the sandbox answers, in seconds (the handbook's five seconds). */
export const AURORA_DNS_TTL_S = 5;

export function globalWriterEndpoint(gc: Pick<AuroraGlobalCluster, 'id'>): string {
  return `${gc.id}.global-${ENDPOINT_HASH}.global.rds.amazonaws.com`;
}

export function clusterEndpoint(m: Pick<AuroraMember, 'clusterId' | 'region'>, kind: 'cluster' | 'cluster-ro' = 'cluster'): string {
  return `${m.clusterId}.${kind}-${ENDPOINT_HASH}.${m.region}.rds.amazonaws.com`;
}

/** One answer record: a CNAME to another name, or an IPv4 address. */
export type AuroraDnsRecord = { type: 'CNAME'; name: string; target: string; ttl: number } | { type: 'A'; name: string; address: string; ttl: number };

const norm = (name: string) => name.toLowerCase().replace(/\.$/, '');

/**
 * The record the sandbox holds for `name`, or undefined when it is not one of the Aurora names. `dnsLagMs`
 * (the dns-lag fault) makes the global writer endpoint name the writer of that long ago (simulated ms).
 */
export function auroraDnsRecord(state: AuroraState | undefined, name: string, ctx: ServiceContext, dnsLagMs = 0): AuroraDnsRecord | undefined {
  const wanted = norm(name);
  const now = ctx.now();
  for (const [g, raw] of (state?.globalClusters ?? []).entries()) {
    const gc = structuredClone(raw);
    settle(gc, ctx);
    if (gc.writerEndpoint !== false && norm(globalWriterEndpoint(gc)) === wanted) {
      const writer = writerAt(gc, now - dnsLagMs);
      const member = gc.members.find((m) => m.clusterId === writer)!;
      return { type: 'CNAME', name: globalWriterEndpoint(gc), target: clusterEndpoint(member), ttl: AURORA_DNS_TTL_S };
    }
    for (const [i, m] of gc.members.entries()) {
      for (const kind of ['cluster', 'cluster-ro'] as const) {
        if (norm(clusterEndpoint(m, kind)) !== wanted) continue;
        // 127.0.<global cluster>.<member>: distinct per cluster, so a test can tell which one a chain ended at.
        return {
          type: 'A',
          name: clusterEndpoint(m, kind),
          address: `127.0.${(g % 250) + 1}.${i * 2 + (kind === 'cluster' ? 10 : 11)}`,
          ttl: AURORA_DNS_TTL_S,
        };
      }
    }
  }
  return undefined;
}

/** Whether `name` is in a domain the Aurora names live under (an unknown name there is NXDOMAIN, not refused). */
export function inAuroraDomain(name: string): boolean {
  return /(^|\.)rds\.amazonaws\.com\.?$/i.test(name);
}
