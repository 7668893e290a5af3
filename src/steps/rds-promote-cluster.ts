// rds.promote-replica-cluster: make an Aurora cross-region read replica CLUSTER (one replicating across
// regions without a global database: ReplicationSourceIdentifier) a standalone, writable DB cluster, with
// PromoteReadReplicaDBCluster called in the replica's region only (API reference, PromoteReadReplicaDBCluster:
// "Promotes a read replica DB cluster to a standalone DB cluster"; Aurora user guide, "Promoting a read replica
// to a DB cluster for Aurora MySQL", AuroraMySQL.Replication.CrossRegion.Promote.html: "Stop any transactions
// from being written to the read replica source DB cluster, and then wait for all updates to be made to the
// read replica"; its instances reboot before it is available; it can take several minutes or longer).
// The sibling of rds.promote-replica (DB instances), with the same two cuts: `planned` checks the source's
// writers are fenced and waits for AuroraBinlogReplicaLag 0 (RPO 0); `unplanned` (default) is a data-loss
// step whose data at risk is that lag, read at plan time and again just before the cut's stage (the recheck,
// cut-lag.ts). A replica cluster that an earlier rds.create-replica-cluster of the run builds (the cluster
// failback) is planned when reached (src/engine/deferred.ts). The code both promotions share: rds-promote-common.ts.
import type { DbClusterInfo, MutationResult } from '../aws/types.js';
import { defineStep, type Check, type PlanContext, type PlannedStep, type RecheckAsk, type StepContext, type StepPlan } from './contract.js';
import { clusterIds, describeCluster, lagText, liveClusters, readClusterLag, rebuiltEarlier } from './rds-common.js';
import {
  cutAt,
  fencedCheck,
  promoteParams as params,
  promotionChange,
  promotionPlan,
  promotionRpo,
  recheckPromotion,
  type PromoteParams,
  type PromotionData,
} from './rds-promote-common.js';

type PromoteClusterData = PromotionData & { clusterId: string };

const KIND = 'rds.promote-replica-cluster';
const LAG = 'AuroraBinlogReplicaLag';

async function plan(id: string, p: PromoteParams, ctx: PlanContext): Promise<StepPlan<PromoteClusterData>> {
  const { topology, aws } = ctx;
  const cut = p.cut ?? 'unplanned';
  const ids = clusterIds(KIND, id, topology, p.target);
  const built = rebuiltEarlier(ctx.earlier, p.target, 'rds.create-replica-cluster');
  if (built) return planAfterRebuild(p.target, cut, built, topology);
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
  data.source = { region: replica.source!.region, id: replica.source!.id };
  if (replica.status === 'promoting') {
    const check: Check = { name: 'promotion under way', passed: true, observed: replica.status, message: `${describeCluster(replica)}: waiting for it` };
    return { ...base, title, changes: [], checks: [check], noop: false, inProgress: true };
  }
  const lag = await readClusterLag(aws, p.target, replica.id);
  const r = {
    resource: `rds cluster ${replica.id}`,
    id: replica.id,
    status: replica.status,
    role: 'read replica cluster of',
    describe: describeCluster(replica),
    lagName: LAG,
  };
  const shared = promotionPlan(p, r, replica.source!, lag, topology, data);
  // A cluster with no DB instance serves nothing: promoted, it would be a writer no one can write to.
  const headless: Check[] =
    replica.instances === 0
      ? [{ name: 'replica has a DB instance', passed: false, observed: 0, message: `${describeCluster(replica)}: add a DB instance before promoting it` }]
      : [];
  return { ...base, title: shared.title(title), changes: shared.changes, checks: [...shared.checks, ...headless], noop: false };
}

/** The promotion of a replica cluster that an earlier step builds: its change approved now, read when reached. */
function planAfterRebuild(
  target: string,
  cut: 'planned' | 'unplanned',
  built: NonNullable<ReturnType<typeof rebuiltEarlier>>,
  topology: PlanContext['topology'],
): StepPlan<PromoteClusterData> {
  const checks: Check[] = [
    {
      name: 'replica built earlier in this run',
      passed: true,
      observed: `step ${built.step}`,
      message: `cluster ${built.instanceId} does not exist yet: step ${built.step} builds it in ${target}; its status, ${LAG}${cut === 'planned' ? ' and the fence' : ''} are read when the run reaches this step`,
    },
  ];
  if (cut === 'planned') checks.push(fencedCheck(topology, built.from, `${LAG} must reach 0`));
  return {
    title: `Promote the Aurora read replica cluster ${built.instanceId} in ${target} to a standalone DB cluster${cut === 'planned' ? ' (planned cut, RPO 0)' : ' (unplanned)'}`,
    region: target,
    changes: [promotionChange(`rds cluster ${built.instanceId}`, `read replica cluster of ${built.sourceId} (${built.from})`, cut, target)],
    checks,
    noop: false,
    deferred: `cluster ${built.instanceId} is built by step ${built.step}`,
    data: { target, clusterId: built.instanceId, cut, source: { region: built.from, id: built.sourceId }, dataAtRiskMs: null },
    observed: { builtBy: built.step, cluster: built.instanceId },
  };
}

async function apply(step: PlannedStep<PromoteClusterData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  await cutAt(step, `${LAG} of ${d.clusterId} (${d.target})`, () => readClusterLag(ctx.aws, d.target, d.clusterId), ctx);
  ctx.report(`promoting cluster ${d.clusterId} in ${d.target} (lag at the cut ${lagText(d.cutLagMs ?? null)})`);
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

/** Before the stage of an unplanned cut: AuroraBinlogReplicaLag now against the data at risk approved (cut-lag.ts). */
async function recheck(step: PlannedStep<PromoteClusterData>, ctx: PlanContext, ask: RecheckAsk): Promise<string | undefined> {
  return recheckPromotion(step, ctx, ask, () => readClusterLag(ctx.aws, step.data.target, step.data.clusterId));
}

export const rdsPromoteReplicaCluster = defineStep({
  kind: KIND,
  params,
  plan,
  apply,
  verify,
  interrupted: async (step) => `RDS carries the promotion of cluster ${step.data.clusterId} on by itself once accepted; mr resume waits for it`,
  recheck,
  rpo: (step) => promotionRpo(step, LAG),
});
