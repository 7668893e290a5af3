// rds.promote-replica: make a cross-region read replica a standalone, writable DB instance. Promotion is
// one-way and loses whatever has not replicated ("Promoting a read replica to be a standalone DB instance",
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html; PromoteReadReplica in the
// API reference: "Must match the identifier of an existing read replica DB instance"). Every call goes to the
// replica's region only (the source region may be down); ReplicaLag is read there too ("Monitoring read
// replication", USER_ReadRepl.Monitoring.html).
//
// Two cuts:
// - `cut: planned`: the source's writers are fenced first (the ecs.fence stage), then at the cut this step
//   checks they are at 0 and waits for ReplicaLag to reach 0; only then does it promote, with RPO 0. If the
//   writers are not fenced or the lag does not drain in time, it promotes nothing and fails.
// - `cut: unplanned` (default, the safer reading): a data-loss step (--allow-data-loss), whose data at risk is
//   the replica lag read at plan time and again at the cut.
import type { DbInstanceInfo, MutationResult } from '../aws/types.js';
import { defineStep, type Check, type PlanContext, type PlannedStep, type RecheckAsk, type StepContext, type StepPlan } from './contract.js';
import { describeInstance, lagText, liveInstances, rdsIds, readReplicaLag, rebuiltEarlier } from './rds-common.js';
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

type PromoteData = PromotionData & { instanceId: string };

async function plan(id: string, p: PromoteParams, ctx: PlanContext): Promise<StepPlan<PromoteData>> {
  const { topology, aws } = ctx;
  const cut = p.cut ?? 'unplanned';
  const ids = rdsIds('rds.promote-replica', id, topology, p.target);
  // The replica is built by an earlier step of this run (a single-run failback): planned when reached.
  const built = rebuiltEarlier(ctx.earlier, p.target);
  if (built) return planAfterRebuild(p.target, cut, built, topology);
  const rds = aws.rds(p.target);
  const live = await liveInstances(rds, ids);
  const replica = live.find((i) => i.source);
  const base = {
    region: p.target,
    observed: { instances: live.map((i) => ({ id: i.id, status: i.status, source: i.source?.ref ?? null, replicas: i.replicas })) },
  };
  const data: PromoteData = {
    target: p.target,
    instanceId: replica?.id ?? live[0]?.id ?? ids[0],
    cut,
    source: replica?.source ? { region: replica.source.region, id: replica.source.id } : null,
    dataAtRiskMs: null,
  };
  const title = `Promote the RDS read replica in ${p.target} to a standalone DB instance`;

  if (!replica) {
    const standalone = live.find((i) => !i.source && i.replicas.length === 0 && i.status === 'available');
    if (live.length === 0) {
      const check: Check = {
        name: 'replica exists',
        passed: false,
        observed: 'not found',
        message: `no DB instance ${ids.join(' or ')} in ${p.target} (DescribeDBInstances: DBInstanceNotFound)`,
      };
      return { ...base, title, changes: [], checks: [check], noop: false, data };
    }
    if (standalone) {
      // Already promoted (a re-run or a resume): nothing left to do.
      return {
        ...base,
        title,
        changes: [],
        checks: [{ name: 'replica promoted', passed: true, observed: 'standalone', message: `${describeInstance(standalone)}: already standalone` }],
        noop: true,
        data: { ...data, instanceId: standalone.id },
      };
    }
    const check: Check = {
      name: 'target is a read replica',
      passed: false,
      observed: live.map(describeInstance).join('; '),
      message: `${live.map(describeInstance).join('; ')}: not a read replica, nothing to promote`,
    };
    return { ...base, title, changes: [], checks: [check], noop: false, data };
  }

  if (replica.status === 'modifying' || replica.status === 'rebooting') {
    // ⚠ RDS does not say which modification is under way; after an interrupted run it is ours (the promotion
    // keeps the source until it is done), and verify waits for a standalone instance.
    const check: Check = {
      name: 'promotion under way',
      passed: true,
      observed: replica.status,
      message: `${describeInstance(replica)}: a promotion is under way, waiting for it`,
    };
    return { ...base, title, changes: [], checks: [check], noop: false, inProgress: true, data };
  }
  const lag = await readReplicaLag(aws, p.target, replica.id);
  const r = {
    resource: `rds instance ${replica.id}`,
    id: replica.id,
    status: replica.status,
    role: 'read replica of',
    describe: describeInstance(replica),
    lagName: 'ReplicaLag',
  };
  const shared = promotionPlan(p, r, replica.source!, lag, topology, data);
  return { ...base, title: shared.title(title), changes: shared.changes, checks: shared.checks, noop: false, data };
}

