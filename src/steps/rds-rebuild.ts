// The plan both return-trip kinds share (rds.create-replica for DB instances, rds.create-replica-cluster for
// Aurora clusters replicating across regions): find the standalone primary in `from`, refuse a same-region
// source, find a replica of it already in the target (being created: waited for; built: done), or one mr built
// and that was promoted since (its mr:replica-of tag), else take the first free identifier of the target's list.
// The resources already in the target are never touched: the plan names each, with its fate.
import type { Region } from '../aws/types.js';
import type { Change, Check, StepData, StepPlan } from './contract.js';
import { REPLICA_OF_TAG } from './rds-common.js';

/** What the plan needs of a DB instance or a DB cluster, as read. */
export interface Rebuildable {
  id: string;
  arn: string;
  status: string;
  source?: { ref: string; region: Region; id: string };
  tags?: Record<string, string>;
}

export interface RebuildSpec<R extends Rebuildable, D extends StepData> {
  kind: string;
  /** "instance" or "cluster", as the plan's resources say it. */
  noun: 'instance' | 'cluster';
  /** The topology list the identifiers come from, e.g. rds.instances (for messages). */
  listName: string;
  target: Region;
  from: Region;
  title: string;
  fromIds: string[];
  targetIds: string[];
  read(region: Region, ids: string[]): Promise<R[]>;
  describe(r: R): string;
  /** The step's data, from what was found (the id built or to build, '' when none). */
  data(found: { id: string; source?: R; leftAsIs: string[] }): D;
  /** An existing replica of the source: a plan when the kind has its own (else: creating is waited for, built is done). */
  existing?(replica: R, data: D): Promise<StepPlan<D> | undefined>;
  /** More checks (and data) for a replica to build from this source. */
  toBuild?(source: R, data: D): Promise<Check[]>;
}

const replicaOf = (r: Rebuildable, src: Rebuildable & { region?: Region }, from: Region) => !!r.source && r.source.region === from && r.source.id === src.id;

export async function planRebuild<R extends Rebuildable, D extends StepData>(s: RebuildSpec<R, D>): Promise<StepPlan<D>> {
  const fail = (check: Check, observed: Record<string, unknown> = {}): StepPlan<D> => ({
    title: s.title,
    region: s.target,
    changes: [],
    checks: [check],
    noop: false,
    data: s.data({ id: '', leftAsIs: [] }),
    observed,
  });
  if (s.target === s.from) {
    return fail({
      name: 'cross-region source',
      passed: false,
      observed: s.from,
      message: `the source region and the replica region are both ${s.target}: ${s.kind} builds a cross-region replica`,
    });
  }
  const [sources, existing] = await Promise.all([s.read(s.from, s.fromIds), s.read(s.target, s.targetIds)]);
  const source = sources.find((i) => !i.source);
  const observed = {
    source: sources.map((i) => ({ id: i.id, status: i.status, source: i.source?.ref ?? null })),
    target: existing.map((i) => ({ id: i.id, status: i.status, source: i.source?.ref ?? null })),
  };
  if (!source) {
    const seen = sources.length ? sources.map(s.describe).join('; ') : `no DB ${s.noun} ${s.fromIds.join(' or ')} in ${s.from}`;
    return fail({ name: 'source is a primary', passed: false, observed: seen, message: `${seen}: no primary to replicate from` }, observed);
  }
  const base = { region: s.target, observed };
  const already = existing.find((i) => replicaOf(i, source, s.from));
  const leftAsIs = existing.filter((i) => !replicaOf(i, source, s.from)).map((i) => i.id);
  if (already) {
    const data = s.data({ id: already.id, source, leftAsIs });
    // Still being created: waited for. Built (available, or being promoted by a later step): done, unless
    // the kind has work left on it (a replica cluster with no DB instance yet).
    const creating = already.status === 'creating';
    const more = await s.existing?.(already, data);
    if (more) return more;
    const check: Check = { name: 'replica exists', passed: true, observed: already.status, message: s.describe(already) };
    return { ...base, title: s.title, changes: [], checks: [check], noop: !creating, inProgress: creating, data };
  }
  // Built from this source by mr and promoted since (a resume or re-run of a failback after its cut).
  const promoted = existing.find((i) => !i.source && i.tags?.[REPLICA_OF_TAG] === source.arn);
  if (promoted) {
    const check: Check = {
      name: 'replica built and promoted',
      passed: true,
      observed: promoted.status,
      message: `${s.describe(promoted)}: built as a replica of ${source.id} (tag ${REPLICA_OF_TAG}) and promoted since`,
    };
    return { ...base, title: s.title, changes: [], checks: [check], noop: true, data: s.data({ id: promoted.id, source, leftAsIs }) };
  }
  const taken = new Set(existing.map((i) => i.id));
  const free = s.targetIds.map((x) => x.toLowerCase()).find((x) => !taken.has(x));
  const data = s.data({ id: free ?? '', source, leftAsIs });
  const checks: Check[] = [
    { name: 'source available', passed: source.status === 'available', observed: source.status, bound: 'available', message: s.describe(source) },
    {
      name: 'a free identifier',
      passed: !!free,
      observed: [...taken].join(', '),
      message: free
        ? `the new replica is ${free} in ${s.target}`
        : `every identifier of ${s.listName}.${s.target} (${s.targetIds.join(', ')}) is in use: add a new name for the rebuilt replica`,
    },
    ...((await s.toBuild?.(source, data)) ?? []),
  ];
  for (const old of existing) {
    checks.push({
      name: `old ${s.noun} kept`,
      passed: true,
      warning: true,
      observed: old.status,
      message: `${s.describe(old)}: left as it is (mr never deletes ${s.noun === 'cluster' ? 'a cluster' : 'an instance'}); delete it by hand once nothing needs it`,
    });
  }
  const role = s.noun === 'cluster' ? 'read replica cluster' : 'read replica';
  const changes: Change[] = free
    ? [{ resource: `rds ${s.noun} ${free}`, attribute: 'role', from: 'absent', to: `${role} of ${source.id} (${s.from})`, risk: 'safe', region: s.target }]
    : [];
  return { ...base, title: free ? `${s.title}: ${free}` : s.title, changes, checks, noop: false, data };
}
