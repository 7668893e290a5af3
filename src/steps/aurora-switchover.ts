// aurora.switchover: a planned switchover of the global cluster to the member in the target region
// (RPO 0). Refused unless the cluster is healthy, every member in sync and the target's lag under
// the bound. SwitchoverGlobalCluster is called in the current primary's region with the target's ARN.
import type { z } from 'zod';
import { defineStep, rpoBound, type Check, type PlanContext, type PlannedStep, type StepContext, type StepPlan } from './contract.js';
import { region, stepParams, wholeNumber, optional, type ParamEnv } from './params.js';
import { expectedMs } from './probe.js';
import { lagBoundCheck } from './aurora-lag.js';
import { engineVersionCheck, headlessCheck, primaryAnswersCheck, readPrimary } from './aurora-preconditions.js';
import { verifyWriterEndpoint, writerEndpointCheck, writerEndpointData, type WriterEndpointData } from './aurora-writer-endpoint.js';
import { noAuroraPlan, auroraTarget, describeGlobal, reconcileToward, memberFor, observedGlobal, readLag, underWayToward, writerOf } from './aurora-common.js';

/** The flag that raises the lag bound (the command turns `--max-lag <ms>` into params.maxLagMs). */
export { MAX_LAG_OVERRIDE } from './aurora-lag.js';

type SwitchoverData = {
  globalClusterId: string;
  target: string;
  targetArn: string;
  primaryRegion: string;
  /** The target's replication lag when planned (absent for a noop or a switchover already under way). */
  lagMs?: number | null;
} & WriterEndpointData;

/** The largest lag bound a step or flag may set: one day, in ms. */
export const MAX_LAG_BOUND_MS = 86_400_000;

const params = (env: ParamEnv) => stepParams({ target: region(env), maxLagMs: optional(wholeNumber(0, MAX_LAG_BOUND_MS)) });

async function plan(id: string, p: z.output<ReturnType<typeof params>>, ctx: PlanContext): Promise<StepPlan<SwitchoverData>> {
  const { topology, aws } = ctx;
  if (!topology.aurora)
    return noAuroraPlan<SwitchoverData>(`Switch over Aurora to ${p.target}`, { globalClusterId: '', target: p.target, targetArn: '', primaryRegion: '' });
  const t = auroraTarget('aurora.switchover', id, p.target, topology);
  const maxLagMs = p.maxLagMs ?? topology.aurora!.maxLagMs;
  // Reads go to the target's region: DescribeGlobalClusters is assumed (AWS-FACTS 3.4 ⚠) to answer
  // in any member region, and DescribeDBClusters and the lag metric live in the cluster's own region.
  const rds = aws.rds(t.target);
  const [gc, cluster] = await Promise.all([rds.readGlobalCluster(t.globalClusterId), rds.readDbCluster(t.targetClusterId)]);
  const target = memberFor(gc, t.target, t.targetClusterId);
  const writer = writerOf(gc);
  const base = {
    title: `Switch over Aurora ${t.globalClusterId} to ${t.target}`,
    region: writer?.region ?? t.target,
    observed: { global: observedGlobal(gc), targetCluster: cluster.status },
  };
  const data: SwitchoverData = {
    globalClusterId: t.globalClusterId,
    target: t.target,
    targetArn: target?.clusterArn ?? cluster.arn,
    primaryRegion: writer?.region ?? '',
    ...writerEndpointData(gc, cluster),
  };
  const change = {
    resource: `aurora global cluster ${t.globalClusterId}`,
    attribute: 'writer',
    from: writer?.region ?? 'none',
    to: t.target,
    risk: 'disruptive' as const,
    region: writer?.region,
  };

  if (target?.isWriter && gc.status === 'available' && !gc.failover) {
    return { ...base, changes: [], checks: [], noop: true, data: { ...data } };
  }
  if (target && (underWayToward(gc, target.clusterArn) || target.isWriter)) {
    const checks: Check[] = [
      {
        name: 'switchover under way',
        passed: true,
        observed: describeGlobal(gc),
        message: `already moving to ${t.target} (${describeGlobal(gc)}): waiting for it`,
      },
    ];
    return { ...base, changes: [change], checks, noop: false, inProgress: true, data: { ...data } };
  }

  const [lag, primary] = await Promise.all([
    readLag(aws, t.target, cluster),
    writer && writer.region !== t.target ? readPrimary(aws, writer) : Promise.resolve(undefined),
  ]);
  const unsynced = gc.members.filter((m) => m.syncStatus !== 'connected' && !(m.isWriter && m.syncStatus === undefined));
  const checks: Check[] = [
    {
      name: 'global cluster available',
      passed: gc.status === 'available',
      observed: gc.status,
      bound: 'available',
      message: gc.status === 'available' ? `${t.globalClusterId} is available` : `${t.globalClusterId} is ${gc.status}, not available`,
    },
    {
      name: 'no failover in progress',
      passed: !gc.failover,
      observed: gc.failover?.status ?? 'none',
      message: gc.failover
        ? `a ${gc.failover.status} operation is under way on ${t.globalClusterId} (${describeGlobal(gc)})`
        : 'no switchover or failover under way',
    },
    {
      name: 'target is a secondary',
      passed: !!target && !target.isWriter && !!writer,
      observed: target ? (target.isWriter ? 'writer' : 'secondary') : 'not a member',
      message: !target
        ? `cluster ${t.targetClusterId} (${t.target}) is not a member of ${t.globalClusterId}`
        : !writer
          ? `${t.globalClusterId} has no writer to switch over from`
          : `${t.targetClusterId} in ${t.target} is a secondary; the writer is in ${writer.region}`,
    },
    {
      name: 'every member in sync',
      passed: unsynced.length === 0,
      observed: gc.members.map((m) => `${m.region}:${m.syncStatus ?? 'unknown'}`).join(', '),
      bound: 'connected',
      message: unsynced.length
        ? `not in sync: ${unsynced.map((m) => `${m.clusterId} (${m.region}) ${m.syncStatus ? `${m.syncStatus} (rebuilding)` : 'sync status unknown'}`).join(', ')}`
        : 'every member is connected',
    },
    lagBoundCheck('target lag under bound', t.target, t.targetClusterId, lag, maxLagMs),
    ...(writer && primary ? [primaryAnswersCheck(writer, t.target, primary)] : []),
    engineVersionCheck(cluster, primary?.cluster?.engineVersion ?? gc.engineVersion, `the primary ${writer?.clusterId ?? t.globalClusterId}`),
    headlessCheck(cluster),
    {
      name: 'target DB cluster available',
      passed: cluster.status === 'available',
      observed: cluster.status,
      bound: 'available',
      message: `${t.targetClusterId} in ${t.target} is ${cluster.status}`,
    },
    writerEndpointCheck(gc, cluster, topology),
  ];
  return { ...base, changes: [change], checks, noop: false, data: { ...data, lagMs: lag.lagMs } };
}

