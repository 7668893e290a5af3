// Only what says where each role is (the weights, the Aurora writer, the datastore primary; without
// Aurora the RDS instances): `mr failover <region>`'s "already primary" check. It answers from a
// fraction of status's reads: the weights first, and when the traffic is not all in the candidate
// region it cannot hold every role, so nothing else is read (one call instead of about twenty).
// The state it returns has the role sections only (no health checks, no clusters, no lag, no ECS):
// it is for rolesOf/holderOfEveryRole, never for judge().
import type { Aws, AwsService, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { readWeighted, type GatherOptions } from './gather.js';
import { firstAnswer } from './observe.js';
import { gatherRds } from './rds.js';
import { rolesOf } from './roles.js';
import type { ObservedState } from './types.js';

export async function gatherRoles(topology: Topology, aws: Aws, candidate: Region, opts: GatherOptions): Promise<ObservedState> {
  const services: AwsService[] = [];
  if (topology.route53) services.push('route53');
  if (topology.aurora || topology.rds) services.push('rds');
  if (topology.elasticache) services.push('elasticache');
  await aws.preload?.(services);
  const hedgeMs = opts.hedgeMs ?? Math.max(50, Math.floor(opts.timeoutMs / 4));
  const state: ObservedState = {
    version: 1,
    topology: topology.name,
    observedAt: (opts.now?.() ?? new Date()).toISOString(),
    regions: [...topology.regions],
    unreachable: {},
  };
  const r53 = topology.route53;
  if (r53) {
    const timeoutMs = opts.timeoutMs + (aws.route53QueueMs?.(1) ?? 0);
    state.route53 = { hostedZoneId: r53.hostedZoneId, records: await readWeighted(topology, aws, timeoutMs), healthChecks: {} };
    const traffic = rolesOf(state).traffic;
    // Some traffic elsewhere (or none read): the candidate does not hold every role, whatever the rest says.
    if (traffic !== undefined && (traffic.length !== 1 || traffic[0] !== candidate)) return state;
  }
  const a = topology.aurora;
  const e = topology.elasticache;
  const [global, datastore, rds] = await Promise.all([
    a ? firstAnswer(topology.regions, (r) => aws.rds(r).readGlobalCluster(a.globalClusterId), { timeoutMs: opts.timeoutMs, hedgeMs }) : undefined,
    e
      ? firstAnswer(topology.regions, (r) => aws.elasticache(r).readGlobalDatastore(e.globalReplicationGroupId), { timeoutMs: opts.timeoutMs, hedgeMs })
      : undefined,
    topology.rds && !a ? gatherRds(topology, aws, opts.timeoutMs) : undefined,
  ]);
  if (a && global) state.aurora = { globalClusterId: a.globalClusterId, maxLagMs: a.maxLagMs, global, clusters: {}, lagMs: {} };
  if (e && datastore) state.elasticache = { globalReplicationGroupId: e.globalReplicationGroupId, datastore, replicationGroups: {} };
  if (rds) state.rds = rds;
  return state;
}
