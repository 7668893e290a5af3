// Step parameters arrive as plain JSON from flags or playbooks. Each step kind declares them once,
// as a zod object built from the fields below; the same schema validates a playbook's `with:` block
// at load time (with the message kinds.ts used to give) and the parameters at plan time (naming the
// step), and prints as JSON Schema for editors. A field's message is what the value "must" be.
import { z } from 'zod';
import { stepsProblem } from './weights.js';
import { parseDuration } from '../util/duration.js';

/** What a parameter schema depends on: the topology's regions (none known: any region name). */
export interface ParamEnv {
  regions: readonly string[];
}

export type ParamProblem =
  | { code: 'unknown'; path: (string | number)[]; message: string; allowed: string[] }
  | { code: 'missing'; path: (string | number)[]; message: string; must: string }
  | { code: 'invalid' | 'rule'; path: (string | number)[]; message: string };

class Bad {
  constructor(readonly problem: string) {}
}

/** JSON Schema for editors; `must` is the sentence used when the value is missing. */
interface FieldMeta {
  must: string;
  json: Record<string, unknown>;
}

// A field is a zod schema over unknown input with its own check, so every message is ours (and the
// same in a playbook and on the command line), and null counts as absent, as YAML's `key:` is.
function field<T>(meta: FieldMeta, check: (v: unknown) => T | Bad) {
  return z
    .unknown()
    .transform((v, ctx): T => {
      if (v === undefined || v === null) {
        ctx.addIssue({ code: 'custom', message: meta.must, params: { missing: true } });
        return z.NEVER;
      }
      const r = check(v);
      if (r instanceof Bad) {
        ctx.addIssue({ code: 'custom', message: r.problem });
        return z.NEVER;
      }
      return r;
    })
    .meta({ ...meta.json, description: meta.must.replace(/^must be /, '') });
}

/** The field, or undefined when absent. */
export function optional<T>(f: z.ZodType<T>) {
  return z.preprocess((v) => (v === null ? undefined : v), f.optional());
}

const listOf = (regions: readonly string[]) => (regions.length ? ` (one of ${regions.join(', ')})` : '');
const allowedRegions = (regions: readonly string[]) => (regions.length ? ` (allowed: ${regions.join(', ')})` : '');

export function region(env: ParamEnv) {
  const must = `must be a region name${listOf(env.regions)}`;
  return field<string>({ must, json: { type: 'string', ...(env.regions.length ? { enum: [...env.regions] } : {}) } }, (v) => {
    if (typeof v !== 'string' || v === '') return new Bad(must);
    if (env.regions.length && !env.regions.includes(v)) return new Bad(`region "${v}" is not in the topology${allowedRegions(env.regions)}`);
    return v;
  });
}

export function text() {
  const must = 'must be a non-empty string';
  return field<string>({ must, json: { type: 'string', minLength: 1 } }, (v) => (typeof v === 'string' && v.trim() !== '' ? v : new Bad(must)));
}

/** A whole number in [min, max]; digits in a string count (flags and `{{ param }}` text arrive so). */
export function wholeNumber(min: number, max: number) {
  const must = `must be a whole number from ${min} to ${max}`;
  return field<number>({ must, json: { type: 'integer', minimum: min, maximum: max } }, (raw) => {
    const v = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : new Bad(`${must} (got ${JSON.stringify(raw)})`);
  });
}

export function bool() {
  const must = 'must be true or false';
  return field<boolean>({ must, json: { type: 'boolean' } }, (v) => (typeof v === 'boolean' ? v : new Bad(`${must} (got ${JSON.stringify(v)})`)));
}