async function apply(step: PlannedStep<SwitchoverData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  if (!d.primaryRegion) throw new Error(`step "${step.id}": no primary region was found when planning`);
  ctx.report(`switching over ${d.globalClusterId} from ${d.primaryRegion} to ${d.target}`);
  await ctx.mutating.rds(d.primaryRegion).switchoverGlobalCluster(d.globalClusterId, d.targetArn, {
    // Answer lost: a switchover toward the target under way (or done) is ours; read in the target's region.
    reconcile: () => reconcileToward(ctx.aws.rds(d.target), d.globalClusterId, d.targetArn),
    resend: true,
  });
}

async function verify(step: PlannedStep<SwitchoverData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const rds = ctx.aws.rds(d.target);
  await ctx.waitFor(
    `Aurora ${d.globalClusterId} to have its writer in ${d.target} and be available`,
    async () => {
      const gc = await rds.readGlobalCluster(d.globalClusterId);
      const target = gc.members.find((m) => m.clusterArn === d.targetArn);
      return { done: !!target?.isWriter && gc.status === 'available' && !gc.failover, detail: describeGlobal(gc) };
    },
    { expectedMs: expectedMs(ctx.topology, 'auroraSwitchover') },
  );
  // The data moved; the name applications use for the writer must follow it (aurora-writer-endpoint.ts).
  await verifyWriterEndpoint(ctx, d);
}

/**
 * Once SwitchoverGlobalCluster is accepted, Aurora runs the switchover to its end by itself: an
 * interrupt of mr does not stop it (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html#aurora-global-database-disaster-recovery.managed-failover).
 */
async function interrupted(step: PlannedStep<SwitchoverData>): Promise<string> {
  const d = step.data;
  return `AWS carries the switchover of ${d.globalClusterId} to ${d.target} on by itself; mr resume waits for it`;
}

export const auroraSwitchover = defineStep({
  kind: 'aurora.switchover',
  params,
  plan,
  apply,
  verify,
  interrupted,
  // Aurora waits for the target to catch up, so the lag when planned bounds what is at stake.
  rpo: (step) => rpoBound(step.data.lagMs, 'planned switchover: Aurora waits for the target to catch up, so no committed data is expected to be lost'),
});
