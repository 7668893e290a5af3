// route53.shift, planning half: read the topology's weighted records, work out the target weights
// (and the sub-steps of a stepped shift), and check that no group ever ends with every weight 0 and
// that every region gaining traffic is healthy.
import type { RecordSet, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import type { Change, Check, PlanContext, PlannedStep } from '../engine/types.js';
import { HEALTHY_FRACTION, readHealth, type HealthVerdict } from './health.js';
import { formatDuration, ParamReader } from './params.js';
import { route53Call } from './route53-down.js';
import {
  firstAllZero, gainingRegions, MAX_WEIGHT, stepsProblem, subSteps, targetWeights,
  type ShiftTarget, type SubStep, type Weights,
} from './weights.js';

/** One weighted group of the topology (one record name and type) as read. */
export interface GroupData {
  key: string; // "api.demo.example.com. A"
  name: string;
  type: string;
  /** The record of each region exactly as read, so an UPSERT rewrites every other field unchanged. */
  records: Record<Region, RecordSet>;
}

/** What apply() needs; stored in PlannedStep.data (plain JSON). */
export interface ShiftData {
  zoneId: string;
  groups: GroupData[];
  /** Weights when the step was planned; a failed health gate restores these. */
  from: Record<string, Weights>;
  subSteps: SubStep[];
  bakeMs: number;
  gate: boolean;
  /** Regions gaining weight, with their health check id: checked before each sub-step. */
  gateChecks: Record<Region, string>;
}

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

export function readShiftParams(id: string, params: Record<string, unknown>, topology: Topology): ShiftParams {
  const p = new ParamReader('route53.shift', id, params, topology).only('to', 'weights', 'steps', 'bake', 'gate');
  if (!topology.route53) throw p.fail('the topology has no route53 section');
  if (p.has('to') === p.has('weights')) throw p.fail('give exactly one of "to" (a region) or "weights" (region: weight)');
  let target: ShiftTarget;
  if (p.has('to')) {
    target = { to: p.region('to') };
  } else {
    const raw = p.optionalRecord('weights')!;
    const weights: Weights = {};
    for (const [region, w] of Object.entries(raw)) {
      if (!topology.regions.includes(region)) throw p.fail(`"weights": region "${region}" is not in the topology (allowed: ${topology.regions.join(', ')})`);
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > MAX_WEIGHT) throw p.fail(`"weights": ${region} must be a whole number from 0 to ${MAX_WEIGHT} (got ${JSON.stringify(w)})`);
      weights[region] = w;
    }
    if (Object.keys(weights).length === 0) throw p.fail('"weights" names no region');
    target = { weights };
  }
  const percents = p.optionalNumberList('steps') ?? [100];
  const problem = stepsProblem(percents);
  if (problem) throw p.fail(`"steps": ${problem}`);
  return { target, percents, bakeMs: p.optionalDuration('bake') ?? 0, gate: p.optionalBool('gate') ?? true };
}

function describeTarget(t: ShiftTarget): string {
  return 'to' in t ? `to ${t.to}` : `to ${Object.entries(t.weights).map(([r, w]) => `${r}=${w}`).join(', ')}`;
}

export async function planShift(id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep> {
  const { topology, aws } = ctx;
  const sp = readShiftParams(id, params, topology);
  const r53cfg = topology.route53!;
  const r53 = aws.route53();
  const checks: Check[] = [];
  const groups: GroupData[] = [];
  const from: Record<string, Weights> = {};
  const others: Record<string, number> = {};
  const missing: string[] = [];

  // Asked together, so names that sort next to each other share one listing (src/aws/route53-batch.ts).
  const reads = await Promise.all(
    r53cfg.records.map((rec) => route53Call(() => r53.readRecords(r53cfg.hostedZoneId, fqdn(rec.name), rec.type, Object.keys(rec.setIdentifiers).length))),
  );
  for (const [index, rec] of r53cfg.records.entries()) {
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
  if (sp.gate && steps.length > 0) {
    for (const region of gainingRegions(from, to)) {
      const hcId = r53cfg.healthChecks[region];
      gateChecks[region] = hcId;
      const v: HealthVerdict = await route53Call(() => readHealth(aws, region, hcId));
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
        changes.push({ resource: `record ${g.key}`, attribute: `weight ${g.records[region].setIdentifier} (${region})`, from: a, to: b, risk: 'disruptive', region });
      }
    }
  }

  const stepped = sp.percents.length > 1 ? ` in steps ${sp.percents.join(',')}%${sp.bakeMs ? `, baking ${formatDuration(sp.bakeMs)}` : ''}` : '';
  const data: ShiftData = { zoneId: r53cfg.hostedZoneId, groups, from, subSteps: steps, bakeMs: sp.bakeMs, gate: sp.gate, gateChecks };
  return {
    id,
    kind: 'route53.shift',
    title: `Shift Route 53 weights ${describeTarget(sp.target)}${stepped}`,
    region: 'us-east-1',
    params,
    changes,
    checks,
    noop: missing.length === 0 && steps.length === 0,
    data: data as unknown as Record<string, unknown>,
    // The records as read, every field: if anything about them changes, a saved plan is stale.
    observed: { records: groups.map((g) => ({ key: g.key, records: g.records })) },
  };
}
