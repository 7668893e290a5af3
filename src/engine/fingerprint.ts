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

/** What the plan says it will do, beside the stages: the command, playbook and parameters. */
export interface PlanHeader {
  topology?: string;
  command?: string;
  playbook?: string;
  vars?: Record<string, string>;
}

/**
 * One step's digest: everything that decides what it does (kind, params, where, the changes
 * planned, whether it is a no-op or already under way) and what it was planned from (`observed`).
 * An edited plan file (another target in params, a change removed) no longer matches it.
 */
export function stepDigest(stage: PlannedStage, step: PlannedStage['steps'][number]): string {
  const { id, kind, params, region, changes, noop, inProgress, observed } = step;
  const what = {
    stage: stage.name,
    parallel: stage.parallel === true,
    id,
    kind,
    params,
    region,
    changes,
    noop: noop === true,
    inProgress: inProgress === true,
    observed,
  };
  return createHash('sha256').update(canonicalJson(what)).digest('hex');
}

/** sha256 over the header and every step's digest, in plan order (a moved step changes it too). */
export function fingerprint(stages: PlannedStage[], header: PlanHeader = {}): string {
  const hash = createHash('sha256');
  hash.update(canonicalJson({ topology: header.topology, command: header.command, playbook: header.playbook, vars: header.vars }) + '\n');
  for (const stage of stages) {
    for (const step of stage.steps) hash.update(stepDigest(stage, step) + '\n');
  }
  return hash.digest('hex');
}

/** Each step's digest by id, saved in the plan so an edit can be traced to the step it touched. */
export function stepDigests(stages: PlannedStage[]): Record<string, string> {
  return Object.fromEntries(stages.flatMap((stage) => stage.steps.map((step) => [step.id, stepDigest(stage, step).slice(0, 16)])));
}

/**
 * A saved plan whose content no longer hashes to its fingerprint was edited (or broken) after it was
 * made: returns what differs first (a step id, or "the command, playbook or parameters"), else undefined.
 */
export function firstEdit(plan: { stages: PlannedStage[]; fingerprint: string; digests?: Record<string, string> } & PlanHeader): string | undefined {
  if (fingerprint(plan.stages, plan) === plan.fingerprint) return undefined;
  const saved = plan.digests ?? {};
  for (const stage of plan.stages) {
    for (const step of stage.steps) if (saved[step.id] !== stepDigest(stage, step).slice(0, 16)) return `step ${step.id}`;
  }
  const ids = new Set(plan.stages.flatMap((s) => s.steps.map((t) => t.id)));
  const gone = Object.keys(saved).find((id) => !ids.has(id));
  if (gone) return `step ${gone} (removed)`;
  return 'the command, playbook or parameters';
}
