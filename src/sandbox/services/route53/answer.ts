// What Route 53 answers for a name and type, the way TestDNSAnswer reports it. Rules, from the Route 53
// developer guide "How Amazon Route 53 chooses records when health checking is configured"
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html):
// - Route 53 first picks a record by the routing policy, then checks its health; an unhealthy pick is
//   replaced by another pick by the same rules until a healthy one is found.
// - A record without a health check is always healthy.
// - When every record of the group is unhealthy, Route 53 answers as if all were healthy.
// - A record's health: its HealthCheckId's verdict (health-verdict.ts); an alias with
//   EvaluateTargetHealth also needs its target healthy. A target in the same zone is a group of records,
//   healthy when at least one of them is ("What happens when you omit health checks?" / "Evaluate target
//   health", https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html).
//   ⚠ With both a HealthCheckId and EvaluateTargetHealth the sandbox needs both healthy (AWS recommends
//   against combining them and does not spell out the result; this is the reading that serves less).
//   ⚠ An alias to anything outside the zone (ELB, CloudFront, ...) is healthy, and answers its DNSName:
//   the sandbox has no such resource to resolve.
// Per policy:
// - Weighted ("Weighted routing", .../routing-policy-weighted.html, "Health checks and weighted routing"):
//   a record's share is weight / sum of weights; records of weight 0 are considered only when every
//   non-zero record is unhealthy; when all weights are 0 every record has an equal share. The sandbox's
//   pick is deterministic: a SHA-256 of the query (zone, name, type, resolver, client subnet) picks a
//   point in the total weight, so one query always gets the same answer and many different clients
//   split by the weights.
// - Failover (API reference, ResourceRecordSet.Failover): PRIMARY while it is healthy, whatever the
//   SECONDARY; SECONDARY when the PRIMARY is unhealthy and the SECONDARY healthy (a SECONDARY without a
//   health check always is); PRIMARY again when both are unhealthy.
// - Latency ("Latency-based routing", .../routing-policy-latency.html): the healthy record whose Region is
//   nearest the client (client-location.ts); when all are unhealthy, the nearest.
// - Multivalue answer (.../routing-policy-multivalue.html): up to eight healthy records' values.
// - Simple: the record's values.
import { createHash } from 'node:crypto';
import type { CoreServiceContext } from '../../runtime.js';
import { byDistance } from './client-location.js';
import { isCheckHealthy } from './health-verdict.js';
import type { Route53State, StoredRecord, Zone } from './model.js';
import { nameKey, sameNameAndType, startIndex } from './records.js';

export interface Query {
  /** Lower case, trailing dot. */
  name: string;
  type: string;
  /** The region client-location.ts places the client in. */
  clientRegion: string;
  /** Everything that identifies the query, for the weighted pick. */
  seed: string;
}

export interface Answer {
  responseCode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED';
  data: string[];
}

/** Aliases followed at most this deep (Route 53 rejects alias loops at change time; this is a guard). */
const MAX_DEPTH = 8;

interface Env {
  state: Route53State;
  ctx: CoreServiceContext;
  zone: Zone;
}

function inZone(zone: Zone, name: string): boolean {
  return name === zone.name || name.endsWith(`.${zone.name}`);
}

function sameZoneTarget(env: Env, r: StoredRecord): string | undefined {
  const a = r.alias;
  if (!a || a.hostedZoneId !== env.zone.id || !inZone(env.zone, a.dnsName)) return undefined;
  return a.dnsName;
}

function recordHealthy(env: Env, r: StoredRecord, depth: number): boolean {
  if (r.healthCheckId !== undefined && !isCheckHealthy(env.state, env.ctx, r.healthCheckId)) return false;
  if (!r.alias?.evaluateTargetHealth) return true;
  const target = sameZoneTarget(env, r);
  if (target === undefined || depth >= MAX_DEPTH) return true;
  return sameNameAndType(env.zone.records, target, r.type).some((t) => recordHealthy(env, t, depth + 1));
}

/** A point in [0, total) from the query, the same every time for the same query. */
function point(seed: string, total: number): number {
  const h = createHash('sha256').update(seed).digest();
  return h.readUInt32BE(0) % total;
}

