// aurora.failover: unplanned failover with data loss, for when the primary's region is impaired.
// Every call, reads included, goes to the target's region only: the primary's control plane may be
// down. The plan shows the target's last known replication lag as the data at risk.
import type { z } from 'zod';
import { defineStep, rpoBound, type Check, type PlanContext, type PlannedStep, type RecheckAsk, type StepContext, type StepPlan } from './contract.js';
import { region, stepParams, type ParamEnv } from './params.js';
import { verifyWriterEndpoint, writerEndpointCheck, writerEndpointData, type WriterEndpointData } from './aurora-writer-endpoint.js';
import { noAuroraPlan, auroraTarget, describeGlobal, reconcileToward, memberFor, observedGlobal, readLag, underWayToward, writerOf } from './aurora-common.js';
import { expectedMs } from './probe.js';
import { engineVersionCheck, headlessCheck, rebuildingCheck } from './aurora-preconditions.js';
import { impairedAtPlan, lagMarginParam, recheckCutLag, UNPLANNED_CUT_NOTE } from './cut-lag.js';

type FailoverData = {
  globalClusterId: string;
  target: string;
  targetArn: string;
  fromRegion: string | null;
  /** The target's last known replication lag: what the cut may lose (null: no reading). */
  dataAtRiskMs: number | null;
  /** The target cluster, its engine and version (which lag metric to read again before the cut). */
  cluster?: { id: string; engine?: string; engineVersion?: string };
  /** Replication was already impaired at plan time (cut-lag.ts impairedAtPlan). */
  sourceDownAtPlan?: boolean;
  lagMarginMs?: number;
  /** The lag read again just before the cut's stage (recheck): the RPO bound when there is one. */
  cutLagMs?: number | null;
} & WriterEndpointData;

const params = (env: ParamEnv) => stepParams({ target: region(env), lagMargin: lagMarginParam() });

async function plan(id: string, p: z.output<ReturnType<typeof params>>, ctx: PlanContext): Promise<StepPlan<FailoverData>> {
  const { topology, aws } = ctx;
  if (!topology.aurora)
    return noAuroraPlan<FailoverData>(`Fail over Aurora to ${p.target}`, {
      globalClusterId: '',
      target: p.target,
      targetArn: '',
      fromRegion: null,
      dataAtRiskMs: null,
    });
  const t = auroraTarget('aurora.failover', id, p.target, topology);
  // DescribeGlobalClusters in the target region (AWS-FACTS 3.4 ⚠: assumed answerable from any
  // member region); the old primary's region is never called.
  const rds = aws.rds(t.target);
  const [gc, cluster] = await Promise.all([rds.readGlobalCluster(t.globalClusterId), rds.readDbCluster(t.targetClusterId)]);
  const target = memberFor(gc, t.target, t.targetClusterId);
  const writer = writerOf(gc);
  const data: FailoverData = {
    globalClusterId: t.globalClusterId,
    target: t.target,
    targetArn: target?.clusterArn ?? cluster.arn,
    fromRegion: writer?.region ?? null,
    dataAtRiskMs: null,
    ...writerEndpointData(gc, cluster),
  };
  const base = {
    region: t.target,
    observed: { global: observedGlobal(gc), targetCluster: cluster.status },
  };
  const title = `Fail over Aurora ${t.globalClusterId} to ${t.target} (unplanned, allows data loss)`;

  if (target && underWayToward(gc, target.clusterArn)) {
    const checks: Check[] = [
      {
        name: 'failover under way',
        passed: true,
        observed: describeGlobal(gc),
        message: `already failing over to ${t.target} (${describeGlobal(gc)}): waiting for it`,
      },
    ];
    return { ...base, title, changes: [], checks, noop: false, inProgress: true, data: { ...data } };
  }
  if (target?.isWriter) return { ...base, title, changes: [], checks: [], noop: true, data: { ...data } };

  // The primary's region is never called: its engine version is the global cluster's.
  const lag = await readLag(aws, t.target, cluster);
  const sourceDown = impairedAtPlan(lag.lagMs, topology.aurora.maxLagMs);
  data.dataAtRiskMs = lag.lagMs;
  data.cluster = { id: cluster.id, engine: cluster.engine, engineVersion: cluster.engineVersion };
  data.sourceDownAtPlan = sourceDown;
  if (p.lagMargin !== undefined) data.lagMarginMs = p.lagMargin;
  const atRisk = lag.lagMs === null ? `unknown (no ${lag.metric} datapoint)` : seconds(lag.lagMs);
  const checks: Check[] = [
    {
      name: 'target is a secondary',
      passed: !!target,
      observed: target ? 'secondary' : 'not a member',
      message: target
        ? `${t.targetClusterId} in ${t.target} is a secondary of ${t.globalClusterId}`
        : `cluster ${t.targetClusterId} (${t.target}) is not a member of ${t.globalClusterId}`,
    },
    rebuildingCheck(target, t.target),
    {
      name: 'no other failover in progress',
      passed: !gc.failover,
      observed: gc.failover?.status ?? 'none',
      message: gc.failover
        ? `a ${gc.failover.status} operation toward another member is under way (${describeGlobal(gc)})`
        : 'no switchover or failover under way',
    },
    {
      name: 'target DB cluster available',
      passed: cluster.status === 'available',
      observed: cluster.status,
      bound: 'available',
      message: `${t.targetClusterId} in ${t.target} is ${cluster.status}`,
    },
    engineVersionCheck(cluster, gc.engineVersion, `the global cluster ${t.globalClusterId}`),
    headlessCheck(cluster),
    {
      name: 'data at risk',
      passed: true,
      // Never a green tick: these writes are lost once the failover is made.
      warning: true,
      observed: lag.lagMs,
      message: `writes from the last ${atRisk} before the failover may be lost (last known replication lag of ${t.target}${lag.error ? `; ${lag.error}` : ''})`,
    },
    writerEndpointCheck(gc, cluster, topology),
  ];
  return {
    ...base,
    title: `${title}: data at risk ${atRisk}`,
    changes: [
      {
        resource: `aurora global cluster ${t.globalClusterId}`,
        attribute: 'writer',
        from: writer?.region ?? 'none',
        to: t.target,
        risk: 'data-loss',
        region: t.target,
      },
    ],
    checks,
    noop: false,
    data: { ...data },
  };
}

