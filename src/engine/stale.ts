// Saved plans: `mr apply plan.json` re-plans from the live state and refuses when what the saved
// plan observed no longer holds ("plan is stale"), naming each observed value that moved.
import { RefusedError, UsageError } from '../io/errors.js';
import type { Plan } from './types.js';
import { firstEdit } from './fingerprint.js';

export interface StaleDifference {
  step: string;
  /** Dotted path inside the step's `observed`, or "(step)" when the step itself came or went. */
  key: string;
  saved: unknown;
  live: unknown;
}

/** Every observed value that differs between the saved plan and a fresh plan of the same spec. */
export function staleDifferences(saved: Plan, live: Plan): StaleDifference[] {
  const out: StaleDifference[] = [];
  const savedSteps = stepsById(saved);
  const liveSteps = stepsById(live);
  for (const [id, s] of savedSteps) {
    const l = liveSteps.get(id);
    if (!l) {
      out.push({ step: id, key: '(step)', saved: 'planned', live: 'absent' });
      continue;
    }
    const a = flatten(s);
    const b = flatten(l);
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      if (!sameJson(a.get(key), b.get(key))) out.push({ step: id, key, saved: a.get(key), live: b.get(key) });
    }
  }
  for (const id of liveSteps.keys()) if (!savedSteps.has(id)) out.push({ step: id, key: '(step)', saved: 'absent', live: 'planned' });
  return out;
}

/** Refuse a stale plan; returns quietly when the fingerprints match. */
export function assertFresh(saved: Plan, live: Plan): void {
  if (saved.fingerprint === live.fingerprint) return;
  const diffs = staleDifferences(saved, live);
  const shown = diffs.slice(0, 8).map((d) => `${d.step}: ${d.key} was ${show(d.saved)}, now ${show(d.live)}`);
  const extra = diffs.length > shown.length ? `; and ${diffs.length - shown.length} more` : '';
  // Fingerprints can differ with no observed value differing (another hashing of the same data); still refuse.
  const what = shown.length ? shown.join('; ') + extra : 'the fingerprint of the observed state differs';
  throw new RefusedError(
    `plan is stale: the live state changed since it was saved (${saved.createdAt}): ${what}`,
    'make a new plan: run the same command with --out again, review it, then apply it',
  );
}

/** Check a parsed plan file has what apply needs; the engine re-plans from its command/playbook. */
export function parseSavedPlan(text: string, file: string): Plan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not a plan file (not JSON: ${(e as Error).message.split('\n')[0]})`);
  }
  const p = doc as Partial<Plan> | null;
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new UsageError(`${file}: not a plan file (expected a JSON object)`);
  if (p.version !== 1) throw new UsageError(`${file}: not a plan file this mr reads (version ${JSON.stringify(p.version)}, expected 1)`);
  for (const key of ['id', 'createdAt', 'topology', 'command', 'fingerprint'] as const) {
    if (typeof p[key] !== 'string' || p[key] === '') throw new UsageError(`${file}: plan is missing "${key}"`);
  }
  if (!Array.isArray(p.stages) || p.stages.length === 0) throw new UsageError(`${file}: plan has no stages`);
  // A plan is applied as saved: a key this mr does not know (an edit such as "dryRun": true) would be
  // silently ignored, so it is refused rather than applied without it.
  unknownKey(file, '', p, PLAN_KEYS);
  if (p.region !== undefined && (typeof p.region !== 'string' || p.region === '')) throw new UsageError(`${file}: plan "region" must be a region name`);
  p.stages.forEach((stage, si) => {
    if (!stage || typeof stage.name !== 'string' || !Array.isArray(stage.steps)) throw new UsageError(`${file}: stages[${si}] is not a stage`);
    unknownKey(file, `stages[${si}].`, stage, STAGE_KEYS);
    stage.steps.forEach((step, ti) => {
      if (!step || typeof step.id !== 'string' || typeof step.kind !== 'string' || typeof step.params !== 'object' || step.params === null) {
        throw new UsageError(`${file}: stages[${si}].steps[${ti}] is not a planned step (needs id, kind, params)`);
      }
      unknownKey(file, `stages[${si}].steps[${ti}].`, step, STEP_KEYS);
      if (!STEP_ID.test(step.id))
        throw new UsageError(`${file}: stages[${si}].steps[${ti}].id: expected lowercase letters, digits and dashes (at most 63), got ${show(step.id)}`);
      if (typeof step.observed !== 'object' || step.observed === null) throw new UsageError(`${file}: step "${step.id}" has no observed state`);
    });
  });
  return p as Plan;
}

/**
 * The fingerprint covers what the plan will do: a file edited after it was made (another target, a
 * change removed) is refused (exit 2) rather than applied under the header that was reviewed.
 */
export function assertUnedited(plan: Plan, file: string): void {
  const edited = firstEdit(plan);
  if (edited)
    throw new UsageError(
      `${file}: the plan does not match its fingerprint: ${edited} differs from what was planned (the file was edited after it was made)`,
      'a plan is applied as saved: make a new one with --out instead of editing it',
    );
}

const PLAN_KEYS = ['version', 'id', 'createdAt', 'topology', 'command', 'playbook', 'vars', 'region', 'stages', 'fingerprint', 'digests'];
const STAGE_KEYS = ['name', 'parallel', 'steps'];
const STEP_KEYS = ['id', 'kind', 'title', 'region', 'params', 'changes', 'checks', 'noop', 'inProgress', 'data', 'observed'];
/** As in playbooks (src/playbooks/schema.ts) and the fixed ids of the single-service commands. */
const STEP_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

function unknownKey(file: string, at: string, value: object, known: string[]): void {
  const extra = Object.keys(value).find((k) => !known.includes(k));
  if (extra !== undefined)
    throw new UsageError(
      `${file}: ${at}${show(extra)}: unknown key in a plan (expected ${known.join(', ')})`,
      'a plan is applied as saved: make a new one with --out instead of editing it',
    );
}

function stepsById(plan: Plan): Map<string, Record<string, unknown>> {
  return new Map(plan.stages.flatMap((s) => s.steps).map((s) => [s.id, s.observed ?? {}]));
}

/** Leaves by dotted path; list items by index ("services.0.desired"), so a diff names the one value that moved. */
function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out.set(prefix, value);
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  if (v === undefined) return 'absent';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
