// rds.promote-replica-cluster: make an Aurora cross-region read replica CLUSTER (one replicating across
// regions without a global database: ReplicationSourceIdentifier) a standalone, writable DB cluster, with
// PromoteReadReplicaDBCluster called in the replica's region only (API reference, PromoteReadReplicaDBCluster:
// "Promotes a read replica DB cluster to a standalone DB cluster"; Aurora user guide, "Promoting a read replica
// to a DB cluster for Aurora MySQL", AuroraMySQL.Replication.CrossRegion.Promote.html: "Stop any transactions
// from being written to the read replica source DB cluster, and then wait for all updates to be made to the
// read replica"; its instances reboot before it is available; it can take several minutes or longer).
// The sibling of rds.promote-replica (DB instances), with the same two cuts: `planned` checks the source's
// writers are fenced and waits for AuroraBinlogReplicaLag 0 (RPO 0); `unplanned` (default) is a data-loss
// step whose data at risk is that lag, read at plan time and again at the cut.
import { z } from 'zod';
import { isAwsCallError } from '../aws/errors.js';
import type { DbClusterInfo, MutationResult, ReadAws, Region } from '../aws/types.js';
import { defineStep, rpoBound, stepUsageError, type Check, type PlanContext, type PlannedStep, type StepContext, type StepPlan } from './contract.js';
import { optional, region, stepParams, type ParamEnv } from './params.js';
import { UNPLANNED_CUT_NOTE } from './cut-lag.js';
import { fencedAndCaughtUp, lagText, liveClusters, writersOf } from './rds-common.js';

type PromoteClusterData = {
  target: string;
  clusterId: string;
  cut: 'planned' | 'unplanned';
  source: { region: string; id: string } | null;
  /** AuroraBinlogReplicaLag at plan time (ms; null: no datapoint). */
  dataAtRiskMs: number | null;
  /** The same, read at the cut just before PromoteReadReplicaDBCluster (written by apply). */
  cutLagMs?: number | null;
};

const KIND = 'rds.promote-replica-cluster';
const cutField = z
  .preprocess((v) => (v === null ? undefined : v), z.enum(['planned', 'unplanned']).optional())
  .meta({ description: 'planned (fenced, waits for lag 0, RPO 0) or unplanned (data loss allowed)' });
const params = (env: ParamEnv) => stepParams({ target: region(env), cut: optional(cutField) });

export function describeCluster(c: DbClusterInfo): string {
  const role = c.source
    ? `read replica cluster of ${c.source.id} (${c.source.region})`
    : c.replicas?.length
      ? `source of ${c.replicas.length} replica cluster(s)`
      : 'standalone';
  return `cluster ${c.id} in ${c.region}: ${role}, ${c.status}`;
}

async function clusterLag(aws: ReadAws, region: Region, id: string): Promise<{ lagMs: number | null; error?: string }> {
  try {
    return { lagMs: await aws.cloudwatch(region).clusterReplicaLag(id) };
  } catch (e) {
    return { lagMs: null, error: isAwsCallError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e) };
  }
}

