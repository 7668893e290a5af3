// The arithmetic of route53.shift, kept pure so it is tested without Route 53: target weights from
// --to or --weights, intermediate weights for --steps, and the never-all-zero rule.
import type { Region } from '../aws/types.js';

/** Weights of one weighted group (one record name and type), by region. */
export type Weights = Record<Region, number>;

/** Route 53's Weight range (AWS-FACTS 2.2). */
export const MAX_WEIGHT = 255;

export type ShiftTarget = { to: Region } | { weights: Weights };

/**
 * Where one group's weights end up.
 * - `to`: all of the group's weight to one region. The group keeps its current total (so a 50/50 group
 *   becomes 100/0, a 100/0 one 0/100), capped at 255; a group at total 0 gets 100.
 * - `weights`: the regions named get the weight given; regions not named keep their current weight.
 */
export function targetWeights(current: Weights, target: ShiftTarget): Weights {
  const out: Weights = {};
  if ('to' in target) {
    const total = Object.values(current).reduce((a, b) => a + b, 0);
    const weight = total === 0 ? 100 : Math.min(total, MAX_WEIGHT);
    for (const r of Object.keys(current)) out[r] = r === target.to ? weight : 0;
    return out;
  }
  for (const r of Object.keys(current)) out[r] = target.weights[r] ?? current[r];
  return out;
}

export function allZero(w: Weights): boolean {
  return Object.values(w).every((n) => n === 0);
}

export function sameWeights(a: Weights, b: Weights): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * Validate `--steps`: percents of the way from the current weights to the target, ascending, each
 * in 1..100, ending at 100 (so the step ends where its plan says it does). Returns a problem or null.
 */
export function stepsProblem(percents: number[]): string | null {
  if (percents.length === 0) return 'needs at least one percentage';
  for (const p of percents) {
    if (!Number.isInteger(p) || p < 1 || p > 100) return `each percentage must be a whole number from 1 to 100 (got ${p})`;
  }
  for (let i = 1; i < percents.length; i++) {
    if (percents[i] <= percents[i - 1]) return `percentages must increase (${percents.join(',')})`;
  }
  if (percents[percents.length - 1] !== 100) return `the last percentage must be 100, so the shift ends at its target (got ${percents.join(',')})`;
  return null;
}

/** Weights `percent` of the way from `from` to `to`, rounded per region. */
export function between(from: Weights, to: Weights, percent: number): Weights {
  const out: Weights = {};
  for (const r of Object.keys(to)) {
    const a = from[r] ?? 0;
    out[r] = percent >= 100 ? to[r] : Math.round(a + ((to[r] - a) * percent) / 100);
  }
  return out;
}

/** One sub-step: the weights of every group after it, keyed by group key. */
export interface SubStep {
  percent: number;
  groups: Record<string, Weights>;
}

/**
 * The sub-steps from `from` to `to` (both keyed by group), at the given percents. A sub-step that
 * would change nothing (rounding) is dropped; the last one always equals `to`.
 */
export function subSteps(from: Record<string, Weights>, to: Record<string, Weights>, percents: number[]): SubStep[] {
  const out: SubStep[] = [];
  let prev = from;
  for (const percent of percents) {
    const groups: Record<string, Weights> = {};
    for (const key of Object.keys(to)) groups[key] = between(from[key], to[key], percent);
    const changed = Object.keys(groups).some((k) => !sameWeights(groups[k], prev[k]));
    if (changed) out.push({ percent, groups });
    prev = groups;
  }
  return out;
}

/**
 * The first group (key) left with every weight 0 by any sub-step, or null. `others` is the total
 * weight of records in the group that the topology does not name (they keep their weight).
 */
export function firstAllZero(steps: SubStep[], others: Record<string, number> = {}): { key: string; percent: number } | null {
  for (const s of steps) {
    for (const [key, w] of Object.entries(s.groups)) if (allZero(w) && !(others[key] > 0)) return { key, percent: s.percent };
  }
  return null;
}

/** Regions that gain weight in at least one group: the ones whose health gates the shift. */
export function gainingRegions(from: Record<string, Weights>, to: Record<string, Weights>): Region[] {
  const out = new Set<Region>();
  for (const key of Object.keys(to)) {
    for (const [r, w] of Object.entries(to[key])) if (w > (from[key][r] ?? 0)) out.add(r);
  }
  return [...out];
}

/** Parse "us-east-1=0,eu-west-1=100" into weights; returns a problem string on bad input. */
export function parseWeightsText(text: string): Weights | string {
  const out: Weights = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z0-9-]+)=(\d+)$/.exec(part);
    if (!m) return `"${part}" is not region=weight`;
    if (m[1] in out) return `region ${m[1]} is given twice`;
    out[m[1]] = Number(m[2]);
  }
  if (Object.keys(out).length === 0) return 'no region=weight pairs';
  return out;
}