/** A lag in seconds, as an operator reads it at 3 a.m. ("235.2 s"), with the exact milliseconds. */
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s (${ms} ms)`;
}

/** Like a switchover, an accepted FailoverGlobalCluster runs to its end without mr (see aurora-switchover.ts). */
async function interrupted(step: PlannedStep<FailoverData>): Promise<string> {
  const d = step.data;
  return `AWS carries the failover of ${d.globalClusterId} to ${d.target} on by itself; mr resume waits for it`;
}

async function apply(step: PlannedStep<FailoverData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  ctx.report(`failing over ${d.globalClusterId} to ${d.target} (allowing data loss)`);
  await ctx.mutating.rds(d.target).failoverGlobalCluster(d.globalClusterId, d.targetArn, {
    // Answer lost: a failover toward the target under way (or done) is ours.
    reconcile: () => reconcileToward(ctx.aws.rds(d.target), d.globalClusterId, d.targetArn),
    resend: true,
  });
}

async function verify(step: PlannedStep<FailoverData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const rds = ctx.aws.rds(d.target);
  // Only the target's promotion is awaited: the old primary may stay pending-resync or unreachable
  // for a long time, and the application needs the new writer now.
  await ctx.waitFor(
    `Aurora ${d.globalClusterId} to have its writer in ${d.target}`,
    async () => {
      const gc = await rds.readGlobalCluster(d.globalClusterId);
      const target = gc.members.find((m) => m.clusterArn === d.targetArn);
      return { done: !!target?.isWriter, detail: describeGlobal(gc) };
    },
    { expectedMs: expectedMs(ctx.topology, 'auroraFailover') },
  );
  // The data moved; the name applications use for the writer must follow it (aurora-writer-endpoint.ts).
  await verifyWriterEndpoint(ctx, d);
}

/** Before the data stage: the lag now against the data at risk approved (cut-lag.ts). */
async function recheck(step: PlannedStep<FailoverData>, ctx: PlanContext, ask: RecheckAsk): Promise<string | undefined> {
  const d = step.data;
  if (!d.cluster || step.inProgress) return undefined;
  const lag = await readLag(ctx.aws, d.target, d.cluster);
  d.cutLagMs = lag.lagMs;
  return recheckCutLag(
    { stepId: step.id, approvedMs: d.dataAtRiskMs, cutMs: lag.lagMs, sourceDownAtPlan: d.sourceDownAtPlan === true, marginMs: d.lagMarginMs },
    ctx,
    ask,
  );
}

export const auroraFailover = defineStep({
  kind: 'aurora.failover',
  params,
  plan,
  apply,
  verify,
  interrupted,
  recheck,
  // Unplanned: writes not yet replicated when the cut is made are lost, up to the target's lag (read
  // again just before the cut when it was, else the plan's reading).
  rpo: (step) => rpoBound(step.data.cutLagMs ?? step.data.dataAtRiskMs, UNPLANNED_CUT_NOTE),
});
