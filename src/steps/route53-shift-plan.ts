// route53.shift, planning half: read the topology's weighted records, work out the target weights
// (and the sub-steps of a stepped shift), and check that no group ever ends with every weight 0 and
// that every region gaining traffic is healthy.
import type { RecordSet, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { weightedRecords } from '../config/records.js';
import type { z } from 'zod';
import { stepUsageError, type Change, type Check, type PlanContext, type StepPlan } from './contract.js';
import { HEALTHY_FRACTION, readCheckConfig, readHealth, type HealthVerdict } from './health.js';
import type { VerdictConfig } from './health-verdict.js';
import { bool, duration, optional, percentSteps, region, regionWeights, stepParams, type ParamEnv } from './params.js';
import { formatDuration } from '../util/duration.js';
import { route53Call } from './route53-down.js';
import { firstAllZero, gainingRegions, MAX_WEIGHT, subSteps, targetWeights, type ShiftTarget, type SubStep, type Weights } from './weights.js';

/** One weighted group of the topology (one record name and type) as read. */
export interface GroupData {
  key: string; // "api.demo.example.com. A"
  name: string;
  type: string;
  /** The record of each region exactly as read, so an UPSERT rewrites every other field unchanged. */
  records: Record<Region, RecordSet>;
}

/** What apply() needs; stored in PlannedStep.data (plain JSON). */
export type ShiftData = {
  zoneId: string;
  groups: GroupData[];
  /** Weights when the step was planned; a failed health gate restores these. */
  from: Record<string, Weights>;
  subSteps: SubStep[];
  bakeMs: number;
  gate: boolean;
  /** Regions gaining weight, with their health check id: checked before each sub-step. */
  gateChecks: Record<Region, string>;
  /** Each gated check's Inverted/Disabled as read at plan time (absent in older saved plans: plain checks). */
  gateConfigs?: Record<Region, VerdictConfig>;
};

export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function sameName(a: string, b: string): boolean {
  return fqdn(a).toLowerCase() === fqdn(b).toLowerCase();
}

interface ShiftParams {
  target: ShiftTarget;
  percents: number[];
  bakeMs: number;
  gate: boolean;
}

export const shiftParams = (env: ParamEnv) =>
  stepParams(
    {
      to: optional(region(env)),
      weights: optional(regionWeights(env, MAX_WEIGHT)),
      steps: optional(percentSteps()),
      bake: optional(duration()),
      gate: optional(bool()),
    },
    { oneOf: ['to', 'weights'], oneOfHint: 'a region, or region: weight' },
  );

export function readShiftParams(id: string, p: z.output<ReturnType<typeof shiftParams>>, topology: Topology): ShiftParams {
  if (!topology.route53) throw stepUsageError('route53.shift', id, 'the topology has no route53 section');
  const target: ShiftTarget = p.to !== undefined ? { to: p.to } : { weights: p.weights ?? {} };
  return { target, percents: p.steps ?? [100], bakeMs: p.bake ?? 0, gate: p.gate ?? true };
}

function describeTarget(t: ShiftTarget): string {
  return 'to' in t
    ? `to ${t.to}`
    : `to ${Object.entries(t.weights)
        .map(([r, w]) => `${r}=${w}`)
        .join(', ')}`;
}

/** The weights each sub-step leaves, as the operator reads them: "100/0/0 -> 90/10/0 -> 0/100/0 (us-east-1/eu-west-1/us-west-2)". */
function weightPath(from: Record<string, Weights>, steps: SubStep[]): string {
  const key = Object.keys(from)[0];
  if (key === undefined || steps.length === 0) return '';
  const regions = Object.keys(from[key]);
  const at = (w: Weights | undefined) => regions.map((r) => w?.[r] ?? 0).join('/');
  return `: ${[from[key], ...steps.map((s) => s.groups[key])].map(at).join(' -> ')} (${regions.join('/')})`;
}

export async function planShift(id: string, p: z.output<ReturnType<typeof shiftParams>>, ctx: PlanContext): Promise<StepPlan<ShiftData>> {
  const { topology, aws } = ctx;
  const sp = readShiftParams(id, p, topology);
  const r53cfg = topology.route53!;
  const r53 = aws.route53();
  const checks: Check[] = [];
  const groups: GroupData[] = [];
  const from: Record<string, Weights> = {};
  const others: Record<string, number> = {};
  const missing: string[] = [];

  // Asked together, so names that sort next to each other share one listing (src/aws/route53-batch.ts).
  // Latency and failover records move by health check (route53.drain), not by weight.
  const weighted = weightedRecords(topology);
  const reads = await Promise.all(
    weighted.map((rec) => route53Call(() => r53.readRecords(r53cfg.hostedZoneId, fqdn(rec.name), rec.type, Object.keys(rec.setIdentifiers).length))),
  );
  for (const [index, rec] of weighted.entries()) {
    const name = fqdn(rec.name);
    const key = `${name} ${rec.type}`;
    const read = reads[index];
    const inGroup = read.filter((r) => sameName(r.name, name) && r.type === rec.type);
    const records: Record<Region, RecordSet> = {};
    const weights: Weights = {};
    for (const region of topology.regions) {
      const setId = rec.setIdentifiers[region];
      const found = inGroup.find((r) => r.setIdentifier === setId);
      if (!found) missing.push(`${key} has no record with SetIdentifier ${setId} (${region})`);
      else if (typeof found.weight !== 'number') missing.push(`${key} ${setId} (${region}) is not a weighted record`);
      else {
        records[region] = found;
        weights[region] = found.weight;
      }
    }
    const named = new Set(Object.values(rec.setIdentifiers));
    others[key] = inGroup.filter((r) => r.setIdentifier && !named.has(r.setIdentifier)).reduce((a, r) => a + (r.weight ?? 0), 0);
    groups.push({ key, name, type: rec.type, records });
    from[key] = weights;
  }

  checks.push({
    name: 'weighted records found',
    passed: missing.length === 0,
    observed: missing.length ? missing : undefined,
    message: missing.length ? missing.join('; ') : `${groups.length} weighted record groups read in zone ${r53cfg.hostedZoneId}`,
  });

  const to: Record<string, Weights> = {};
  if (missing.length === 0) for (const key of Object.keys(from)) to[key] = targetWeights(from[key], sp.target);
  const steps: SubStep[] = missing.length ? [] : subSteps(from, to, sp.percents);

  const zero = firstAllZero(steps, others);
  checks.push({
    name: 'never all weights zero',
    passed: zero === null,
    message: zero
      ? `record ${zero.key} would have every weight 0${sp.percents.length > 1 ? ` at ${zero.percent}%` : ''} (Route 53 then answers with all of them)`
      : 'every record group keeps a non-zero weight',
  });

  const gateChecks: Record<Region, string> = {};
  const gateConfigs: Record<Region, VerdictConfig> = {};
  if (sp.gate && steps.length > 0) {
    for (const region of gainingRegions(from, to)) {
      const hcId = r53cfg.healthChecks[region];
      gateChecks[region] = hcId;
      const config = await route53Call(() => readCheckConfig(aws, hcId));
      gateConfigs[region] = config;
      const v: HealthVerdict = await route53Call(() => readHealth(aws, region, hcId, config));
      checks.push({
        name: `${region} healthy`,
        passed: v.healthy,
        observed: `${v.ok}/${v.total}`,
        bound: `more than ${HEALTHY_FRACTION * 100}% of checkers`,
        message: v.healthy ? v.summary : `${v.summary}: not healthy, refusing to send it traffic`,
        override: '--no-gate',
      });
    }
  }

  const changes: Change[] = [];
  for (const g of groups) {
    for (const region of Object.keys(to[g.key] ?? {})) {
      const a = from[g.key][region];
      const b = to[g.key][region];
      if (a !== b) {
        changes.push({
          resource: `record ${g.key}`,
          attribute: `weight ${g.records[region].setIdentifier} (${region})`,
          from: a,
          to: b,
          risk: 'disruptive',
          region,
        });
      }
    }
  }

  const stepped =
    sp.percents.length > 1 ? ` in steps ${sp.percents.join(',')}%${sp.bakeMs ? `, baking ${formatDuration(sp.bakeMs)}` : ''}${weightPath(from, steps)}` : '';
  const data: ShiftData = { zoneId: r53cfg.hostedZoneId, groups, from, subSteps: steps, bakeMs: sp.bakeMs, gate: sp.gate, gateChecks, gateConfigs };
  return {
    title: `Shift Route 53 weights ${describeTarget(sp.target)}${stepped}`,
    region: 'us-east-1',
    changes,
    checks,
    noop: missing.length === 0 && steps.length === 0,
    data,
    // The records as read, every field: if anything about them changes, a saved plan is stale.
    observed: { records: groups.map((g) => ({ key: g.key, records: g.records })) },
  };
}
