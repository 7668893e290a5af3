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
import { defineStep, type PlanContext, type PlannedStep, type StepContext, type StepPlan } from './contract.js';
import { optional, region, stepParams, type ParamEnv } from './params.js';
import { REPLICA_OF_TAG, describeInstance, liveInstances, rdsIds, writerRegion } from './rds-common.js';
import { planRebuild } from './rds-rebuild.js';

const KIND = 'rds.create-replica';

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

async function plan(id: string, given: z.output<ReturnType<typeof params>>, ctx: PlanContext): Promise<StepPlan<CreateData>> {
  const { topology, aws } = ctx;
  rdsIds(KIND, id, topology, given.target);
  // Without `from`: the region of the one standalone primary elsewhere (read there; the target answers too).
  const from = given.from ?? (await writerRegion(aws, topology, given.target)) ?? given.target;
  return planRebuild<DbInstanceInfo, CreateData>({
    kind: KIND,
    noun: 'instance',
    listName: 'rds.instances',
    target: given.target,
    from,
    title: `Create a read replica in ${given.target} of the RDS primary in ${from}`,
    fromIds: rdsIds(KIND, id, topology, from),
    targetIds: rdsIds(KIND, id, topology, given.target),
    read: (region, ids) => liveInstances(aws.rds(region), ids),
    describe: describeInstance,
    data: ({ id: instanceId, source, leftAsIs }) => ({
      target: given.target,
      from,
      instanceId,
      sourceId: source?.id ?? '',
      sourceArn: source?.arn ?? '',
      leftAsIs,
    }),
  });
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

export const rdsCreateReplica = defineStep({ kind: KIND, params, plan, apply, verify, interrupted });