async function plan(id: string, p: z.output<ReturnType<typeof params>>, ctx: PlanContext): Promise<StepPlan<PromoteClusterData>> {
  const { topology, aws } = ctx;
  const cut = p.cut ?? 'unplanned';
  if (!topology.rds?.clusters) throw stepUsageError(KIND, id, 'the topology has no rds.clusters');
  const ids = topology.rds.clusters[p.target] ?? [];
  const live = await liveClusters(aws.rds(p.target), ids);
  const replica = live.find((c) => c.source);
  const data: PromoteClusterData = { target: p.target, clusterId: replica?.id ?? live[0]?.id ?? ids[0], cut, source: null, dataAtRiskMs: null };
  const base = { region: p.target, observed: { clusters: live.map((c) => ({ id: c.id, status: c.status, source: c.source?.ref ?? null })) }, data };
  const title = `Promote the Aurora read replica cluster in ${p.target} to a standalone DB cluster`;
  const refuse = (check: Check): StepPlan<PromoteClusterData> => ({ ...base, title, changes: [], checks: [check], noop: false });
  if (!replica) {
    if (live.length === 0)
      return refuse({
        name: 'replica exists',
        passed: false,
        observed: 'not found',
        message: `no DB cluster ${ids.join(' or ')} in ${p.target} (DBClusterNotFoundFault)`,
      });
    const standalone = live.find((c) => !c.replicas?.length && c.status === 'available');
    if (standalone) {
      const check: Check = { name: 'replica promoted', passed: true, observed: 'standalone', message: `${describeCluster(standalone)}: already standalone` };
      return { ...base, title, changes: [], checks: [check], noop: true, data: { ...data, clusterId: standalone.id } };
    }
    const seen = live.map(describeCluster).join('; ');
    return refuse({ name: 'target is a read replica cluster', passed: false, observed: seen, message: `${seen}: not a read replica, nothing to promote` });
  }
  const src = replica.source!;
  data.source = { region: src.region, id: src.id };
  if (replica.status === 'promoting') {
    const check: Check = { name: 'promotion under way', passed: true, observed: replica.status, message: `${describeCluster(replica)}: waiting for it` };
    return { ...base, title, changes: [], checks: [check], noop: false, inProgress: true };
  }
  const lag = await clusterLag(aws, p.target, replica.id);
  data.dataAtRiskMs = lag.lagMs;
  const checks: Check[] = [
    {
      name: 'cross-region replica',
      passed: src.region !== p.target,
      observed: src.region,
      message:
        src.region !== p.target
          ? describeCluster(replica)
          : `${replica.id}'s source ${src.id} is in the same region ${p.target}: promoting it moves nothing out of the region`,
    },
    {
      name: 'replica available',
      passed: replica.status === 'available',
      observed: replica.status,
      bound: 'available',
      message: `${replica.id} is ${replica.status}`,
    },
  ];
  if (cut === 'planned') {
    const bound = topology.rds.maxLagMs;
    const writers = writersOf(topology, src.region);
    checks.push(
      {
        name: 'replica lag under bound',
        passed: lag.lagMs === null || lag.lagMs <= bound,
        observed: lag.lagMs,
        bound,
        message: `AuroraBinlogReplicaLag ${lagText(lag.lagMs)}, bound ${bound} ms (rds.maxLagMs)`,
      },
      {
        name: 'source writers fenced at the cut',
        passed: !!writers,
        observed: writers ? `${writers.cluster}/${writers.services.join(',')}` : 'none named',
        message: writers
          ? `at the cut, ${src.region}'s writers (${writers.services.join(', ')}) must be at 0 and the lag must reach 0: RPO 0`
          : `a planned cut needs the writer services of ${src.region} marked \`writer: true\` in the topology`,
      },
    );
  } else {
    checks.push({
      name: 'data at risk',
      passed: true,
      warning: true,
      observed: lag.lagMs,
      message: `writes from the last ${lagText(lag.lagMs)} may be lost (AuroraBinlogReplicaLag of ${replica.id}${lag.error ? `; ${lag.error}` : ''}); promotion is one-way`,
    });
  }
  return {
    ...base,
    title: cut === 'planned' ? `${title} (planned cut, RPO 0)` : `${title} (unplanned): data at risk ${lagText(lag.lagMs)}`,
    changes: [
      {
        resource: `rds cluster ${replica.id}`,
        attribute: 'role',
        from: `read replica cluster of ${src.id} (${src.region})`,
        to: 'standalone primary',
        risk: cut === 'planned' ? 'disruptive' : 'data-loss',
        region: p.target,
      },
    ],
    checks,
    noop: false,
  };
}

async function apply(step: PlannedStep<PromoteClusterData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const lagOf = `AuroraBinlogReplicaLag of ${d.clusterId} (${d.target})`;
  if (d.cut === 'planned') await fencedAndCaughtUp(step.id, d.source!.region, lagOf, () => clusterLag(ctx.aws, d.target, d.clusterId), ctx);
  d.cutLagMs = (await clusterLag(ctx.aws, d.target, d.clusterId)).lagMs;
  ctx.report(`promoting cluster ${d.clusterId} in ${d.target} (lag at the cut ${lagText(d.cutLagMs)})`);
  await ctx.mutating.rds(d.target).promoteReadReplicaCluster(d.clusterId, {
    // Answer lost: a promotion under way, or done (no source), is ours.
    reconcile: async () => {
      const c: DbClusterInfo & MutationResult = await ctx.aws.rds(d.target).readDbCluster(d.clusterId);
      return !c.source || c.status === 'promoting' ? c : undefined;
    },
    resend: true,
  });
}

async function verify(step: PlannedStep<PromoteClusterData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  await ctx.waitFor(`cluster ${d.clusterId} (${d.target}) to be a standalone available DB cluster`, async () => {
    const c = await ctx.aws.rds(d.target).readDbCluster(d.clusterId);
    return { done: c.status === 'available' && !c.source, detail: describeCluster(c) };
  });
}

export const rdsPromoteReplicaCluster = defineStep({
  kind: KIND,
  params,
  plan,
  apply,
  verify,
  interrupted: async (step) => `RDS carries the promotion of cluster ${step.data.clusterId} on by itself once accepted; mr resume waits for it`,
  rpo: (step) =>
    rpoBound(
      step.data.cutLagMs ?? step.data.dataAtRiskMs,
      step.data.cut === 'planned'
        ? 'planned cut: the source writers were fenced and AuroraBinlogReplicaLag reached 0 before the promotion'
        : UNPLANNED_CUT_NOTE,
    ),
});
