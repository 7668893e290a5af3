// `mr init`: read the account and write a commented topology. Reads only. Where the account offers
// several candidates for one slot (hosted zones, global clusters, datastores, ECS clusters), `choose`
// asks on a terminal; without one (it answers undefined) every candidate is written commented out
// with a line saying why, so the file still validates and the operator picks by uncommenting.
import type { Aws, RecordSet, Region } from '../aws/types.js';
import { UsageError } from '../io/errors.js';

export interface Candidate<T> {
  label: string;
  value: T;
}

/** Pick one candidate (a terminal prompt), or undefined when there is no one to ask. */
export type Chooser = <T>(question: string, candidates: Candidate<T>[]) => Promise<T | undefined>;

export interface DiscoverOptions {
  regions: Region[];
  /** Hosted zone name (with or without the trailing dot) or id. */
  zone?: string;
  name?: string;
  choose: Chooser;
}

const q = (s: string) => (/^[A-Za-z_][A-Za-z0-9._/-]*$/.test(s) && !/^(true|false|null|yes|no|on|off)$/i.test(s) ? s : JSON.stringify(s));

/** use1 for us-east-1, euw1 for eu-west-1: the short form set identifiers and resource names often use. */
export function regionShort(region: Region): string {
  const [geo, dir, n] = [region.split('-')[0]!, region.split('-').slice(1, -1).join('-'), region.split('-').at(-1)!];
  return `${geo}${dir
    .split('-')
    .map((d) => d[0])
    .join('')}${n}`;
}

/** The region a set identifier names (us-east-1 or use1 in it), if exactly one of `regions` fits. */
export function regionOfSet(setIdentifier: string, regions: Region[]): Region | undefined {
  const id = setIdentifier.toLowerCase();
  const hits = regions.filter((r) => id.includes(r) || new RegExp(`(^|[^a-z0-9])${regionShort(r)}($|[^a-z0-9])`).test(id));
  return hits.length === 1 ? hits[0] : undefined;
}

async function pick<T>(choose: Chooser, question: string, candidates: Candidate<T>[]): Promise<T | undefined> {
  if (candidates.length === 1) return candidates[0]!.value;
  if (candidates.length === 0) return undefined;
  return choose(question, candidates);
}

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

async function route53Section(aws: Aws, o: DiscoverOptions, out: string[]): Promise<string | undefined> {
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
      return undefined;
    }
  }
  const records = await d.zoneRecords(zone.id);
  const lines: string[] = ['route53:', `  hostedZoneId: ${zone.id}   # ${zone.name}`, '  records:'];
  const left: string[] = [];
  const healthChecks: Record<Region, string> = {};
  let kept = 0;
  for (const g of groups(records)) {
    const kinds = new Set(g.sets.map(policyOf));
    const label = `${g.name} ${g.type}`;
    if (!kinds.has('weighted') || kinds.size > 1) {
      left.push(`  # ${label}: ${[...kinds].join('/')} routing, which this topology's records (weighted) do not describe`);
      continue;
    }
    const byRegion: Record<Region, RecordSet> = {};
    for (const s of g.sets) {
      const r = regionOfSet(s.setIdentifier!, o.regions);
      if (r && !byRegion[r]) byRegion[r] = s;
    }
    const missing = o.regions.filter((r) => !byRegion[r]);
    const ids = o.regions.filter((r) => byRegion[r]).map((r) => `${r}: ${q(byRegion[r]!.setIdentifier!)}`);
    if (missing.length) {
      left.push(`  # ${label}: spans only ${Object.keys(byRegion).join(', ') || 'none'} of the regions (no set identifier names ${missing.join(', ')}):`);
      left.push(`  # - { name: ${g.name}, type: ${g.type}, setIdentifiers: { ${ids.join(', ')} } }`);
      continue;
    }
    kept++;
    lines.push(`    - name: ${g.name}`, `      type: ${g.type}`, `      setIdentifiers: { ${ids.join(', ')} }`);
    for (const r of o.regions) if (byRegion[r]!.healthCheckId && !healthChecks[r]) healthChecks[r] = byRegion[r]!.healthCheckId!;
  }
  if (kept === 0) {
    out.push(`# route53: no weighted record in ${zone.name} has a set identifier per region (${o.regions.join(', ')})`, ...left);
    return zone.name;
  }
  lines.push(...left);
  lines.push("  # the health check attached to each region's records");
  lines.push('  healthChecks:');
  for (const r of o.regions)
    lines.push(healthChecks[r] ? `    ${r}: ${healthChecks[r]}` : `    # ${r}: no record of this region has a health check attached; create one and attach it`);
  out.push(...lines);
  return zone.name;
}

