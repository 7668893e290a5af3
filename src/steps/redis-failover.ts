// redis.failover: promote the target region's replication group to primary of the Global Datastore
// (FailoverGlobalReplicationGroup). Reads and the call go to the target region, so it works while the
// primary's region is down (AWS-FACTS 4.2: promotion may be called from any secondary's region).
import { isAwsCallError } from '../aws/errors.js';
import type { DatastoreMember, GlobalDatastoreInfo, MutationResult } from '../aws/types.js';
import type { z } from 'zod';
import {
  defineStep,
  rpoBound,
  stepUsageError,
  type Check,
  type PlanContext,
  type PlannedStep,
  type RecheckAsk,
  type Risk,
  type StepContext,
  type StepPlan,
} from './contract.js';
import { readHealth } from './health.js';
import { region, stepParams, type ParamEnv } from './params.js';
import { expectedMs } from './probe.js';
import { lagMarginParam, recheckCutLag } from './cut-lag.js';

type RedisData = {
  globalReplicationGroupId: string;
  target: string;
  replicationGroupId: string;
  /** The target's GlobalDatastoreReplicationLag when planned: what the promotion may lose (null: no reading). */
  dataAtRiskMs?: number | null;
  /** The same, read again just before the stage of the promotion (recheck). */
  cutLagMs?: number | null;
  /** The primary's region was judged down when planned (promotionRisk): the outage was approved (cut-lag.ts). */
  sourceDownAtPlan?: boolean;
  lagMarginMs?: number;
};

/**
 * The target's replication lag, read in its own region (never the primary's): its cache clusters from
 * DescribeReplicationGroups, then GlobalDatastoreReplicationLag of each (src/aws/cloudwatch.ts). A failed
 * read is an unknown lag, said so, and never stops the plan: the promotion is what an outage needs.
 */
async function readDatastoreLag(ctx: PlanContext, region: string, rg: string): Promise<{ lagMs: number | null; error?: string }> {
  try {
    const group = await ctx.aws.elasticache(region).readReplicationGroup(rg);
    return { lagMs: await ctx.aws.cloudwatch(region).datastoreReplicationLag(group.memberClusters ?? []) };
  } catch (e) {
    return { lagMs: null, error: isAwsCallError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e) };
  }
}

function dataAtRiskCheck(region: string, lag: { lagMs: number | null; error?: string }): Check {
  const atRisk = lag.lagMs === null ? 'unknown' : `${(lag.lagMs / 1000).toFixed(1)} s`;
  const why = lag.lagMs === null ? ` (no GlobalDatastoreReplicationLag datapoint for ${region} in the last 5 minutes${lag.error ? `: ${lag.error}` : ''})` : '';
  return {
    name: 'data at risk',
    passed: true,
    // Never a green tick: replication is asynchronous, so these writes may not reach the new primary.
    warning: true,
    observed: lag.lagMs,
    message: `data at risk: ${atRisk}${why}; writes from that last stretch before the promotion may not reach ${region} (replication lag of ${region})`,
  };
}

const params = (env: ParamEnv) => stepParams({ target: region(env), lagMargin: lagMarginParam() });

// AWS-FACTS 4.2 ⚠: the API's role and status case is not verified ("PRIMARY" seen in the CLI,
// "primary or secondary" in the docs), so both are compared without regard to case.
const is = (value: string | undefined, want: string) => (value ?? '').toLowerCase() === want;

function describe(ds: GlobalDatastoreInfo): string {
  const primary = ds.members.find((m) => is(m.role, 'primary'));
  return `primary ${primary ? `${primary.replicationGroupId} (${primary.region})` : 'none'}, status ${ds.status}`;
}

function memberOf(ds: GlobalDatastoreInfo, region: string, rg: string): DatastoreMember | undefined {
  return ds.members.find((m) => m.region === region && m.replicationGroupId === rg);
}

/**
 * A promotion while the primary is unreachable loses what it had not replicated yet: data loss. Judged
 * by the primary region's Route 53 health check, a global read, so that region itself is never called.
 */
async function promotionRisk(ctx: PlanContext, primaryRegion: string): Promise<{ risk: Risk; check: Check }> {
  const name = 'primary region health';
  const hcId = ctx.topology.route53?.healthChecks[primaryRegion];
  if (!hcId)
    return { risk: 'disruptive', check: { name, passed: true, message: `no health check for ${primaryRegion} in the topology: assuming the primary is up` } };
  try {
    const v = await readHealth(ctx.aws, primaryRegion, hcId);
    return v.healthy
      ? // Replication is asynchronous, so even with the primary up the writes not yet replicated are at risk
        // (AWS-FACTS §10); with the primary up they are normally a fraction of a second's worth.
        {
          risk: 'disruptive',
          check: {
            name,
            passed: true,
            observed: `${v.ok}/${v.total}`,
            message: `${v.summary}: the primary is up; replication is asynchronous, so writes from the last moment before the promotion may not reach the new primary`,
          },
        }
      : {
          risk: 'data-loss',
          check: {
            name,
            passed: true,
            observed: `${v.ok}/${v.total}`,
            message: `${v.summary}: the primary may be down; writes it had not replicated yet are lost`,
          },
        };
  } catch (e) {
    const why = isAwsCallError(e) ? e.oneLine() : String(e);
    return {
      risk: 'data-loss',
      check: { name, passed: true, message: `could not read ${primaryRegion}'s health (${why}): treating the promotion as data loss` },
    };
  }
}

