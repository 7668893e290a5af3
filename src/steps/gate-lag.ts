// gate.lag: a check-only step. The Aurora member in the region must lag the writer by no more than
// the bound (the step's maxLagMs, else the topology's aurora.maxLagMs). Checked at plan time (a
// failure refuses the plan) and again when the run reaches it (see gate-check.ts).
//
// The writer has no replication lag to read (AuroraGlobalDBReplicationLag is published for
// secondaries only): it is the replication source, so it counts as lag 0. That keeps the gate
// meaningful before a switchover (the target is a secondary) and lets a resumed failover, whose
// target has already become the writer, pass it instead of being refused.
import type { Aws, Region } from '../aws/types.js';
import type { Check, PlanContext, PlannedStep, StepContext, StepImpl } from '../engine/types.js';
import { memberFor, readLag } from './aurora-common.js';
import { gatePlan, recheckGate, withinParam } from './gate-check.js';
import { ParamReader } from './params.js';

interface LagGateData {
  region: Region;
  globalClusterId: string;
  clusterId: string;
  bound: number;
  withinMs?: number;
}

/** Is the cluster the writer? Read in its own region; unknown (null) when the read fails. */
async function isWriter(aws: Aws, d: Pick<LagGateData, 'region' | 'globalClusterId' | 'clusterId'>): Promise<{ writer: boolean | null; error?: string }> {
  try {
    const gc = await aws.rds(d.region).readGlobalCluster(d.globalClusterId);
    return { writer: memberFor(gc, d.region, d.clusterId)?.isWriter ?? false };
  } catch (e) {
    return { writer: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Read the region's role and lag and judge them against the bound. */
export async function lagCheck(aws: Aws, d: LagGateData): Promise<Check> {
  const name = `${d.region} lag under bound`;
  const role = await isWriter(aws, d);
  if (role.writer) {
    return { name, passed: true, observed: 0, bound: d.bound, message: `${d.clusterId} in ${d.region} is the Aurora writer (the replication source): lag 0 ms, within the bound ${d.bound} ms` };
  }
  const lag = await readLag(aws, d.region, d.clusterId);
  const passed = lag.lagMs !== null && lag.lagMs <= d.bound;
  const why = [lag.error, role.error && `reading the global cluster: ${role.error}`].filter(Boolean).join('; ');
  const message = lag.lagMs === null
    ? `no replication lag reading for ${d.clusterId} in ${d.region} (is it a member of ${d.globalClusterId}?)${why ? `: ${why}` : ''}`
    : `${d.region} lag ${lag.lagMs} ms is ${passed ? 'within' : 'above'} the bound ${d.bound} ms`;
  return { name, passed, observed: lag.lagMs, bound: d.bound, message };
}

async function plan(id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep> {
  const p = new ParamReader('gate.lag', id, params, ctx.topology).only('region', 'maxLagMs', 'within');
  const region = p.region('region');
  if (!ctx.topology.aurora) throw p.fail('the topology has no aurora section');
  const bound = p.optionalInt('maxLagMs', 0, 86_400_000) ?? ctx.topology.aurora.maxLagMs;
  const withinMs = withinParam(p);
  const data: LagGateData = { region, globalClusterId: ctx.topology.aurora.globalClusterId, clusterId: ctx.topology.aurora.clusters[region], bound, ...(withinMs !== undefined ? { withinMs } : {}) };
  const check = await lagCheck(ctx.aws, data);
  // The lag moves all the time; only whether the gate passed belongs in the fingerprint.
  return gatePlan({ id, kind: 'gate.lag', title: `Gate: ${region} Aurora lag at most ${bound} ms`, region, params, check, data, observed: { passed: check.passed } });
}

async function verify(step: PlannedStep, ctx: StepContext): Promise<void> {
  const data = step.data as unknown as LagGateData;
  // recheckGate's poll already reported the verdict; saying it again printed every check twice.
  await recheckGate(ctx, `${data.region} Aurora replication lag`, data.withinMs, () => lagCheck(ctx.aws, data));
}

export const gateLag: StepImpl = { kind: 'gate.lag', plan, apply: async () => {}, verify };
