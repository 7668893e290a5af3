// Where each role lives (Aurora writer, datastore primary, traffic), and which regions a failover
// may go to. Pure: from an ObservedState only, so the chooser and status agree and are unit-tested.
import type { Region } from '../aws/types.js';
import type { ObservedState } from './types.js';
import { rdsWriter } from './rds.js';

export interface Roles {
  /** The Aurora global cluster's writer region (without Aurora, the writable RDS instance's); undefined when there is none or it was not read. */
  writer?: Region;
  /** The Global Datastore's primary region; undefined likewise. */
  cachePrimary?: Region;
  /** Regions with weight > 0 in every weighted record read; undefined when no record was read. */
  traffic?: Region[];
  /** Whether every section the topology has was read (a role missing from an unread section is unknown, not absent). */
  complete: boolean;
}

export function rolesOf(state: ObservedState): Roles {
  const out: Roles = { complete: true };
  const a = state.aurora;
  if (a) {
    if (a.global.ok) out.writer = a.global.value.members.find((m) => m.isWriter)?.region;
    if (!out.writer) out.complete = false;
  }
  const e = state.elasticache;
  if (e) {
    if (e.datastore.ok) out.cachePrimary = e.datastore.value.members.find((m) => m.role.toUpperCase() === 'PRIMARY')?.region;
    if (!out.cachePrimary) out.complete = false;
  }
  const r = state.route53;
  if (r) {
    const read = r.records.filter((rec) => rec.ok);
    // No weighted record (a latency- or failover-routed topology): traffic is not read from weights.
    if (read.length < r.records.length) out.complete = false;
    if (read.length > 0) {
      const serving = new Set<Region>();
      for (const rec of read) if (rec.ok) for (const s of rec.value.sets) if ((s.weight ?? 0) > 0) serving.add(s.region);
      out.traffic = state.regions.filter((x) => serving.has(x));
    }
  }
  if (state.rds && !a) {
    // Without Aurora, the RDS instance that takes writes is the database of record.
    out.writer = rdsWriter(state, out.traffic);
    if (!out.writer) out.complete = false;
  }
  return out;
}

/** The region that holds every role the topology has (writer, cache primary, all of the traffic), if one does. */
export function holderOfEveryRole(state: ObservedState): Region | undefined {
  const roles = rolesOf(state);
  if (!roles.complete) return undefined;
  const candidates = new Set<Region>();
  if (roles.writer) candidates.add(roles.writer);
  if (roles.cachePrimary) candidates.add(roles.cachePrimary);
  if (roles.traffic) for (const t of roles.traffic) candidates.add(t);
  return candidates.size === 1 ? [...candidates][0] : undefined;
}

/** The current primary: where the writer is, else the cache primary, else the region with the traffic. */
export function currentPrimary(state: ObservedState): Region | undefined {
  const roles = rolesOf(state);
  return roles.writer ?? roles.cachePrimary ?? (roles.traffic?.length === 1 ? roles.traffic[0] : undefined);
}

export interface TargetChoice {
  region: Region;
  /** Its health and roles: "healthy (8/8 checkers), Aurora writer", "UNREACHABLE (...)", "..., rebuilding (...)". */
  note: string;
  /** Why it cannot be chosen (current | unreachable | rebuilding); undefined when it can. */
  disabled?: string;
}

/**
 * The failover chooser: the current primary is shown as "(current)" and cannot be chosen (a failover
 * to it is a plan of no-ops); unreachable and rebuilding regions are shown but disabled; the default
 * is the healthiest standby (health check healthy, most healthy checkers, least replication lag,
 * then topology order). `rebuilding`: an Aurora member not `connected`
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalClusterMember.html,
 * SynchronizationStatus: connected | pending-resync), or its DB cluster not `available`.
 */
export function failoverTargets(state: ObservedState, opts: { leastLagFirst?: boolean } = {}): { choices: TargetChoice[]; default?: Region } {
  const current = currentPrimary(state);
  const roles = rolesOf(state);
  const choices: (TargetChoice & { score: number[] })[] = state.regions.map((region, order) => {
    const hc = state.route53?.healthChecks[region];
    const lag = state.aurora?.lagMs[region];
    const lagMs = lag?.ok && lag.value !== null ? lag.value : Number.MAX_SAFE_INTEGER;
    const score = [hc?.ok ? (hc.value.healthy ? 0 : 2) : 1, -(hc?.ok ? hc.value.healthyCheckers : 0), lagMs, order];
    const rebuilding = rebuildingReason(state, region);
    const parts: string[] = [];
    if (state.unreachable[region]) parts.push(`UNREACHABLE (${state.unreachable[region]})`);
    else if (hc?.ok) parts.push(`${hc.value.healthy ? 'healthy' : 'UNHEALTHY'} (${hc.value.healthyCheckers}/${hc.value.checkers.length} checkers)`);
    else parts.push('health unknown');
    if (rebuilding) parts.push(`rebuilding (${rebuilding})`);
    if (roles.writer === region) parts.push('Aurora writer');
    else if (lag?.ok && lag.value !== null) parts.push(`Aurora lag ${lag.value} ms`);
    if (roles.cachePrimary === region) parts.push('cache primary');
    if (roles.traffic?.includes(region)) parts.push('serving traffic');
    const note = parts.join(', ');
    if (region === current) return { region, note, disabled: 'current', score };
    if (state.unreachable[region]) return { region, note, disabled: 'unreachable', score };
    if (rebuilding) return { region, note, disabled: 'rebuilding', score };
    return { region, note, score };
  });
  // Unplanned: the secondary with the least replication lag first, as AWS advises ("Choosing the
  // secondary Region with the least replication lag can minimize data loss",
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html);
  // the health check matters less there, since the source region is the one failing.
  const rank = (c: (typeof choices)[number]) => (opts.leastLagFirst ? [c.disabled ? 1 : 0, c.score[2], c.score[3]] : c.score);
  if (opts.leastLagFirst) choices.sort((x, y) => compare(rank(x), rank(y)));
  const open = choices.filter((c) => !c.disabled).sort((x, y) => compare(rank(x), rank(y)));
  return { choices: choices.map(({ score: _s, ...c }) => c), ...(open[0] ? { default: open[0].region } : {}) };
}

function rebuildingReason(state: ObservedState, region: Region): string | undefined {
  const a = state.aurora;
  if (!a) return undefined;
  const member = a.global.ok ? a.global.value.members.find((m) => m.region === region) : undefined;
  if (member?.syncStatus && member.syncStatus !== 'connected') return `Aurora ${member.syncStatus}`;
  const cluster = a.clusters[region];
  if (cluster?.ok && cluster.value.status !== 'available') return `Aurora cluster ${cluster.value.status}`;
  return undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
