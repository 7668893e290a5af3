// `--json` for runs: NDJSON, one event per line on stdout, each with a `type`. The schema here is
// the contract documented in src/cli/render/RUN-JSON.md; the tests validate every line of real
// runs against it, so a field added here without the document (or the reverse) fails them.
import { z } from 'zod';
import type { Io } from '../io/types.js';
import type { Plan } from './types.js';
import type { RunResultDoc, RunStepRecord } from './run-record.js';
import type { TimingReport } from './report.js';

const iso = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'an ISO-8601 UTC time');
const json = z.record(z.string(), z.unknown());

export const stepStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'interrupted']);
export const runOutcomeSchema = z.enum(['running', 'succeeded', 'noop', 'failed', 'partial', 'rolled-back', 'refused', 'declined', 'interrupted']);

const change = z.strictObject({
  resource: z.string(),
  attribute: z.string(),
  from: z.unknown(),
  to: z.unknown(),
  risk: z.enum(['safe', 'disruptive', 'data-loss']),
  region: z.string().optional(),
});

const check = z.strictObject({
  name: z.string(),
  passed: z.boolean(),
  observed: z.unknown().optional(),
  bound: z.unknown().optional(),
  message: z.string(),
  override: z.string().optional(),
  warning: z.boolean().optional(),
  instead: z.string().optional(),
});

const plannedStep = z.strictObject({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  region: z.string().optional(),
  params: json,
  changes: z.array(change),
  checks: z.array(check),
  noop: z.boolean(),
  inProgress: z.boolean().optional(),
  data: json,
  observed: json,
});

export const stepRecordSchema = z.strictObject({
  id: z.string(),
  kind: z.string(),
  stage: z.string(),
  status: stepStatusSchema,
  startedAt: iso.optional(),
  endedAt: iso.optional(),
  durationMs: z.number().nonnegative().optional(),
  mutations: z.number().int().nonnegative(),
  error: z.string().optional(),
  // Each converged wait: AWS finished after pendingAt and by readAt; mr saw it at seenAt (the HTML report's timeline).
  waits: z
    .array(z.strictObject({ what: z.string(), polls: z.number().int().nonnegative(), startedAt: iso, pendingAt: iso.optional(), readAt: iso, seenAt: iso }))
    .optional(),
  // What verify warned of though the step converged (the global writer endpoint still naming the old writer).
  warnings: z.array(z.string()).optional(),
  // What verify confirmed beyond the change itself (the global writer endpoint names the new writer).
  notes: z.array(z.string()).optional(),
});

const reportStep = z.strictObject({
  id: z.string(),
  kind: z.string(),
  stage: z.string(),
  title: z.string().optional(),
  status: stepStatusSchema,
  startedAt: iso.optional(),
  endedAt: iso.optional(),
  durationMs: z.number().nonnegative().optional(),
  fromRun: z.string().optional(),
  note: z.string().optional(),
});

export const reportSchema = z.strictObject({
  version: z.literal(1),
  runId: z.string(),
  continues: z.array(z.string()),
  steps: z.array(reportStep),
  changes: z.number().int().nonnegative(),
  rto: z.strictObject({ ms: z.number().nonnegative(), from: iso, to: iso, verified: z.boolean() }).nullable(),
  rpo: z.strictObject({ boundMs: z.number().nonnegative(), step: z.string(), kind: z.string(), region: z.string().optional(), note: z.string() }).nullable(),
});

export const runEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('plan'),
    version: z.literal(1),
    id: z.string(),
    createdAt: iso,
    topology: z.string(),
    command: z.string(),
    playbook: z.string().optional(),
    vars: z.record(z.string(), z.string()).optional(),
    region: z.string().optional(),
    stages: z.array(z.strictObject({ name: z.string(), parallel: z.boolean(), steps: z.array(plannedStep) })),
    fingerprint: z.string(),
    digests: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({ type: z.literal('step.started'), runId: z.string(), step: z.string(), kind: z.string(), stage: z.string(), title: z.string(), at: iso }),
  z.strictObject({ type: z.literal('progress'), runId: z.string(), step: z.string(), detail: z.string(), at: iso }),
  z.strictObject({ type: z.literal('step.finished'), runId: z.string(), step: stepRecordSchema, at: iso }),
  z.strictObject({
    type: z.literal('result'),
    runId: z.string(),
    outcome: runOutcomeSchema,
    steps: z.array(stepRecordSchema),
    error: z.string().optional(),
    auditLog: z.string(),
    runRecord: z.string(),
  }),
  reportSchema.extend({ type: z.literal('report') }),
]);

export type RunEvent = z.infer<typeof runEventSchema>;

/** Where the engine sends its events: one NDJSON line each under --json, nothing otherwise. */
export interface RunEvents {
  plan(plan: Plan): void;
  stepStarted(runId: string, step: { id: string; kind: string; title: string }, stage: string): void;
  progress(runId: string, step: string, detail: string): void;
  stepFinished(runId: string, step: RunStepRecord): void;
  result(doc: RunResultDoc): void;
  report(report: TimingReport): void;
}

export function runEvents(io: Io, now: () => Date = () => new Date()): RunEvents {
  const emit = (ev: Record<string, unknown>) => {
    if (io.json) io.jsonLine(ev);
  };
  const at = () => now().toISOString();
  return {
    plan: (plan) => emit({ type: 'plan', ...plan }),
    stepStarted: (runId, step, stage) => emit({ type: 'step.started', runId, step: step.id, kind: step.kind, stage, title: step.title, at: at() }),
    progress: (runId, step, detail) => emit({ type: 'progress', runId, step, detail, at: at() }),
    stepFinished: (runId, step) => emit({ type: 'step.finished', runId, step: { ...step }, at: at() }),
    result: (doc) => emit({ type: 'result', ...doc }),
    report: (report) => emit({ type: 'report', ...report }),
  };
}
