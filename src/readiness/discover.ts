// `mr init`: read the account and write a commented topology. Reads only. Where the account offers
// several candidates for one slot (hosted zones, global clusters, datastores, ECS clusters), `choose`
// asks on a terminal; without one (it answers undefined) every candidate is written commented out
// with a line saying why, so the file still validates and the operator picks by uncommenting.
import type { Aws } from '../aws/types.js';
import { pick, q, type DiscoverOptions } from './discover-common.js';
import { route53Section, followNames } from './discover-route53.js';
import { rdsSection } from './discover-rds.js';

export { regionOfSet, regionShort, type Candidate, type Chooser, type DiscoverOptions } from './discover-common.js';

async function auroraSection(aws: Aws, o: DiscoverOptions, out: string[]): Promise<boolean> {
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
  if (chosen && o.regions.every((r) => chosen.members.some((m) => m.region === r))) return (write(chosen, ''), true);
  if (here.length === 0) return (out.push(`# aurora: no global database with a member in ${o.regions.join(', ')}`), false);
  out.push(
    chosen
      ? '# aurora: the global database lacks a member in some regions; complete it, then uncomment:'
      : '# aurora: several global databases and no terminal to ask which; uncomment one:',
  );
  for (const g of chosen ? [chosen] : here) write(g, '# ');
  return false;
}

async function elastiCacheSection(aws: Aws, o: DiscoverOptions, out: string[]): Promise<boolean> {
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
  if (chosen && o.regions.every((r) => chosen.members.some((m) => m.region === r))) return (write(chosen, ''), true);
  if (here.length === 0) return (out.push(`# elasticache: no Global Datastore with a member in ${o.regions.join(', ')}`), false);
  out.push(
    chosen
      ? '# elasticache: the Global Datastore lacks a member in some regions; complete it, then uncomment:'
      : '# elasticache: several Global Datastores and no terminal to ask which; uncomment one:',
  );
  for (const g of chosen ? [chosen] : here) write(g, '# ');
  return false;
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
  const rds: string[] = [];
  const cache: string[] = [];
  const ecs: string[] = [];
  const [route53, hasAurora, hasRds, hasCache] = await Promise.all([
    route53Section(aws, o, r53),
    auroraSection(aws, o, aurora),
    rdsSection(aws, o, rds),
    elastiCacheSection(aws, o, cache),
    ecsSection(aws, o, ecs),
  ]);
  const written = new Set<'aurora' | 'rds' | 'elasticache'>();
  if (hasAurora) written.add('aurora');
  if (hasRds) written.add('rds');
  if (hasCache) written.add('elasticache');
  const name = o.name ?? route53.zone?.split('.')[0] ?? 'mr';
  return [
    `# mr topology, written by mr init from the account on ${new Date().toISOString().slice(0, 10)}.`,
    '# Check it (mr config validate), then mr status and mr check. Reference: mr config schema.',
    'version: 1',
    `name: ${q(name)}                # one run at a time per name`,
    `regions: [${o.regions.join(', ')}]`,
    ...r53,
    ...followNames(route53.names, written),
    ...aurora,
    ...rds,
    ...cache,
    ...ecs,
    '',
  ].join('\n');
}
