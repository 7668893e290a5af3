// gate.lag: a check-only step. The Aurora member in the region must lag the writer by no more than
// the bound (the step's maxLagMs, else the topology's aurora.maxLagMs). Checked at plan time (a
// failure refuses the plan) and again when the run reaches it (see gate-check.ts).
//
// The writer has no replication lag to read (the lag metrics are published for secondaries only): it is the replication source, so it counts as lag 0. That keeps the gate
// meaningful before a switchover (the target is a secondary) and lets a resumed failover, whose
// target has already become the writer, pass it instead of being refused.
import type { ReadAws, Region } from '../aws/types.js';
import { memberFor, noAuroraPlan, readLag } from './aurora-common.js';
import { lagBoundCheck } from './aurora-lag.js';
import { MAX_LAG_BOUND_MS } from './aurora-switchover.js';
import { defineStep, type Check } from './contract.js';
import { gatePlan, recheckGate, withinParam } from './gate-check.js';
import { optional, region, stepParams, wholeNumber, type ParamEnv } from './params.js';

type LagGateData = {
  region: Region;
  globalClusterId: string;
  clusterId: string;
  bound: number;
  withinMs?: number;
};

/**
 * Is the cluster the writer? Read in its own region; unknown (null) when the read fails. The global
 * cluster's engine and version also pick the lag metric (src/aws/aurora-engine.ts), so no second read.
 */
async function isWriter(
  aws: ReadAws,
  d: Pick<LagGateData, 'region' | 'globalClusterId' | 'clusterId'>,
): Promise<{ writer: boolean | null; syncStatus?: string; engine?: string; engineVersion?: string; error?: string }> {
  try {
    const gc = await aws.rds(d.region).readGlobalCluster(d.globalClusterId);
    const member = memberFor(gc, d.region, d.clusterId);
    return { writer: member?.isWriter ?? false, syncStatus: member?.syncStatus, engine: gc.engine, engineVersion: gc.engineVersion };
  } catch (e) {
    return { writer: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Read the region's role and lag and judge them against the bound. */
export async function lagCheck(aws: ReadAws, d: LagGateData): Promise<Check> {
  const name = `${d.region} lag under bound`;
  const role = await isWriter(aws, d);
  if (role.writer) {
    return {
      name,
      passed: true,
      observed: 0,
      bound: d.bound,
      message: `${d.clusterId} in ${d.region} is the Aurora writer (the replication source): lag 0 ms, within the bound ${d.bound} ms`,
    };
  }
  if (role.syncStatus && role.syncStatus !== 'connected') {
    // Being rebuilt after an unplanned failover: it replicates nothing and publishes no lag until it is in
    // sync (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
    // No flag overrides this: AWS would refuse to promote it anyway.
    return {
      name,
      passed: false,
      observed: role.syncStatus,
      bound: d.bound,
      message: `${d.clusterId} in ${d.region} is rebuilding (${role.syncStatus}) after an unplanned failover: no replication lag until it is in sync, and it cannot take over meanwhile`,
    };
  }
  const lag = await readLag(aws, d.region, { id: d.clusterId, engine: role.engine, engineVersion: role.engineVersion });
  if (!lag.error && role.error) lag.error = `reading the global cluster: ${role.error}`;
  return lagBoundCheck(name, d.region, d.clusterId, lag, d.bound);
}

export const gateLag = defineStep({
  kind: 'gate.lag',
  // maxLagMs as aurora.switchover takes it: failover.yaml passes the same value to both.
  params: (env: ParamEnv) => stepParams({ region: region(env), maxLagMs: optional(wholeNumber(0, MAX_LAG_BOUND_MS)), within: withinParam() }),
  async plan(id, p, ctx) {
    if (!ctx.topology.aurora)
      return noAuroraPlan<LagGateData>(`Gate: ${p.region} Aurora lag`, { region: p.region, globalClusterId: '', clusterId: '', bound: 0 });
    const bound = p.maxLagMs ?? ctx.topology.aurora.maxLagMs;
    const data: LagGateData = {
      region: p.region,
      globalClusterId: ctx.topology.aurora.globalClusterId,
      clusterId: ctx.topology.aurora.clusters[p.region],
      bound,
      ...(p.within !== undefined ? { withinMs: p.within } : {}),
    };
    const check = await lagCheck(ctx.aws, data);
    // The lag moves all the time; only whether the gate passed belongs in the fingerprint.
    return gatePlan({ title: `Gate: ${p.region} Aurora lag at most ${bound} ms`, region: p.region, check, data, observed: { passed: check.passed } });
  },
  apply: async () => {},
  async verify(step, ctx) {
    // recheckGate's poll already reported the verdict; saying it again printed every check twice.
    await recheckGate(ctx, `${step.data.region} Aurora replication lag`, step.data.withinMs, () => lagCheck(ctx.aws, step.data));
  },
});
