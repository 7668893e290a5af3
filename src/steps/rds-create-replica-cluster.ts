// rds.create-replica-cluster: the return trip for Aurora clusters replicating across regions without a global
// database. Once the old region answers again, create a cross-region read replica CLUSTER of the new primary
// cluster there and its DB instance, and wait for both (Aurora user guide, "Replicating Amazon Aurora MySQL DB
// clusters across AWS Regions", AuroraMySQL.Replication.CrossRegion.html: CreateDBCluster called in the
// destination region with ReplicationSourceIdentifier = the source cluster's ARN; once the cluster is available,
// CreateDBInstance with DBClusterIdentifier for its primary instance, since a cluster with no instance serves
// nothing). What mr sends (Engine, EngineVersion, KmsKeyId, no PreSignedUrl) and why: src/aws/rds-clusters.ts.
// The sibling of rds.create-replica; the plan is theirs together (rds-rebuild.ts). The old cluster in the
// target region is never touched: the plan names its fate, and deleting it is the operator's call.
import type { DbClusterInfo, DbInstanceInfo, MutationResult } from '../aws/types.js';
import { isAwsCallError } from '../aws/errors.js';
import { defineStep, type Check, type PlanContext, type PlannedStep, type StepContext, type StepPlan } from './contract.js';
import { optional, region, stepParams, type ParamEnv } from './params.js';
import { z } from 'zod';
import { REPLICA_OF_TAG, clusterIds, describeCluster, liveClusters, liveInstances, writerRegion } from './rds-common.js';
import { planRebuild } from './rds-rebuild.js';

const KIND = 'rds.create-replica-cluster';

type CreateClusterData = {
  target: string;
  from: string;
  clusterId: string;
  /** The DB instance the new cluster gets (<cluster>-instance-1). */
  instanceId: string;
  sourceId: string;
  sourceArn: string;
  engine: string;
  engineVersion: string;
  instanceClass: string;
  kmsKeyId?: string;
  /** false: the cluster exists (an interrupted run), only its DB instance is left to create. */
  createCluster: boolean;
  leftAsIs: string[];
};

const instanceClass = z
  .string()
  .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'a DB instance class such as db.r6g.large')
  .meta({ description: "the new cluster's DB instance class; default the source cluster's writer's" });
const params = (env: ParamEnv) => stepParams({ target: region(env), from: optional(region(env)), instanceClass: optional(instanceClass) });

const instanceOf = (clusterId: string) => `${clusterId}-instance-1`;

/** The source cluster's writer instance, read in the source's region for its DB instance class. */
async function writerClass(ctx: PlanContext, source: DbClusterInfo): Promise<string | undefined> {
  if (!source.writerInstance) return undefined;
  try {
    return (await ctx.aws.rds(source.region).readDbInstance(source.writerInstance)).instanceClass;
  } catch (e) {
    if (isAwsCallError(e) && /NotFound/.test(e.code)) return undefined;
    throw e;
  }
}

async function plan(id: string, given: z.output<ReturnType<typeof params>>, ctx: PlanContext): Promise<StepPlan<CreateClusterData>> {
  const { topology, aws } = ctx;
  clusterIds(KIND, id, topology, given.target);
  const from = given.from ?? (await writerRegion(aws, topology, given.target)) ?? given.target;
  const kmsKeyId = topology.rds?.kmsKeyIds?.[given.target];
  const extra = { engine: '', engineVersion: '', instanceClass: given.instanceClass ?? '', createCluster: true };
  return planRebuild<DbClusterInfo, CreateClusterData>({
    kind: KIND,
    noun: 'cluster',
    listName: 'rds.clusters',
    target: given.target,
    from,
    title: `Create a read replica cluster in ${given.target} of the Aurora cluster in ${from}`,
    fromIds: clusterIds(KIND, id, topology, from),
    targetIds: clusterIds(KIND, id, topology, given.target),
    read: (r, ids) => liveClusters(aws.rds(r), ids),
    describe: describeCluster,
    data: ({ id: clusterId, source, leftAsIs }) => ({
      target: given.target,
      from,
      clusterId,
      instanceId: clusterId ? instanceOf(clusterId) : '',
      sourceId: source?.id ?? '',
      sourceArn: source?.arn ?? '',
      ...extra,
      engine: source?.engine ?? '',
      engineVersion: source?.engineVersion ?? '',
      ...(kmsKeyId ? { kmsKeyId } : {}),
      leftAsIs,
    }),
    // A run interrupted between the two calls: the cluster is being created or has no DB instance yet (its
    // instance is what is left), or its instance is being created (waited for).
    async existing(replica, data) {
      const plain = { region: data.target, data, observed: { cluster: { id: replica.id, status: replica.status, instances: replica.instances ?? null } } };
      if (replica.status === 'creating' || replica.instances === 0) {
        data.createCluster = false;
        const checks = await buildChecks(ctx, data);
        const change = {
          resource: `rds instance ${data.instanceId}`,
          attribute: 'cluster',
          from: 'absent',
          to: replica.id,
          risk: 'safe' as const,
          region: data.target,
        };
        const seen: Check = { name: 'replica cluster exists', passed: true, observed: replica.status, message: describeCluster(replica) };
        return {
          ...plain,
          title: `Create the DB instance of read replica cluster ${replica.id} in ${data.target}`,
          changes: [change],
          checks: [seen, ...checks],
          noop: false,
        };
      }
      const [i] = await liveInstances(aws.rds(data.target), [data.instanceId]);
      if (i?.status !== 'creating') return undefined;
      const check: Check = { name: 'DB instance being created', passed: true, observed: i.status, message: `${describeCluster(replica)}; ${i.id} creating` };
      return { ...plain, title: `Wait for read replica cluster ${replica.id} in ${data.target}`, changes: [], checks: [check], noop: false, inProgress: true };
    },
    toBuild: (source, data) => buildChecks(ctx, data, source),
  });
}

