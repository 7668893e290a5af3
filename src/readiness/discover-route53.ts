// `mr init`'s Route 53 section: the hosted zone, its record groups with a set identifier per region
// (weighted, latency, failover) and the health checks attached to them, the CALCULATED parents and
// their control children, and the CNAMEs that point at a database or cache endpoint (route53.point).
// Routing policies: Route 53 developer guide, "Choosing a routing policy" (routing-policy.html). A
// latency or failover record is moved by its health check (route53.drain), so a group with a record
// that has none is left commented out. Where a record's health check is CALCULATED over two children
// (the architecture of the latency world), the child whose endpoint every region's parent shares is
// the control check and the other the application check; AWS gives the two no marks, so when that
// rule does not decide, the group is left commented out with the reason.
import type { Aws, HealthCheckInfo, RecordSet, Region } from '../aws/types.js';
import { UsageError } from '../io/errors.js';
import { pick, q, regionOfSet, type DiscoverOptions } from './discover-common.js';

interface RecordGroup {
  name: string;
  type: string;
  sets: RecordSet[];
}

function groups(records: RecordSet[]): RecordGroup[] {
  const by = new Map<string, RecordGroup>();
  for (const r of records) {
    if (r.setIdentifier === undefined) continue;
    const key = `${r.name} ${r.type}`;
    const g = by.get(key) ?? { name: r.name, type: r.type, sets: [] };
    g.sets.push(r);
    by.set(key, g);
  }
  return [...by.values()];
}

const policyOf = (r: RecordSet) => (r.weight !== undefined ? 'weighted' : r.failover ? 'failover' : r.region ? 'latency' : 'other');

/** A CNAME that names an Aurora cluster endpoint, an RDS instance endpoint or an ElastiCache endpoint. */
export interface FollowCandidate {
  name: string;
  follows: 'aurora' | 'rds' | 'elasticache';
}