function pickWeighted(records: StoredRecord[], seed: string): StoredRecord {
  const total = records.reduce((n, r) => n + (r.weight ?? 0), 0);
  if (total === 0) return records[point(seed, records.length)]!;
  let at = point(seed, total);
  for (const r of records) {
    at -= r.weight ?? 0;
    if (at < 0) return r;
  }
  return records[records.length - 1]!;
}

function weighted(group: StoredRecord[], healthy: (r: StoredRecord) => boolean, seed: string): StoredRecord {
  const nonZero = group.filter((r) => (r.weight ?? 0) > 0);
  const zero = group.filter((r) => (r.weight ?? 0) === 0);
  const up = nonZero.filter(healthy);
  if (up.length) return pickWeighted(up, seed);
  const zeroUp = zero.filter(healthy);
  if (zeroUp.length) return pickWeighted(zeroUp, seed);
  // All unhealthy: as if all were healthy, so the non-zero records again (zero ones only if all are 0).
  return pickWeighted(nonZero.length ? nonZero : zero, seed);
}

function failover(group: StoredRecord[], healthy: (r: StoredRecord) => boolean): StoredRecord {
  const primary = group.find((r) => r.failover === 'PRIMARY');
  const secondary = group.find((r) => r.failover === 'SECONDARY');
  if (!primary) return secondary!;
  if (healthy(primary) || !secondary) return primary;
  return healthy(secondary) ? secondary : primary;
}

function choose(env: Env, group: StoredRecord[], q: Query, depth: number): StoredRecord[] {
  const healthy = (r: StoredRecord) => recordHealthy(env, r, depth);
  const first = group[0]!;
  if (first.weight !== undefined) return [weighted(group, healthy, q.seed)];
  if (first.failover !== undefined) return [failover(group, healthy)];
  if (first.region !== undefined) {
    const ranked = byDistance(q.clientRegion, group);
    return [ranked.find(healthy) ?? ranked[0]!];
  }
  if (first.multiValueAnswer !== undefined) {
    const up = group.filter(healthy);
    return (up.length ? up : group).slice(0, 8);
  }
  return group;
}

function valuesOf(env: Env, r: StoredRecord, q: Query, depth: number): string[] {
  if (r.values) return r.values;
  const target = sameZoneTarget(env, r);
  if (target === undefined || depth >= MAX_DEPTH) return [r.alias!.dnsName.replace(/\.$/, '')];
  return resolve(env, { ...q, name: target, type: r.type }, depth + 1).data;
}

/** Whether anything lives at or below this name (an empty non-terminal answers NOERROR, not NXDOMAIN). */
function nameExists(zone: Zone, name: string): boolean {
  const next = zone.records[startIndex(zone.records, { name })];
  if (!next) return false;
  const key = nameKey(name);
  const k = nameKey(next.name);
  // Names at or below this one are exactly those whose sort string starts with its own (which ends with the dot).
  return k.startsWith(key);
}

// ⚠ Wildcard records (*.zone) are stored but not matched: a name only they would answer is NXDOMAIN here.
function resolve(env: Env, q: Query, depth: number): Answer {
  let group = sameNameAndType(env.zone.records, q.name, q.type);
  // A CNAME at the name answers a query of any type, as an authoritative server puts it in the answer
  // section. ⚠ Whether TestDNSAnswer then also follows the CNAME inside the zone is unverified; the
  // sandbox does not.
  if (!group.length && q.type !== 'CNAME') group = sameNameAndType(env.zone.records, q.name, 'CNAME');
  if (!group.length) return { responseCode: nameExists(env.zone, q.name) ? 'NOERROR' : 'NXDOMAIN', data: [] };
  const chosen = choose(env, group, q, depth);
  return { responseCode: 'NOERROR', data: chosen.flatMap((r) => valuesOf(env, r, q, depth)) };
}

export function answer(state: Route53State, ctx: CoreServiceContext, zone: Zone, q: Query): Answer {
  // ⚠ A name outside the zone: an authoritative server REFUSEs it; what TestDNSAnswer says is unverified.
  if (!inZone(zone, q.name)) return { responseCode: 'REFUSED', data: [] };
  return resolve({ state, ctx, zone }, q, 0);
}