/** The instance class (given, or the source writer's) and, for an encrypted source, a KMS key of the target. */
async function buildChecks(ctx: PlanContext, data: CreateClusterData, source?: DbClusterInfo): Promise<Check[]> {
  if (!data.instanceClass) data.instanceClass = (await writerClass(ctx, source ?? (await ctx.aws.rds(data.from).readDbCluster(data.sourceId)))) ?? '';
  const checks: Check[] = [
    {
      name: 'DB instance class',
      passed: !!data.instanceClass,
      observed: data.instanceClass || 'unknown',
      message: data.instanceClass
        ? `the new cluster's DB instance ${data.instanceId} is a ${data.instanceClass}`
        : `the class of ${data.sourceId}'s writer instance could not be read: give the step an instanceClass`,
    },
  ];
  if (source?.encrypted) {
    checks.push({
      name: 'KMS key in the target region',
      passed: !!data.kmsKeyId,
      observed: data.kmsKeyId ?? 'none',
      message: data.kmsKeyId
        ? `encrypted with ${data.kmsKeyId} (rds.kmsKeyIds.${data.target})`
        : `${data.sourceId} is encrypted and its key is not valid in ${data.target} (CreateDBCluster KmsKeyId): name a KMS key of ${data.target} in rds.kmsKeyIds.${data.target}`,
    });
  }
  return checks;
}

async function apply(step: PlannedStep<CreateClusterData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const rds = ctx.aws.rds(d.target);
  if (d.createCluster) {
    ctx.report(`creating cluster ${d.clusterId} in ${d.target}, a read replica cluster of ${d.sourceArn}`);
    await ctx.mutating.rds(d.target).createReplicaCluster(
      d.clusterId,
      {
        sourceArn: d.sourceArn,
        engine: d.engine,
        engineVersion: d.engineVersion,
        tags: { [REPLICA_OF_TAG]: d.sourceArn },
        ...(d.kmsKeyId ? { kmsKeyId: d.kmsKeyId } : {}),
      },
      {
        // Answer lost: the cluster exists as a replica of our source, so the call took effect.
        reconcile: async () => {
          const [c] = await liveClusters(rds, [d.clusterId]);
          const ours: (DbClusterInfo & MutationResult) | undefined = c && c.source?.id === d.sourceId && c.source.region === d.from ? c : undefined;
          return ours;
        },
        resend: true,
      },
    );
    // "Check that the DB cluster is available" before its instance is created (AuroraMySQL.Replication.CrossRegion.html).
    await ctx.waitFor(`cluster ${d.clusterId} (${d.target}) to be available`, async () => {
      const c = await rds.readDbCluster(d.clusterId);
      return { done: c.status === 'available', detail: describeCluster(c) };
    });
  }
  ctx.report(`creating DB instance ${d.instanceId} (${d.instanceClass}) in cluster ${d.clusterId}`);
  await ctx.mutating.rds(d.target).createClusterInstance(
    d.instanceId,
    d.clusterId,
    { engine: d.engine, instanceClass: d.instanceClass },
    {
      reconcile: async () => {
        const [i] = await liveInstances(rds, [d.instanceId]);
        const ours: (DbInstanceInfo & MutationResult) | undefined = i && i.clusterId === d.clusterId ? i : undefined;
        return ours;
      },
      resend: true,
    },
  );
}

async function verify(step: PlannedStep<CreateClusterData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const rds = ctx.aws.rds(d.target);
  await ctx.waitFor(`cluster ${d.clusterId} (${d.target}) to be an available read replica cluster with its DB instance available`, async () => {
    const [c, [i]] = await Promise.all([rds.readDbCluster(d.clusterId), liveInstances(rds, [d.instanceId])]);
    return {
      done: c.status === 'available' && !!c.source && i?.status === 'available',
      detail: `${describeCluster(c)}; ${d.instanceId} ${i?.status ?? 'absent'}`,
    };
  });
}

export const rdsCreateReplicaCluster = defineStep({
  kind: KIND,
  params,
  plan,
  apply,
  verify,
  interrupted: async (step) =>
    `RDS goes on creating cluster ${step.data.clusterId} by itself once accepted; mr resume waits for it and creates its DB instance if it is missing`,
});
