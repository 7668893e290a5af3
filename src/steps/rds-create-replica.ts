// rds.create-replica: the return trip. Once the old region answers again, create a cross-region read
// replica of the new primary there, and wait for it to replicate. CreateDBInstanceReadReplica is called in
// the DESTINATION region and names a source in another region by its ARN ("Creating a read replica in a
// different AWS Region", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html;
// CreateDBInstanceReadReplica in the API reference: SourceDBInstanceIdentifier "If the source DB instance is in a
// different AWS Region than the read replica, specify a valid DB instance ARN").
//
// The old instance in the destination region (the primary before the failover, standalone since) is never
// touched: the plan names its fate, and deleting it is the operator's call.
import type { z } from 'zod';
import type { DbInstanceInfo, MutationResult } from '../aws/types.js';
import { defineStep, type Change, type Check, type PlanContext, type PlannedStep, type StepContext, type StepPlan } from './contract.js';
import { optional, region, stepParams, type ParamEnv } from './params.js';
import { REPLICA_OF_TAG, describeInstance, liveInstances, rdsIds, writerRegion } from './rds-common.js';

type CreateData = {
  target: string;
  from: string;
  instanceId: string;
  sourceId: string;
  sourceArn: string;
  /** The instances already in the target region that are left as they are. */
  leftAsIs: string[];
};

const params = (env: ParamEnv) => stepParams({ target: region(env), from: optional(region(env)) });

const replicaOf = (i: DbInstanceInfo, src: DbInstanceInfo) => !!i.source && i.source.region === src.region && i.source.id === src.id;

async function plan(id: string, given: z.output<ReturnType<typeof params>>, ctx: PlanContext): Promise<StepPlan<CreateData>> {
  const { topology, aws } = ctx;
  rdsIds('rds.create-replica', id, topology, given.target);
  // Without `from`: the region of the one standalone primary elsewhere (read there; the target answers too).
  const from = given.from ?? (await writerRegion(aws, topology, given.target)) ?? given.target;
  const p = { target: given.target, from };
  const targetIds = rdsIds('rds.create-replica', id, topology, p.target);
  const fromIds = rdsIds('rds.create-replica', id, topology, p.from);
  const title = `Create a read replica in ${p.target} of the RDS primary in ${p.from}`;
  const fail = (check: Check, observed: Record<string, unknown> = {}): StepPlan<CreateData> => ({
    title,
    region: p.target,
    changes: [],
    checks: [check],
    noop: false,
    data: { target: p.target, from: p.from, instanceId: '', sourceId: '', sourceArn: '', leftAsIs: [] },
    observed,
  });
  if (p.target === p.from) {
    return fail({
      name: 'cross-region source',
      passed: false,
      observed: p.from,
      message: `the source region and the replica region are both ${p.target}: rds.create-replica builds a cross-region replica`,
    });
  }
  const [sources, existing] = await Promise.all([liveInstances(aws.rds(p.from), fromIds), liveInstances(aws.rds(p.target), targetIds)]);
  const source = sources.find((i) => !i.source);
  const observed = {
    source: sources.map((i) => ({ id: i.id, status: i.status, source: i.source?.ref ?? null })),
    target: existing.map((i) => ({ id: i.id, status: i.status, source: i.source?.ref ?? null })),
  };
  if (!source) {
    const seen = sources.length ? sources.map(describeInstance).join('; ') : `no DB instance ${fromIds.join(' or ')} in ${p.from}`;
    return fail({ name: 'source is a primary', passed: false, observed: seen, message: `${seen}: no primary to replicate from` }, observed);
  }
  const base = { region: p.target, observed };
  const already = existing.find((i) => replicaOf(i, source));
  const leftAsIs = existing.filter((i) => !replicaOf(i, source)).map((i) => i.id);
  const data: CreateData = { target: p.target, from: p.from, instanceId: already?.id ?? '', sourceId: source.id, sourceArn: source.arn, leftAsIs };
  if (already) {
    // Still being created: waited for. Built (available, or modifying/rebooting because a later step is
    // promoting it): done.
    const creating = already.status === 'creating';
    const check: Check = { name: 'replica exists', passed: true, observed: already.status, message: `${describeInstance(already)}` };
    return { ...base, title, changes: [], checks: [check], noop: !creating, inProgress: creating, data };
  }
  // Built from this source by mr and promoted since (a resume or re-run of a failback after its cut).
  const promoted = existing.find((i) => !i.source && i.tags?.[REPLICA_OF_TAG] === source.arn);
  if (promoted) {
    const check: Check = {
      name: 'replica built and promoted',
      passed: true,
      observed: promoted.status,
      message: `${describeInstance(promoted)}: built as a replica of ${source.id} (tag ${REPLICA_OF_TAG}) and promoted since`,
    };
    return { ...base, title, changes: [], checks: [check], noop: true, data: { ...data, instanceId: promoted.id } };
  }
  const taken = new Set(existing.map((i) => i.id));
  const free = targetIds.map((x) => x.toLowerCase()).find((x) => !taken.has(x));
  const checks: Check[] = [
    { name: 'source available', passed: source.status === 'available', observed: source.status, bound: 'available', message: `${describeInstance(source)}` },
    {
      name: 'a free identifier',
      passed: !!free,
      observed: [...taken].join(', '),
      message: free
        ? `the new replica is ${free} in ${p.target}`
        : `every identifier of rds.instances.${p.target} (${targetIds.join(', ')}) is in use: add a new name for the rebuilt replica`,
    },
  ];
  for (const old of existing) {
    checks.push({
      name: 'old instance kept',
      passed: true,
      warning: true,
      observed: old.status,
      message: `${describeInstance(old)}: left as it is (mr never deletes an instance); delete it by hand once nothing needs it`,
    });
  }
  const changes: Change[] = free
    ? [{ resource: `rds instance ${free}`, attribute: 'role', from: 'absent', to: `read replica of ${source.id} (${p.from})`, risk: 'safe', region: p.target }]
    : [];
  return { ...base, title: free ? `${title}: ${free}` : title, changes, checks, noop: false, data: { ...data, instanceId: free ?? '' } };
}

async function apply(step: PlannedStep<CreateData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const rds = ctx.aws.rds(d.target);
  ctx.report(`creating ${d.instanceId} in ${d.target}, a read replica of ${d.sourceArn}`);
  await ctx.mutating.rds(d.target).createReadReplica(d.instanceId, d.sourceArn, {
    tags: { [REPLICA_OF_TAG]: d.sourceArn },
    // Answer lost: the instance exists as a replica of our source, so the call took effect.
    reconcile: async () => {
      const [i] = await liveInstances(rds, [d.instanceId]);
      const ours: (DbInstanceInfo & MutationResult) | undefined = i && i.source?.id === d.sourceId && i.source.region === d.from ? i : undefined;
      return ours;
    },
    resend: true,
  });
}

async function verify(step: PlannedStep<CreateData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const rds = ctx.aws.rds(d.target);
  await ctx.waitFor(`${d.instanceId} (${d.target}) to be an available read replica, replicating`, async () => {
    const i = await rds.readDbInstance(d.instanceId);
    return { done: i.status === 'available' && i.replication?.status === 'replicating', detail: describeInstance(i) };
  });
}

async function interrupted(step: PlannedStep<CreateData>): Promise<string> {
  return `RDS goes on creating ${step.data.instanceId} by itself once accepted; mr resume waits for it`;
}

export const rdsCreateReplica = defineStep({ kind: 'rds.create-replica', params, plan, apply, verify, interrupted });