async function plan(id: string, p: z.output<ReturnType<typeof params>>, ctx: PlanContext): Promise<StepPlan<RedisData>> {
  const { topology, aws } = ctx;
  if (!topology.elasticache) throw stepUsageError('redis.failover', id, 'the topology has no elasticache section');
  const target = p.target;
  const gid = topology.elasticache.globalReplicationGroupId;
  const rg = topology.elasticache.replicationGroups[target];
  const data: RedisData = { globalReplicationGroupId: gid, target, replicationGroupId: rg };
  const title = `Promote ${rg} (${target}) to primary of Global Datastore ${gid}`;
  const base = { title, region: target, data };

  let ds: GlobalDatastoreInfo;
  try {
    ds = await aws.elasticache(target).readGlobalDatastore(gid);
  } catch (e) {
    if (!isAwsCallError(e) || !/NotFound/.test(e.code)) throw e;
    const checks: Check[] = [{ name: 'datastore exists', passed: false, message: `Global Datastore ${gid} was not found from ${target}: ${e.oneLine()}` }];
    return { ...base, changes: [], checks, noop: false, observed: { datastore: null } };
  }
  const member = memberOf(ds, target, rg);
  const primary = ds.members.find((m) => is(m.role, 'primary'));
  const observed = {
    datastore: { status: ds.status, members: ds.members.map((m) => ({ rg: m.replicationGroupId, region: m.region, role: m.role.toLowerCase() })) },
  };
  const change = {
    resource: `global datastore ${gid}`,
    attribute: 'primary',
    from: primary?.region ?? 'none',
    to: target,
    risk: 'disruptive' as const,
    region: target,
  };

  if (member && is(member.role, 'primary')) {
    if (is(ds.status, 'available')) return { ...base, changes: [], checks: [], noop: true, observed };
    // Already primary but the datastore is still settling: the promotion is under way; wait for it.
    const checks: Check[] = [
      {
        name: 'promotion under way',
        passed: true,
        observed: describe(ds),
        message: `${rg} is already primary (${describe(ds)}): waiting for the datastore to be available`,
      },
    ];
    return { ...base, changes: [change], checks, noop: false, inProgress: true, observed };
  }

  // A resume right after a crash: our promotion was accepted and is under way (the datastore modifying,
  // the target's replication group modifying toward its new role). Wait for it; do not send it again.
  // ⚠ AWS does not document the member replication groups' status during a promotion; the sandbox
  // shows `modifying` on the two that change roles, and a target that is not modifying is planned anew.
  if (member && is(member.role, 'secondary') && !is(ds.status, 'available')) {
    const rgStatus = await aws
      .elasticache(target)
      .readReplicationGroup(rg)
      .then((x) => x.status)
      .catch(() => undefined);
    if (is(rgStatus, 'modifying')) {
      const checks: Check[] = [
        {
          name: 'promotion under way',
          passed: true,
          observed: `${describe(ds)}, ${rg} ${rgStatus}`,
          message: `${rg} is being promoted (${describe(ds)}, ${rg} ${rgStatus}): waiting for it to be primary`,
        },
      ];
      return { ...base, changes: [change], checks, noop: false, inProgress: true, observed };
    }
  }

  const [{ risk, check: health }, lag] = await Promise.all([
    primary ? promotionRisk(ctx, primary.region) : Promise.resolve({ risk: 'disruptive' as Risk, check: undefined }),
    readDatastoreLag(ctx, target, rg),
  ]);
  const checks: Check[] = [
    { name: 'datastore exists', passed: true, observed: ds.status, message: `Global Datastore ${gid}: ${describe(ds)}` },
    {
      name: 'target is a secondary member',
      passed: !!member && is(member.role, 'secondary'),
      observed: member ? member.role : 'not a member',
      message: member ? `${rg} in ${target} is ${member.role.toLowerCase()}` : `${rg} (${target}) is not a member of ${gid}`,
    },
    {
      // Not a refusal: "Promotion is allowed anytime, even if other modifications are in progress"
      // (ElastiCache user guide, https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Console.html;
      // AWS-FACTS §10). During a regional outage the datastore is likely modifying: that is when it is needed.
      name: 'datastore status',
      passed: true,
      observed: ds.status,
      message: is(ds.status, 'available')
        ? `Global Datastore ${gid} is available`
        : `Global Datastore ${gid} is ${ds.status}: AWS allows a promotion while other modifications are in progress`,
    },
    ...(health ? [health] : []),
    dataAtRiskCheck(target, lag),
  ];
  const lossy = risk === 'data-loss' ? `: the primary in ${primary!.region} may be down, unreplicated writes are lost` : '';
  const atRisk = `: data at risk ${lag.lagMs === null ? 'unknown' : `${(lag.lagMs / 1000).toFixed(1)} s`}`;
  return {
    ...base,
    title: `${title}${lossy}${atRisk}`,
    data: {
      ...data,
      dataAtRiskMs: lag.lagMs,
      // ElastiCache has no lag bound in the topology: the primary judged down (data-loss) stands for "impaired".
      sourceDownAtPlan: risk === 'data-loss',
      ...(p.lagMargin !== undefined ? { lagMarginMs: p.lagMargin } : {}),
    },
    changes: [{ ...change, risk }],
    checks,
    noop: false,
    observed,
  };
}