/** Milliseconds, from a number or "500ms" / "30s" / "5m" / "1h" / "1m30s"; at most `maxMs` when given. */
export function duration(opts: { maxMs?: number; maxText?: string } = {}) {
  const must = 'must be milliseconds or a duration such as 500ms, 30s, 5m, 1h';
  return field<number>({ must, json: { type: ['string', 'integer'], examples: ['30s', '5m'] } }, (v) => {
    const ms = parseDuration(v);
    if (ms === undefined) return new Bad(`${must} (got ${JSON.stringify(v)})`);
    if (opts.maxMs !== undefined && ms > opts.maxMs) return new Bad(`must be at most ${opts.maxText ?? `${opts.maxMs}ms`}`);
    return ms;
  });
}

export function names() {
  const must = 'must be a non-empty list of names';
  return field<string[]>({ must, json: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 } }, (v) =>
    Array.isArray(v) && v.length > 0 && v.every((s): s is string => typeof s === 'string' && s !== '') ? v : new Bad(must),
  );
}

/** Percentages of the way to a shift's target, ascending, ending at 100 (see weights.ts). */
export function percentSteps() {
  const must = 'must be a non-empty list of percentages such as [10, 50, 100]';
  return field<number[]>({ must, json: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 100 }, minItems: 1 } }, (v) => {
    if (!Array.isArray(v) || !v.every((n): n is number => typeof n === 'number' && Number.isFinite(n))) return new Bad(must);
    const problem = stepsProblem(v);
    return problem ? new Bad(problem) : v;
  });
}

/** A map of region to Route 53 weight (0..255, AWS-FACTS 2.2). */
export function regionWeights(env: ParamEnv, maxWeight: number) {
  const must = 'must be a map of region to weight, e.g. { us-east-1: 0, eu-west-1: 100 }';
  return field<Record<string, number>>({ must, json: { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: maxWeight } } }, (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return new Bad(must);
    const out: Record<string, number> = {};
    for (const [r, w] of Object.entries(v)) {
      if (env.regions.length && !env.regions.includes(r)) return new Bad(`region "${r}" is not in the topology${allowedRegions(env.regions)}`);
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > maxWeight)
        return new Bad(`weight of ${r} must be a whole number from 0 to ${maxWeight} (got ${JSON.stringify(w)})`);
      out[r] = w;
    }
    if (Object.keys(out).length === 0) return new Bad('names no region');
    return out;
  });
}

/** The step's parameter object: unknown keys are refused, so a misspelt `maxLagMS` is not silently ignored. */
export function stepParams<S extends z.ZodRawShape>(shape: S, opts: { oneOf?: (keyof S & string)[]; oneOfHint?: string } = {}) {
  const obj = z.strictObject(shape);
  const oneOf = opts.oneOf;
  if (!oneOf) return obj;
  return obj.superRefine((v, ctx) => {
    const given = oneOf.filter((k) => (v as Record<string, unknown>)[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: `exactly one of ${oneOf.map((k) => `"${k}"`).join(' or ')}${opts.oneOfHint ? ` (${opts.oneOfHint})` : ''}`,
        params: { rule: true },
      });
  });
}

const ORDER = { unknown: 0, missing: 1, invalid: 2, rule: 3 } as const;

/** Every problem of `params` against a step kind's schema, unknown and missing keys first. */
export function paramProblems(kind: string, schema: z.ZodObject, params: Record<string, unknown>): ParamProblem[] {
  const parsed = schema.safeParse(params);
  if (parsed.success) return [];
  const allowed = Object.keys(schema.shape);
  const out: ParamProblem[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ code: 'unknown', path: [...path, key], message: `${kind} does not take "${key}" (it takes ${allowed.join(', ') || 'nothing'})`, allowed });
    } else if (issue.code === 'custom' && issue.params?.missing) {
      out.push({ code: 'missing', path, message: `${kind} needs "${path.join('.')}"`, must: issue.message });
    } else if (issue.code === 'custom' && issue.params?.rule) {
      out.push({ code: 'rule', path, message: `${kind} needs ${issue.message}` });
    } else {
      out.push({ code: 'invalid', path, message: issue.message });
    }
  }
  return out.sort((a, b) => ORDER[a.code] - ORDER[b.code]);
}