async function auroraSection(aws: Aws, o: DiscoverOptions, out: string[]): Promise<void> {
  const all = await aws.discovery().globalClusters(o.regions[0]!);
  const here = all.filter((g) => g.members.some((m) => o.regions.includes(m.region)));
  const write = (g: (typeof here)[number], prefix: string) => {
    const clusters = o.regions.map((r) => {
      const m = g.members.find((x) => x.region === r);
      return m ? `${r}: ${q(m.clusterId)}` : undefined;
    });
    const lacking = o.regions.filter((_, i) => !clusters[i]);
    if (lacking.length) out.push(`${prefix}# ${g.id} has no member in ${lacking.join(', ')}`);
    out.push(
      `${prefix}aurora:`,
      `${prefix}  globalClusterId: ${q(g.id)}   # ${g.engine ?? ''} ${g.engineVersion ?? ''}`.trimEnd(),
      `${prefix}  clusters: { ${clusters.filter(Boolean).join(', ')} }`,
      `${prefix}  maxLagMs: 1000   # refuse a planned switchover above this lag`,
    );
  };
  const chosen = await pick(
    o.choose,
    'Which Aurora global database fails over?',
    here.map((g) => ({ label: `${g.id} (${g.members.length} members)`, value: g })),
  );
  if (chosen && o.regions.every((r) => chosen.members.some((m) => m.region === r))) return write(chosen, '');
  if (here.length === 0) return void out.push(`# aurora: no global database with a member in ${o.regions.join(', ')}`);
  out.push(
    chosen
      ? '# aurora: the global database lacks a member in some regions; complete it, then uncomment:'
      : '# aurora: several global databases and no terminal to ask which; uncomment one:',
  );
  for (const g of chosen ? [chosen] : here) write(g, '# ');
}

async function elastiCacheSection(aws: Aws, o: DiscoverOptions, out: string[]): Promise<void> {
  const all = await aws.discovery().globalDatastores(o.regions[0]!);
  const here = all.filter((g) => g.members.some((m) => o.regions.includes(m.region)));
  const write = (g: (typeof here)[number], prefix: string) => {
    const groupsText = o.regions
      .map((r) => g.members.find((m) => m.region === r))
      .filter((m) => m !== undefined)
      .map((m) => `${m.region}: ${q(m.replicationGroupId)}`);
    out.push(`${prefix}elasticache:`, `${prefix}  globalReplicationGroupId: ${q(g.id)}`, `${prefix}  replicationGroups: { ${groupsText.join(', ')} }`);
  };
  const chosen = await pick(
    o.choose,
    'Which Global Datastore is promoted?',
    here.map((g) => ({ label: `${g.id} (${g.members.length} members)`, value: g })),
  );
  if (chosen && o.regions.every((r) => chosen.members.some((m) => m.region === r))) return write(chosen, '');
  if (here.length === 0) return void out.push(`# elasticache: no Global Datastore with a member in ${o.regions.join(', ')}`);
  out.push(
    chosen
      ? '# elasticache: the Global Datastore lacks a member in some regions; complete it, then uncomment:'
      : '# elasticache: several Global Datastores and no terminal to ask which; uncomment one:',
  );
  for (const g of chosen ? [chosen] : here) write(g, '# ');
}

async function ecsSection(aws: Aws, o: DiscoverOptions, out: string[]): Promise<void> {
  const d = aws.discovery();
  const perRegion = await Promise.all(
    o.regions.map(async (r) => {
      const names = await d.ecsClusters(r);
      const cluster = await pick(
        o.choose,
        `Which ECS cluster in ${r} runs the application?`,
        names.map((n) => ({ label: n, value: n })),
      );
      return { region: r, names, cluster, services: cluster ? (await d.ecsServices(r, cluster)).filter((s) => s.status === 'ACTIVE') : [] };
    }),
  );
  if (perRegion.every((p) => p.names.length === 0)) return void out.push(`# ecs: no ECS cluster in ${o.regions.join(', ')}`);
  // Capacity: what the region needs when it takes all the traffic; the largest desired count now
  // running anywhere is the best guess the account offers.
  const capacity = new Map<string, number>();
  for (const p of perRegion) for (const s of p.services) capacity.set(s.name, Math.max(capacity.get(s.name) ?? 0, s.desired));
  out.push('# capacity: the desired count when a region takes the traffic (here: the largest desired count seen in any region)', 'ecs:');
  for (const p of perRegion) {
    if (!p.cluster) {
      out.push(
        p.names.length ? `  # ${p.region}: several ECS clusters and no terminal to ask which: ${p.names.join(', ')}` : `  # ${p.region}: no ECS cluster`,
      );
      continue;
    }
    if (p.services.length === 0) {
      out.push(`  # ${p.region}: cluster ${p.cluster} has no active service`);
      continue;
    }
    out.push(
      `  ${p.region}:`,
      `    cluster: ${q(p.cluster)}`,
      `    services: [${p.services.map((s) => `{ name: ${q(s.name)}, capacity: ${capacity.get(s.name)} }`).join(', ')}]`,
    );
  }
}

/** The topology file's text. */
export async function discoverTopology(aws: Aws, o: DiscoverOptions): Promise<string> {
  const r53: string[] = [];
  const aurora: string[] = [];
  const cache: string[] = [];
  const ecs: string[] = [];
  const [zoneName] = await Promise.all([
    route53Section(aws, o, r53),
    auroraSection(aws, o, aurora),
    elastiCacheSection(aws, o, cache),
    ecsSection(aws, o, ecs),
  ]);
  const name = o.name ?? zoneName?.split('.')[0] ?? 'mr';
  return [
    `# mr topology, written by mr init from the account on ${new Date().toISOString().slice(0, 10)}.`,
    '# Check it (mr config validate), then mr status and mr check. Reference: mr config schema.',
    'version: 1',
    `name: ${q(name)}                # one run at a time per name`,
    `regions: [${o.regions.join(', ')}]`,
    ...r53,
    ...aurora,
    ...cache,
    ...ecs,
    '',
  ].join('\n');
}