async function apply(step: PlannedStep<RedisData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  ctx.report(`promoting ${d.replicationGroupId} in ${d.target}`);
  // AWS-FACTS 4.2 ⚠: PrimaryRegion/PrimaryReplicationGroupId name the NEW primary (the secondary promoted).
  await ctx.mutating.elasticache(d.target).failoverGlobalDatastore(d.globalReplicationGroupId, d.target, d.replicationGroupId, {
    // Answer lost: the target already primary, or the datastore modifying, counts as our promotion.
    // AWS is silent on what a read shows right after the call; a datastore that is modifying is not
    // promoted again (a second call would be refused while it modifies), and verify then waits for
    // the target to become primary, failing with a timeout if it does not.
    reconcile: async (): Promise<(GlobalDatastoreInfo & MutationResult) | undefined> => {
      const ds = await ctx.aws.elasticache(d.target).readGlobalDatastore(d.globalReplicationGroupId);
      const m = memberOf(ds, d.target, d.replicationGroupId);
      return (m && is(m.role, 'primary')) || is(ds.status, 'modifying') ? ds : undefined;
    },
    resend: true,
  });
}

async function verify(step: PlannedStep<RedisData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const ec = ctx.aws.elasticache(d.target);
  await ctx.waitFor(
    `Global Datastore ${d.globalReplicationGroupId} to have ${d.replicationGroupId} (${d.target}) as primary and be available`,
    async () => {
      const ds = await ec.readGlobalDatastore(d.globalReplicationGroupId);
      const m = memberOf(ds, d.target, d.replicationGroupId);
      return { done: !!m && is(m.role, 'primary') && is(ds.status, 'available'), detail: describe(ds) };
    },
    { expectedMs: expectedMs(ctx.topology, 'redisFailover') },
  );
}

/**
 * An accepted FailoverGlobalReplicationGroup is carried out by ElastiCache whatever the caller does
 * next (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_FailoverGlobalReplicationGroup.html).
 */
async function interrupted(step: PlannedStep<RedisData>): Promise<string> {
  const d = step.data;
  return `AWS carries the promotion of ${d.replicationGroupId} in ${d.target} on by itself; mr resume waits for it`;
}

/**
 * Before the stage of the promotion: GlobalDatastoreReplicationLag now against the data at risk approved
 * (cut-lag.ts). A Global Datastore promotion is always a cut that loses what has not replicated.
 */
async function recheck(step: PlannedStep<RedisData>, ctx: PlanContext, ask: RecheckAsk): Promise<string | undefined> {
  const d = step.data;
  if (step.inProgress || d.dataAtRiskMs === undefined) return undefined;
  const lag = await readDatastoreLag(ctx, d.target, d.replicationGroupId);
  d.cutLagMs = lag.lagMs;
  return recheckCutLag(
    { stepId: step.id, approvedMs: d.dataAtRiskMs, cutMs: lag.lagMs, sourceDownAtPlan: d.sourceDownAtPlan === true, marginMs: d.lagMarginMs },
    ctx,
    ask,
  );
}

export const redisFailover = defineStep({
  kind: 'redis.failover',
  params,
  plan,
  apply,
  verify,
  interrupted,
  recheck,
  // The target's lag read before the cut, else when planned, bounds what the promotion loses; unknown (null) gives no bound.
  rpo: (step) =>
    rpoBound(
      step.data.cutLagMs ?? step.data.dataAtRiskMs,
      'Global Datastore promotion: writes not yet replicated to the new primary (GlobalDatastoreReplicationLag) may be lost, up to this bound',
      'cache',
    ),
});
