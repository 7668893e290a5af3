// Judge an observed state against the topology: what is wrong and where, most severe first. Pure:
// no I/O, no clock, so every rule is unit-tested (test/unit/inspect-judge.test.ts).
import { rolesOf } from './roles.js';
import { judgeRds } from './rds.js';
import type { Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import type { Finding, Observed, ObservedState, Severity } from './types.js';

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Regions that take traffic: a weight above 0 on any of the topology's records. */
export function servingRegions(state: ObservedState): Set<Region> {
  const out = new Set<Region>();
  for (const rec of state.route53?.records ?? []) {
    if (rec.ok) for (const s of rec.value.sets) if ((s.weight ?? 0) > 0) out.add(s.region);
  }
  return out;
}

/**
 * The status text most failing checkers agree on, cut at its first sentence: Route 53 appends
 * advice and a documentation link, which `mr health` shows in full.
 */
function commonReason(statuses: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const s of statuses) {
    const first = s.replace(/^(.*?\.)\s.*$/s, '$1');
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function judgeRoute53(state: ObservedState, serving: Set<Region>, add: (f: Finding) => void): void {
  const r53 = state.route53;
  if (!r53) return;
  let controlPlaneDown: string | undefined;
  for (const rec of r53.records) {
    if (!rec.ok) {
      if (rec.unreachable) controlPlaneDown ??= rec.error;
      else add({ severity: 'warning', message: `route 53: cannot read records: ${rec.error}` });
      continue;
    }
    const { name, type, sets } = rec.value;
    for (const s of sets) {
      if (!s.found)
        add({ severity: 'warning', region: s.region, message: `${s.region}: ${name} ${type} has no record with set identifier "${s.setIdentifier}"` });
      else if (s.weight === undefined)
        add({ severity: 'warning', region: s.region, message: `${s.region}: ${name} ${type} "${s.setIdentifier}" is not a weighted record` });
    }
    const weighted = sets.filter((s) => s.found && s.weight !== undefined);
    if (weighted.length > 0 && weighted.every((s) => s.weight === 0)) {
      add({ severity: 'critical', message: `${name} ${type}: every weight is 0, so Route 53 answers with all records alike` });
    }
  }
  for (const region of state.regions) {
    const hc = r53.healthChecks[region];
    if (!hc) continue;
    if (!hc.ok) {
      if (hc.unreachable) controlPlaneDown ??= hc.error;
      else add({ severity: 'warning', region, message: `${region}: cannot read health check: ${hc.error}` });
      continue;
    }
    const v = hc.value;
    const total = v.checkers.length;
    const failing = v.checkers.filter((c) => !c.healthy);
    const reason = commonReason(failing.map((c) => c.status));
    if (v.config.disabled) {
      add({ severity: 'warning', region, message: `${region}: health check ${v.id} is disabled, so Route 53 treats it as healthy whatever the endpoint does` });
    } else if (!v.healthy) {
      const why = v.config.inverted ? 'inverted, and its endpoint answers' : reason ? reason : 'no checker reports success';
      add({
        severity: serving.has(region) ? 'critical' : 'warning',
        region,
        message: `${region}: health check failing, ${v.healthyCheckers}/${total} checkers healthy: ${why}`,
      });
    } else if (failing.length > 0) {
      add({ severity: 'info', region, message: `${region}: ${failing.length}/${total} health checkers report failure: ${reason}` });
    }
    if (v.config.inverted && v.healthy) add({ severity: 'info', region, message: `${region}: health check ${v.id} is inverted` });
  }
  if (controlPlaneDown) {
    add({
      severity: 'critical',
      message: `route 53 control plane (us-east-1) unreachable: ${controlPlaneDown}; weights cannot change, health-check-driven failover still works`,
    });
  }
}

function judgeAurora(state: ObservedState, t: Topology, add: (f: Finding) => void): void {
  const a = state.aurora;
  if (!a || !t.aurora) return;
  const id = a.globalClusterId;
  if (!a.global.ok) {
    add({ severity: 'critical', message: `aurora ${id}: cannot read the global cluster: ${a.global.error}` });
  } else {
    const g = a.global.value;
    const writer = g.members.find((m) => m.isWriter);
    if (g.failover) {
      const from = g.members.find((m) => m.clusterArn === g.failover?.fromArn)?.region ?? g.failover.fromArn ?? '?';
      const to = g.members.find((m) => m.clusterArn === g.failover?.toArn)?.region ?? g.failover.toArn ?? '?';
      const kind = g.failover.dataLossAllowed ? 'failover (data loss allowed)' : 'switchover';
      add({ severity: 'warning', message: `aurora ${id}: ${kind} in progress from ${from} to ${to} (${g.failover.status})` });
    } else if (g.status !== 'available') {
      add({ severity: 'warning', message: `aurora ${id}: global cluster is ${g.status}, not available` });
    }
    if (!writer) add({ severity: 'critical', message: `aurora ${id}: no member is the writer` });
    for (const region of state.regions) {
      const clusterId = t.aurora.clusters[region];
      const member = g.members.find((m) => m.region === region && m.clusterId === clusterId);
      if (!member) {
        add({ severity: 'warning', region, message: `${region}: aurora cluster ${clusterId} is not a member of ${id}` });
        continue;
      }
      // pending-resync: Aurora is rebuilding it after an unplanned failover (unreadable, no lag, cannot take over;
      // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
      const rebuilding = !!member.syncStatus && member.syncStatus !== 'connected';
      if (rebuilding) {
        add({
          severity: 'warning',
          region,
          message: `${region}: aurora ${clusterId} is rebuilding (${member.syncStatus}), not in sync: not a failover or switchover target until it is`,
        });
      }
      const lag = a.lagMs[region];
      if (member.isWriter || rebuilding || !lag || state.unreachable[region]) continue;
      if (!lag.ok) add({ severity: 'info', region, message: `${region}: cannot read aurora replication lag: ${lag.error}` });
      else if (lag.value === null) add({ severity: 'info', region, message: `${region}: no aurora replication lag datapoint for ${clusterId}` });
      else if (lag.value > a.maxLagMs)
        add({ severity: 'warning', region, message: `${region}: aurora replication lag ${lag.value} ms is above the bound ${a.maxLagMs} ms` });
    }
  }
  judgeWriterEndpoint(a, add);
  for (const region of state.regions) {
    const c = a.clusters[region];
    if (!c || state.unreachable[region]) continue;
    if (!c.ok) add({ severity: 'warning', region, message: `${region}: cannot read aurora cluster ${t.aurora.clusters[region]}: ${c.error}` });
    else if (c.value.status !== 'available') add({ severity: 'warning', region, message: `${region}: aurora cluster ${c.value.id} is ${c.value.status}` });
  }
}

/**
 * The global writer endpoint must name the writer cluster's endpoint: Aurora moves it there after a switchover
 * or failover (aurora-global-database-connecting.html). While one runs it may name either, so no finding then.
 */
function judgeWriterEndpoint(a: NonNullable<ObservedState['aurora']>, add: (f: Finding) => void): void {
  const we = a.writerEndpoint;
  if (!we || !a.global.ok || a.global.value.failover) return;
  const id = a.globalClusterId;
  if (!we.ok) {
    add({ severity: 'info', message: `aurora ${id}: cannot resolve the global writer endpoint ${a.global.value.writerEndpoint}: ${we.error}` });
    return;
  }
  const writer = a.global.value.members.find((m) => m.isWriter);
  const c = writer ? a.clusters[writer.region] : undefined;
  const expected = c?.ok ? c.value.endpoint?.toLowerCase().replace(/\.$/, '') : undefined;
  if (!writer || !expected || we.value.names.includes(expected)) return;
  add({
    severity: 'warning',
    region: writer.region,
    message: `aurora ${id}: the global writer endpoint ${we.value.name} ${we.value.names.length ? `names ${we.value.names.join(', ')}` : 'answers no CNAME'}, not the writer ${writer.clusterId} (${expected}): applications connecting by it do not reach the writer`,
  });
}

function judgeElastiCache(state: ObservedState, t: Topology, add: (f: Finding) => void): void {
  const e = state.elasticache;
  if (!e || !t.elasticache) return;
  const id = e.globalReplicationGroupId;
  if (!e.datastore.ok) {
    add({ severity: 'critical', message: `global datastore ${id}: cannot read: ${e.datastore.error}` });
  } else {
    const d = e.datastore.value;
    if (d.status !== 'available') add({ severity: 'warning', message: `global datastore ${id} is ${d.status}, not available` });
    if (!d.members.some((m) => m.role.toUpperCase() === 'PRIMARY')) add({ severity: 'critical', message: `global datastore ${id} has no primary` });
    for (const region of state.regions) {
      const groupId = t.elasticache.replicationGroups[region];
      const m = d.members.find((x) => x.region === region && x.replicationGroupId === groupId);
      if (!m) add({ severity: 'warning', region, message: `${region}: replication group ${groupId} is not a member of ${id}` });
      else if (m.status !== 'associated') add({ severity: 'warning', region, message: `${region}: global datastore member ${groupId} is ${m.status}` });
    }
  }
  for (const region of state.regions) {
    const g = e.replicationGroups[region];
    if (!g || state.unreachable[region]) continue;
    if (!g.ok) add({ severity: 'warning', region, message: `${region}: cannot read replication group ${t.elasticache.replicationGroups[region]}: ${g.error}` });
    else if (g.value.status !== 'available') add({ severity: 'warning', region, message: `${region}: replication group ${g.value.id} is ${g.value.status}` });
  }
}

function judgeEcs(state: ObservedState, serving: Set<Region>, add: (f: Finding) => void): void {
  for (const region of state.regions) {
    const e = state.ecs?.[region];
    if (!e || state.unreachable[region]) continue;
    if (!e.ok) {
      add({ severity: 'warning', region, message: `${region}: cannot read ecs services: ${e.error}` });
      continue;
    }
    for (const s of e.value.services) {
      const where = `${region}: ecs ${e.value.cluster}/${s.name}`;
      if (s.status === 'MISSING') {
        add({ severity: 'critical', region, message: `${where} does not exist` });
        continue;
      }
      if (s.status !== 'ACTIVE') add({ severity: 'warning', region, message: `${where} is ${s.status}` });
      if (s.running < s.desired) {
        const down = serving.has(region) && s.running === 0;
        add({ severity: down ? 'critical' : 'warning', region, message: `${where}: running ${s.running} of ${s.desired} desired (${s.pending} pending)` });
      }
      if (serving.has(region) && s.desired < s.capacity) {
        add({ severity: 'warning', region, message: `${where}: desired ${s.desired} is below its capacity ${s.capacity} while the region takes traffic` });
      }
    }
  }
}

/**
 * A half-moved system (a failover stopped in its data stage): the writer, the datastore primary and
 * the traffic in different regions. Traffic to a region whose database is a read-only secondary is
 * critical: writes there fail (an Aurora global database's secondary clusters are read-only:
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html; so are a
 * Global Datastore's secondaries: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html).
 * The database of record decides: with Aurora, the writer; without it, the datastore primary.
 */
function judgeSplit(state: ObservedState, add: (f: Finding) => void): void {
  const { writer, cachePrimary, traffic } = rolesOf(state);
  const record = writer ?? cachePrimary;
  const recordName = writer ? (state.aurora ? 'aurora writer' : 'rds primary') : 'datastore primary';
  const readOnly = (traffic ?? []).filter((r) => record !== undefined && r !== record);
  if (readOnly.length > 0) {
    add({ severity: 'critical', message: `traffic goes to ${readOnly.join(', ')}, whose data tier is read-only there: the ${recordName} is in ${record}` });
  }
  if (writer && cachePrimary && writer !== cachePrimary) {
    add({
      severity: 'warning',
      message: `split: the aurora writer is in ${writer} but the datastore primary is in ${cachePrimary}${traffic?.length ? `; traffic goes to ${traffic.join(', ')}` : ''}`,
    });
  }
}

/** Every Observed value in the state, wherever it sits. */
function observations(x: unknown, out: Observed<unknown>[] = []): Observed<unknown>[] {
  if (!x || typeof x !== 'object') return out;
  const o = x as Record<string, unknown>;
  if (typeof o.ok === 'boolean' && ('value' in o || 'error' in o)) {
    out.push(o as Observed<unknown>);
    if (o.ok) return out;
  }
  for (const v of Object.values(o)) observations(v, out);
  return out;
}

/**
 * Nothing was read at all, and every read failed the same way (no answer; or one error code, such as
 * missing credentials): one finding that says so, instead of one per resource that all mean it.
 */
export function nothingAnswered(state: ObservedState, endpoint?: string): Finding | undefined {
  const seen = observations({ route53: state.route53, aurora: state.aurora, elasticache: state.elasticache, ecs: state.ecs });
  const failed = seen.filter((o): o is Extract<Observed<unknown>, { ok: false }> => !o.ok);
  if (seen.length === 0 || failed.length !== seen.length) return undefined;
  const where = endpoint ? `at ${endpoint}` : 'in any region';
  if (failed.every((o) => o.unreachable)) {
    return { severity: 'critical', message: `nothing answered ${where}: ${failed[0]!.error}; check the network, VPN, proxy and --endpoint-url` };
  }
  // "no region answered (...)" sums up the per-region reads below it: judged by those.
  const direct = failed.filter((o) => !o.error.startsWith('no region answered'));
  const codeOf = (e: string) => /^([A-Za-z]+(?:Error|Exception|Fault)?):/.exec(e)?.[1];
  const code = direct[0] && codeOf(direct[0].error);
  if (code && direct.every((o) => codeOf(o.error) === code)) {
    return {
      severity: 'critical',
      message: `every call failed the same way ${where}: ${direct[0]!.error}; check the credentials (--profile, AWS_PROFILE, AWS_ACCESS_KEY_ID) and their permissions`,
    };
  }
  return undefined;
}

export function judge(state: ObservedState, topology: Topology, opts: { endpoint?: string } = {}): Finding[] {
  const none = nothingAnswered(state, opts.endpoint);
  if (none) return [none];
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);
  for (const region of state.regions) {
    const why = state.unreachable[region];
    if (why) add({ severity: 'critical', region, message: `${region}: unreachable: ${why}` });
  }
  const serving = servingRegions(state);
  judgeRoute53(state, serving, add);
  judgeAurora(state, topology, add);
  judgeElastiCache(state, topology, add);
  judgeEcs(state, serving, add);
  judgeRds(state, add);
  judgeSplit(state, add);
  return sortFindings(findings);
}

/** Most severe first; Array.prototype.sort is stable, so within a severity findings keep their order. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/** Healthy when nothing is critical or a warning (info does not change the exit code). */
export function isHealthy(findings: Finding[]): boolean {
  return findings.every((f) => f.severity === 'info');
}
