// What a playbook can check about a step's parameters before anything is read from AWS, so a
// typo fails at load time with a line number instead of halfway through a run. The steps
// themselves (src/steps) remain the authority: their plan() rejects what this lets through.
import type { StepKind } from '../engine/types.js';
import { parseDuration } from '../steps/params.js';
import { stepsProblem } from '../steps/weights.js';

export interface ParamProblem {
  path: (string | number)[];
  message: string;
}

type Rule = (v: unknown, regions: string[]) => string | undefined;

const region: Rule = (v, regions) =>
  typeof v !== 'string' ? 'expected a region name' : regions.includes(v) ? undefined : `region "${v}" is not in the topology (${regions.join(', ')})`;
const nonNegInt: Rule = (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'expected a whole number, 0 or more');
const text: Rule = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'expected text');
const names: Rule = (v) => (Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'string' && n !== '') ? undefined : 'expected a list of names');
const bool: Rule = (v) => (typeof v === 'boolean' ? undefined : 'expected true or false');
const duration: Rule = (v) => (parseDuration(v) !== undefined ? undefined : 'expected a duration such as 500ms, 30s, 5m or 1h');
const percentSteps: Rule = (v) =>
  Array.isArray(v) && v.every((n) => typeof n === 'number') ? (stepsProblem(v) ?? undefined) : 'expected percentages such as [10, 50, 100]';
const weights: Rule = (v, regions) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'expected a map of region to weight, e.g. { us-east-1: 0, eu-west-1: 100 }';
  for (const [r, w] of Object.entries(v)) {
    if (!regions.includes(r)) return `region "${r}" is not in the topology (${regions.join(', ')})`;
    if (!Number.isInteger(w) || (w as number) < 0 || (w as number) > 255) return `weight of ${r} must be a whole number from 0 to 255`;
  }
  return undefined;
};

interface KindRules {
  required: Record<string, Rule>;
  optional: Record<string, Rule>;
  /** Exactly one of these must be present. */
  oneOf?: string[];
}

// Keys are those the step kinds accept (src/steps/*); unknown keys are rejected so a misspelt
// `maxLagMS` does not silently fall back to a default.
const rules: Record<StepKind, KindRules> = {
  'gate.health': { required: { region }, optional: { within: duration } },
  // maxLagMs as aurora.switchover takes it: failover.yaml passes the same value to both.
  'gate.lag': { required: { region }, optional: { maxLagMs: nonNegInt, within: duration } },
  approval: { required: { message: text }, optional: {} },
  wait: { required: { duration }, optional: {} },
  'route53.shift': { required: {}, optional: { to: region, weights, steps: percentSteps, bake: duration, gate: bool }, oneOf: ['to', 'weights'] },
  'ecs.scale': { required: { region }, optional: { to: nonNegInt, capacity: bool, services: names }, oneOf: ['to', 'capacity'] },
  'aurora.switchover': { required: { target: region }, optional: { maxLagMs: nonNegInt } },
  'aurora.failover': { required: { target: region }, optional: {} },
  'ecs.fence': { required: { target: region }, optional: {} },
  'redis.failover': { required: { target: region }, optional: {} },
};

export function checkStepParams(kind: StepKind, params: Record<string, unknown>, regions: string[]): ParamProblem[] {
  const r = rules[kind];
  const problems: ParamProblem[] = [];
  for (const key of Object.keys(r.required)) {
    if (!(key in params)) problems.push({ path: [], message: `${kind} needs "${key}"` });
  }
  if (r.oneOf && r.oneOf.filter((k) => k in params).length !== 1) {
    problems.push({ path: [], message: `${kind} needs exactly one of ${r.oneOf.map((k) => `"${k}"`).join(' or ')}` });
  }
  for (const [key, value] of Object.entries(params)) {
    const rule = r.required[key] ?? r.optional[key];
    if (!rule) {
      const allowed = [...Object.keys(r.required), ...Object.keys(r.optional)];
      problems.push({ path: [key], message: `${kind} does not take "${key}" (it takes ${allowed.join(', ') || 'nothing'})` });
      continue;
    }
    const problem = rule(value, regions);
    if (problem) problems.push({ path: [key], message: problem });
  }
  return problems;
}