/**
 * The promotion of a replica that an earlier step of the run builds: the change it will make, approved
 * now; its status, ReplicaLag and the fence are read when the run reaches it (PlannedStep.deferred).
 */
function planAfterRebuild(
  target: string,
  cut: 'planned' | 'unplanned',
  built: NonNullable<ReturnType<typeof rebuiltEarlier>>,
  topology: PlanContext['topology'],
): StepPlan<PromoteData> {
  const bound = topology.rds?.maxLagMs ?? 60_000;
  const checks: Check[] = [
    {
      name: 'replica built earlier in this run',
      passed: true,
      observed: `step ${built.step}`,
      message: `${built.instanceId} does not exist yet: step ${built.step} builds it in ${target}; its status${cut === 'planned' ? `, ReplicaLag (bound ${bound} ms) and the fence` : ' and ReplicaLag'} are read when the run reaches this step`,
    },
  ];
  if (cut === 'planned') checks.push(fencedCheck(topology, built.from, 'ReplicaLag must reach 0'));
  return {
    title: `Promote the RDS read replica ${built.instanceId} in ${target} to a standalone DB instance${cut === 'planned' ? ' (planned cut, RPO 0)' : ' (unplanned)'}`,
    region: target,
    changes: [promotionChange(`rds instance ${built.instanceId}`, `read replica of ${built.sourceId} (${built.from})`, cut, target)],
    checks,
    noop: false,
    deferred: `${built.instanceId} is built by step ${built.step}`,
    data: { target, instanceId: built.instanceId, cut, source: { region: built.from, id: built.sourceId }, dataAtRiskMs: null },
    observed: { builtBy: built.step, instance: built.instanceId },
  };
}

async function apply(step: PlannedStep<PromoteData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const rds = ctx.aws.rds(d.target);
  // The lag at the cut: what this promotion can lose (0 after a planned cut's wait).
  await cutAt(step, `ReplicaLag of ${d.instanceId} (${d.target})`, () => readReplicaLag(ctx.aws, d.target, d.instanceId), ctx);
  ctx.report(`promoting ${d.instanceId} in ${d.target} (lag at the cut ${lagText(d.cutLagMs ?? null)})`);
  await ctx.mutating.rds(d.target).promoteReadReplica(d.instanceId, {
    // Answer lost: a promotion under way (modifying / rebooting) or done (no source) is ours.
    reconcile: async () => {
      const i: DbInstanceInfo & MutationResult = await rds.readDbInstance(d.instanceId);
      return !i.source || i.status === 'modifying' || i.status === 'rebooting' ? i : undefined;
    },
    resend: true,
  });
}

async function verify(step: PlannedStep<PromoteData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const rds = ctx.aws.rds(d.target);
  // Writable: available, and no longer a replica of anything (RDS removes ReadReplicaSourceDBInstanceIdentifier).
  await ctx.waitFor(`${d.instanceId} (${d.target}) to be a standalone available DB instance`, async () => {
    const i: DbInstanceInfo = await rds.readDbInstance(d.instanceId);
    return { done: i.status === 'available' && !i.source, detail: describeInstance(i) };
  });
}

async function interrupted(step: PlannedStep<PromoteData>): Promise<string> {
  return `RDS carries the promotion of ${step.data.instanceId} on by itself once accepted; mr resume waits for it`;
}

/** Before the stage of an unplanned cut: the ReplicaLag now against the data at risk approved (cut-lag.ts). */
async function recheck(step: PlannedStep<PromoteData>, ctx: PlanContext, ask: RecheckAsk): Promise<string | undefined> {
  return recheckPromotion(step, ctx, ask, () => readReplicaLag(ctx.aws, step.data.target, step.data.instanceId));
}

export const rdsPromoteReplica = defineStep({
  kind: 'rds.promote-replica',
  params,
  plan,
  apply,
  verify,
  interrupted,
  recheck,
  rpo: (step) => promotionRpo(step, 'ReplicaLag'),
});
