// The plan's fingerprint: what the plan was computed from, so a saved plan can be refused when
// the live state has moved since ("plan is stale", stale.ts). Pure.
import { createHash } from 'node:crypto';
import type { PlannedStage } from './types.js';

/** JSON with object keys sorted, so the same values always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256 over each step's id and `observed`, in plan order. */
export function fingerprint(stages: PlannedStage[]): string {
  const hash = createHash('sha256');
  for (const stage of stages) {
    for (const step of stage.steps) hash.update(canonicalJson({ id: step.id, observed: step.observed }) + '\n');
  }
  return hash.digest('hex');
}