// Endpoint forms: <cluster>.cluster-<id>.<region>.rds.amazonaws.com (Aurora, "Types of Aurora endpoints"),
// <instance>.<id>.<region>.rds.amazonaws.com (RDS), <...>.cache.amazonaws.com (ElastiCache endpoints).
function followOf(r: RecordSet): FollowCandidate['follows'] | undefined {
  const v = r.values?.length === 1 ? r.values[0]!.toLowerCase().replace(/\.$/, '') : '';
  if (/\.cluster-[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com$/.test(v)) return 'aurora';
  if (/\.rds\.amazonaws\.com$/.test(v)) return 'rds';
  if (/\.cache\.amazonaws\.com$/.test(v)) return 'elasticache';
  return undefined;
}

/** The CNAME lines for the data sections that were written. */
export function followNames(names: FollowCandidate[], written: Set<FollowCandidate['follows']>): string[] {
  const kept = names.filter((n) => written.has(n.follows));
  if (kept.length === 0) return [];
  return [
    '  # CNAMEs that point at the data tier: route53.point moves them to the new primary',
    '  names:',
    ...kept.map((n) => `    - { name: ${n.name}, follows: ${n.follows} }`),
  ];
}

interface RegionChecks {
  app: string;
  control?: string;
}

/**
 * Each region's application (and control) check, from the checks the groups' records name. A plain
 * check is the application check; a CALCULATED one over two children splits them by the rule above.
 */
function splitChecks(attached: Map<Region, string>, all: Map<string, HealthCheckInfo>): Map<Region, RegionChecks> | string {
  const out = new Map<Region, RegionChecks>();
  const parents = [...attached.entries()].map(([r, id]) => [r, all.get(id)] as const);
  const endpoint = (id: string) => {
    const c = all.get(id)?.config;
    return c ? `${c.fqdn ?? c.ipAddress ?? ''}:${c.port ?? ''}` : id;
  };
  const calculated = parents.filter(([, p]) => p?.config.type === 'CALCULATED');
  if (calculated.length === 0) {
    for (const [r, id] of attached) out.set(r, { app: id });
    return out;
  }
  if (calculated.length !== parents.length) return 'some regions name a CALCULATED check and some do not';
  const shared = new Map<string, number>();
  for (const [, p] of calculated) for (const c of new Set((p!.config.childHealthChecks ?? []).map(endpoint))) shared.set(c, (shared.get(c) ?? 0) + 1);
  for (const [r, p] of calculated) {
    const children = p!.config.childHealthChecks ?? [];
    if (children.length !== 2) return `the calculated check ${p!.id} has ${children.length} children, not an application check and a control check`;
    const control = children.filter((c) => shared.get(endpoint(c)) === calculated.length);
    if (control.length !== 1) return `the children of ${p!.id} do not say which is the control check (no endpoint shared by every region's parent alone)`;
    out.set(r, { app: children.find((c) => c !== control[0])!, control: control[0]! });
  }
  return out;
}

export async function route53Section(aws: Aws, o: DiscoverOptions, out: string[]): Promise<{ zone?: string; names: FollowCandidate[] }> {
  const d = aws.discovery();
  const zones = (await d.hostedZones()).filter((z) => !z.privateZone || o.zone !== undefined);
  let zone: (typeof zones)[number] | undefined;
  if (o.zone !== undefined) {
    const want = o.zone.endsWith('.') ? o.zone : `${o.zone}.`;
    zone = zones.find((z) => z.id === o.zone || z.name === want);
    if (!zone) throw new UsageError(`--zone ${o.zone}: no such hosted zone in the account (${zones.map((z) => z.name).join(', ') || 'none'})`);
  } else {
    zone = await pick(
      o.choose,
      'Which hosted zone holds the records to shift?',
      zones.map((z) => ({ label: `${z.name} (${z.id})`, value: z })),
    );
    if (!zone) {
      out.push('# route53: several hosted zones and no terminal to ask which; run mr init --zone <name>, or uncomment one:');
      for (const z of zones) out.push(`#   hostedZoneId: ${z.id}   # ${z.name}`);
      return { names: [] };
    }
  }
  const [records, checkList] = await Promise.all([d.zoneRecords(zone.id), d.healthChecks()]);
  const all = new Map(checkList.map((h) => [h.id, h]));
  const names: FollowCandidate[] = [];
  for (const r of records) {
    const follows = r.setIdentifier === undefined && r.type === 'CNAME' ? followOf(r) : undefined;
    if (follows) names.push({ name: r.name, follows });
  }
  const lines: string[] = ['route53:', `  hostedZoneId: ${zone.id}   # ${zone.name}`, '  records:'];
  const left: string[] = [];
  const attached = new Map<Region, string>();
  let kept = 0;
  for (const g of groups(records)) {
    const kinds = new Set(g.sets.map(policyOf));
    const label = `${g.name} ${g.type}`;
    const kind = [...kinds][0]!;
    if (kinds.size > 1 || kind === 'other') {
      left.push(`  # ${label}: ${[...kinds].join('/')} routing, which mr does not move`);
      continue;
    }
    // The region of each record: latency records carry it; otherwise the set identifier, the health
    // check's endpoint or the record's value must name it.
    const regionOf = (s: RecordSet): Region | undefined => {
      if (s.region) return o.regions.includes(s.region) ? s.region : undefined;
      const hc = s.healthCheckId ? all.get(s.healthCheckId)?.config : undefined;
      for (const text of [s.setIdentifier!, hc?.fqdn ?? '', s.aliasTarget?.dnsName ?? '', ...(s.values ?? [])]) {
        const r = text ? regionOfSet(text, o.regions) : undefined;
        if (r) return r;
      }
      return undefined;
    };
    const byRegion: Record<Region, RecordSet> = {};
    for (const s of g.sets) {
      const r = regionOf(s);
      if (r && !byRegion[r]) byRegion[r] = s;
    }
    const present = o.regions.filter((r) => byRegion[r]);
    const missing = o.regions.filter((r) => !byRegion[r]);
    const ids = present.map((r) => `${r}: ${q(byRegion[r]!.setIdentifier!)}`);
    const entry = `{ ${kind === 'weighted' ? '' : `kind: ${kind}, `}name: ${g.name}, type: ${g.type}, setIdentifiers: { ${ids.join(', ')} } }`;
    const leave = (why: string) => left.push(`  # ${label}: ${kind} routing, ${why}:`, `  # - ${entry}`);
    if (kind === 'weighted' && missing.length) {
      leave(`but it spans only ${present.join(', ') || 'none'} of the regions (no set identifier names ${missing.join(', ')})`);
      continue;
    }
    if (kind !== 'weighted') {
      const outside = [...new Set(g.sets.filter((s) => s.region && !o.regions.includes(s.region)).map((s) => s.region!))];
      const unplaced = g.sets.filter((s) => !s.region && !regionOf(s));
      if (outside.length) {
        leave(`but it also routes to ${outside.join(', ')}, which --regions leaves out`);
        continue;
      }
      if (unplaced.length || present.length < 2 || (kind === 'failover' && present.length !== 2)) {
        leave(
          `but ${unplaced.length ? `nothing names the region of ${unplaced.map((s) => s.setIdentifier).join(', ')}` : `it spans only ${present.join(', ')}`}`,
        );
        continue;
      }
      const bare = present.filter((r) => !byRegion[r]!.healthCheckId);
      if (bare.length) {
        leave(`but the record of ${bare.join(', ')} has no health check, so route53.drain cannot move it`);
        continue;
      }
    }
    kept++;
    lines.push(`    - name: ${g.name}`);
    if (kind !== 'weighted') lines.push(`      kind: ${kind}`);
    lines.push(`      type: ${g.type}`);
    if (kind === 'failover') lines.push(`      primary: ${present.find((r) => byRegion[r]!.failover === 'PRIMARY')}`);
    lines.push(`      setIdentifiers: { ${ids.join(', ')} }`);
    for (const r of present) if (byRegion[r]!.healthCheckId && !attached.has(r)) attached.set(r, byRegion[r]!.healthCheckId!);
  }
  if (kept === 0) {
    out.push(`# route53: no record group in ${zone.name} has a set identifier per region (${o.regions.join(', ')}) and the health checks to move it`, ...left);
    return { zone: zone.name, names: [] };
  }
  lines.push(...left);
  const split = splitChecks(attached, all);
  if (typeof split === 'string') {
    lines.push(`  # the records' health checks are CALCULATED, but ${split}; name each region's application check:`);
  }
  const checks = typeof split === 'string' ? new Map<Region, RegionChecks>() : split;
  lines.push("  # the health check watching each region's application");
  lines.push('  healthChecks:');
  for (const r of o.regions)
    lines.push(
      checks.get(r) ? `    ${r}: ${checks.get(r)!.app}` : `    # ${r}: no record of this region has a health check attached; create one and attach it`,
    );
  if ([...checks.values()].some((c) => c.control)) {
    lines.push("  # the control child of each region's CALCULATED check: route53.drain inverts it");
    lines.push('  controlHealthChecks:');
    for (const r of o.regions) if (checks.get(r)?.control) lines.push(`    ${r}: ${checks.get(r)!.control}`);
  }
  out.push(...lines);
  return { zone: zone.name, names };
}
