// withRun: what every mutating command shares, so each run looks the same in the audit log and on
// disk: one run id, one actor (STS in the acting region), run.started before anything can change,
// one run record, and one run.finished with the record's outcome and timing report. runMutation
// uses it for plans; `mr lock release --force` and the lock a resume leaves behind use it too.
import type { Aws, MutationSink, Region } from '../aws/types.js';
import { AuditWriteError, auditPath, openAuditLog, type AuditWriter } from '../audit/log.js';
import type { Actor } from '../audit/types.js';
import { chainBreak } from '../audit/read.js';
import type { ChainBreak } from '../audit/chain.js';
import type { Topology } from '../config/schema.js';
import { ExitCode, FailedError, isMrError, RefusedError } from '../io/errors.js';
import { resolveActor } from './actor.js';
import { runEvents, type RunEvents } from './events.js';
import { reasonOf } from './execute.js';
import { fingerprint } from './fingerprint.js';
import { renderSummary } from './render/summary.js';
import { computeReport, renderReport } from './report.js';
import { recordChain } from './resume.js';
import { RunRecorder, type RunResultDoc } from './run-record.js';
import { auditSink } from './step-context.js';
import type { Plan, RunContext, RunOutcome, RunSpec } from './types.js';

export interface RunStart {
  runId: string;
  topology: Topology;
  aws: Aws;
  /** The command as the audit log names it ("failover eu-west-1", "lock release --force"). */
  command: string;
  /** Where STS is called for the actor: never a region the run must avoid. */
  region: Region;
  /** More of run.started's data (spec, flags, ...). */
  started?: Record<string, unknown>;
  resumeOf?: string;
  events?: RunEvents;
  now?: () => Date;
  /** Whose secret values the audit log redacts; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** --force-audit: append even when the log's chain is broken (recorded in run.started). */
  forceAudit?: boolean;
}

export interface FinishOptions {
  error?: string;
  /** Extra data for run.finished (e.g. `applied: 0`). */
  data?: Record<string, unknown>;
  /** Write run.finished (false when run.interrupted already says how it ended). Default true. */
  audit?: boolean;
  /** Print the summary (text) as well as the result event (--json). Default true. */
  summary?: boolean;
}

export interface ActiveRun {
  readonly runId: string;
  readonly actor: Actor;
  readonly audit: AuditWriter;
  readonly auditLog: string;
  readonly events: RunEvents;
  readonly now: () => Date;
  /** The run record, once openRecord() made it. */
  readonly recorder: RunRecorder | undefined;
  /** Make the run record from the plan (none: a run with no steps, e.g. a lock release); its first save must succeed. */
  openRecord(plan?: Plan, spec?: RunSpec): Promise<RunRecorder>;
  /** The audit sink for changes that are not the run's steps (the lock); never cut short by an interrupt. */
  readonly sideSink: MutationSink;
  /** How the run ended: run.finished, the record's outcome and timing report, the result. Once; later calls do nothing. */
  finish(outcome: RunOutcome, opts?: FinishOptions): Promise<void>;
}

export const AUDIT_HINT = 'fix the state directory (--state-dir) so the audit log can be written';

/** Before any step ran: MrErrors keep their exit code; anything else fails with nothing applied. */
export function asFailure(e: unknown): Error {
  if (isMrError(e)) return e;
  return new FailedError(`${reasonOf(e)}; nothing was applied`, e instanceof AuditWriteError ? AUDIT_HINT : undefined, { cause: e });
}

export function outcomeOf(e: unknown): RunOutcome {
  if (isMrError(e) && e.exitCode === ExitCode.Refused) return 'refused';
  if (isMrError(e) && e.exitCode === ExitCode.Declined) return 'declined';
  return 'failed';
}

/**
 * A run appends to its topology's log only while the log's chain verifies: lines appended after a
 * break would be chained to whatever is there now, and the break could pass for the run's own doing.
 * Checked before anything is written or changed; --force-audit goes ahead and says so in the log.
 */
async function brokenChain(ctx: RunContext, auditLog: string, force: boolean): Promise<ChainBreak | null> {
  let broken: ChainBreak | null;
  try {
    broken = await chainBreak(auditLog);
  } catch (e) {
    throw asFailure(new AuditWriteError(auditLog, e));
  }
  if (!broken) return null;
  const where = `the audit log ${auditLog} is broken at line ${broken.line} (${broken.reason})`;
  if (!force)
    throw new RefusedError(
      `${where}: nothing was changed`,
      'run `mr audit verify` and keep a copy of the log; then --force-audit appends to it anyway (recorded)',
    );
  ctx.io.warn(`${where}; appending anyway (--force-audit, recorded in run.started)`);
  return broken;
}

