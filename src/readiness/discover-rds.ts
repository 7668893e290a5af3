// `mr init`'s RDS section: DB instances with cross-region read replicas ("Creating a read replica in a
// different AWS Region", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html).
// A group is a source and its replicas; it is written when it has exactly one instance in each of the
// regions. Aurora DB instances belong to clusters (the aurora section) and are left out.
import type { Aws, DbInstanceInfo } from '../aws/types.js';
import { pick, q, type DiscoverOptions } from './discover-common.js';

/** Writes the section; true when it was written uncommented. */
export async function rdsSection(aws: Aws, o: DiscoverOptions, out: string[]): Promise<boolean> {
  const d = aws.discovery();
  const all = (await Promise.all(o.regions.map((r) => d.dbInstances(r)))).flat().filter((i) => !i.engine?.startsWith('aurora'));
  const key = (i: DbInstanceInfo) => `${i.region} ${i.id}`;
  const byKey = new Map(all.map((i) => [key(i), i]));
  // Each instance's root: follow the replica source while it is one we read.
  const root = (i: DbInstanceInfo): DbInstanceInfo => {
    const src = i.source ? byKey.get(`${i.source.region} ${i.source.id}`) : undefined;
    return src && src !== i ? root(src) : i;
  };
  const groups = new Map<string, DbInstanceInfo[]>();
  for (const i of all) {
    const k = key(root(i));
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  const crossRegion = [...groups.values()].filter((g) => new Set(g.map((i) => i.region)).size > 1);
  if (crossRegion.length === 0) return false;
  const write = (g: DbInstanceInfo[], prefix: string) => {
    const ids = o.regions.filter((r) => g.some((i) => i.region === r)).map((r) => `${r}: ${q(g.find((i) => i.region === r)!.id)}`);
    out.push(
      `${prefix}rds:`,
      `${prefix}  # the DB instance in each region; add a second name per region for the replica mr run failback rebuilds there`,
      `${prefix}  instances: { ${ids.join(', ')} }`,
      `${prefix}  maxLagMs: 60000   # ReplicaLag above this is a finding, and refuses a planned switch back`,
    );
  };
  const complete = (g: DbInstanceInfo[]) => o.regions.every((r) => g.filter((i) => i.region === r).length === 1);
  const chosen = await pick(
    o.choose,
    'Which RDS database fails over?',
    crossRegion.map((g) => ({ label: `${root(g[0]!).id} (${g.length} instances)`, value: g })),
  );
  if (chosen && complete(chosen)) {
    write(chosen, '');
    return true;
  }
  out.push(
    chosen
      ? '# rds: the database does not have exactly one instance in each region; complete it, then uncomment:'
      : '# rds: several databases with cross-region read replicas and no terminal to ask which; uncomment one:',
  );
  for (const g of chosen ? [chosen] : crossRegion) write(g, '# ');
  return false;
}