export async function withRun<T>(ctx: RunContext, start: RunStart, body: (run: ActiveRun) => Promise<T>): Promise<T> {
  const now = start.now ?? (() => new Date());
  const actor = await resolveActor(start.aws, start.region);
  const auditLog = auditPath(ctx.stateDir, start.topology.name);
  const audit = openAuditLog({ path: auditLog, runId: start.runId, actor, argv: ctx.argv, env: start.env, now });
  const events = start.events ?? runEvents(ctx.io, now);
  const broken = await brokenChain(ctx, auditLog, start.forceAudit === true);
  try {
    await audit.append('run.started', {
      command: start.command,
      ...start.started,
      ...(start.resumeOf ? { resumeOf: start.resumeOf } : {}),
      ...(broken ? { auditChainBroken: broken } : {}),
    });
  } catch (e) {
    throw asFailure(e);
  }
  let recorder: RunRecorder | undefined;
  let finished = false;

  const run: ActiveRun = {
    runId: start.runId,
    actor,
    audit,
    auditLog,
    events,
    now,
    get recorder() {
      return recorder;
    },
    sideSink: auditSink({ audit, stepId: 'lock', tally: { applied: 0 }, signal: new AbortController().signal, now }),
    async openRecord(plan, spec) {
      const p = plan ?? emptyPlan(start, now);
      recorder = RunRecorder.fromPlan({
        stateDir: ctx.stateDir,
        plan: p,
        spec: spec ?? { command: start.command, region: start.region, stages: [] },
        argv: ctx.argv,
        actor,
        auditLog,
        resumeOf: start.resumeOf,
        now,
        onSaveError: (e) => ctx.io.warn(`could not update the run record: ${e.message}`),
      });
      await recorder.save({ strict: true });
      return recorder;
    },
    async finish(outcome, opts = {}) {
      if (finished) return;
      finished = true;
      const rec = recorder?.record;
      if (opts.audit !== false) {
        const steps = rec?.steps.map((s) => ({ id: s.id, status: s.status, durationMs: s.durationMs }));
        await audit
          .append('run.finished', { outcome, error: opts.error, ...opts.data, ...(steps?.length ? { steps } : {}) })
          .catch((e: unknown) => ctx.io.warn(reasonOf(e)));
      }
      if (!recorder || !rec) return;
      rec.outcome = outcome;
      rec.endedAt = now().toISOString();
      if (opts.error !== undefined) rec.error = opts.error;
      // The report covers the runs this one continued; only a run whose steps started has timings.
      if (rec.steps.some((s) => s.startedAt)) {
        try {
          const earlier = rec.resumeOf ? await recordChain(ctx.stateDir, rec.resumeOf) : [];
          rec.report = computeReport([...earlier, rec]);
        } catch (e) {
          // A report that cannot be built must not hide the run's outcome.
          ctx.io.warn(`could not build the timing report: ${(e as Error).message}`);
        }
      }
      await recorder.save();
      const doc: RunResultDoc = {
        runId: rec.runId,
        outcome,
        steps: rec.steps.map((s) => ({ ...s })),
        ...(opts.error !== undefined ? { error: opts.error } : {}),
        auditLog: rec.auditLog,
        runRecord: recorder.path,
      };
      if (rec.steps.length > 0) events.result(doc);
      if (opts.summary !== false && !ctx.io.json && rec.steps.length > 0) ctx.io.result(renderSummary(doc, ctx.io.style));
      if (rec.report) {
        events.report(rec.report);
        if (!ctx.io.json) ctx.io.result(renderReport(rec.report).join('\n'));
      }
    },
  };

  try {
    return await body(run);
  } catch (e) {
    const applied = recorder?.record.steps.some((s) => s.mutations > 0) ?? false;
    await run.finish(outcomeOf(e), { error: reasonOf(e), ...(applied ? {} : { data: { applied: 0 } }), summary: false });
    throw asFailure(e);
  }
}

/** The plan of a run with no steps (a lock release): the record still says who did what, when. */
function emptyPlan(start: RunStart, now: () => Date): Plan {
  return {
    version: 1,
    id: start.runId,
    createdAt: now().toISOString(),
    topology: start.topology.name,
    command: start.command,
    region: start.region,
    stages: [],
    fingerprint: fingerprint([]),
  };
}
