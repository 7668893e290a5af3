// mr audit list | show <run-id> | verify [file]: read the audit logs under <stateDir>/audit.
// Needs no topology and no AWS: the log is read as it is on disk.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { auditDir } from '../../audit/log.js';
import { auditFiles, listRuns, readRun, verifyAuditFile, type VerifyResult } from '../../audit/read.js';
import type { AuditEvent } from '../../audit/types.js';
import { ExitCode, UsageError } from '../../io/errors.js';
import { formatValue } from '../../engine/render/plan.js';
import type { CommandHandler } from '../types.js';

export const list: CommandHandler = async (ctx) => {
  const dir = auditDir(ctx.stateDir);
  const runs = await listRuns(dir);
  if (ctx.io.json) {
    ctx.io.resultJson({ auditDir: dir, runs });
    return ExitCode.Ok;
  }
  if (runs.length === 0) {
    ctx.io.info(`no runs recorded under ${dir}`);
    return ExitCode.Ok;
  }
  const rows = [
    ['RUN', 'TOPOLOGY', 'STARTED', 'OUTCOME', 'CALLS', 'ACTOR', 'COMMAND'],
    ...runs.map((r) => [r.runId, r.topology, r.startedAt, r.outcome, String(r.mutations), r.actor, r.command ?? '']),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  ctx.io.result(
    rows
      .map((row, ri) => {
        const line = row
          .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i])))
          .join('  ')
          .trimEnd();
        return ri === 0 ? ctx.io.style.dim(line) : line;
      })
      .join('\n'),
  );
  return ExitCode.Ok;
};

export const show: CommandHandler = async (ctx, args) => {
  const runId = args[0];
  if (!runId) throw new UsageError('a run id is required', 'mr audit list shows the runs');
  const dir = auditDir(ctx.stateDir);
  const run = await readRun(dir, runId);
  if (!run) throw new UsageError(`no run ${runId} in the audit logs under ${dir}`, 'mr audit list shows the runs; pass the same --state-dir as the run');
  // What a broken chain says may not be what happened: say so before showing it.
  const { broken } = await verifyAuditFile(run.path);
  if (broken) ctx.io.warn(`${run.path}: chain broken at line ${broken.line}: ${broken.reason}; what follows may have been altered (mr audit verify)`);
  if (ctx.io.json) {
    ctx.io.resultJson({ runId, auditLog: run.path, chainIntact: broken === null, ...(broken ? { brokenLine: broken.line } : {}), events: run.events });
    return ExitCode.Ok;
  }
  const first = run.events[0];
  const lines = [`run ${runId} in ${run.path}`, `by ${first.actor.arn} (${first.actor.osUser}@${first.actor.host}): ${first.argv.join(' ')}`];
  for (const e of run.events) lines.push(`${e.ts}  ${e.type.padEnd(15)}  ${describe(e)}`.trimEnd());
  ctx.io.result(lines.join('\n'));
  return ExitCode.Ok;
};

/** One line of what an event says. */
export function describe(e: AuditEvent): string {
  const d = e.data ?? {};
  const call = d.call as { service?: string; region?: string; operation?: string; target?: string; params?: unknown } | undefined;
  const error = d.error as { code?: string; message?: string } | string | undefined;
  const errorText = typeof error === 'string' ? error : error ? `${error.code ? `${error.code}: ` : ''}${error.message ?? ''}` : '';
  switch (e.type) {
    case 'run.started':
      return `${String(d.command ?? '')}${d.resumeOf ? ` (resumes ${String(d.resumeOf)})` : ''}`;
    case 'plan': {
      const plan = d.plan as { stages?: { steps: unknown[] }[]; fingerprint?: string } | undefined;
      const steps = plan?.stages?.reduce((n, s) => n + s.steps.length, 0) ?? 0;
      return `${steps} step${steps === 1 ? '' : 's'}, fingerprint ${String(plan?.fingerprint ?? '').slice(0, 12)}`;
    }
    case 'approval':
      return `${d.step ? `${String(d.step)}: ` : ''}by ${String(d.by)}`;
    case 'intent':
      return `${String(d.step)}: ${call?.service} ${call?.operation} in ${call?.region} on ${call?.target} ${formatValue(call?.params)}`;
    case 'result':
      return `${String(d.step)}: ${d.service} ${d.operation} ${d.ok ? `ok, request ${String(d.requestId ?? 'n/a')}` : `failed: ${errorText}`}`;
    case 'step.started':
      return `${String(d.step)}: ${String(d.title ?? d.kind ?? '')}`;
    case 'step.planned':
      return `${String(d.step)}: planned when reached, ${Array.isArray(d.changes) ? d.changes.length : 0} change(s)${d.noop ? ' (already done)' : ''}`;
    case 'step.succeeded':
      return `${String(d.step)} in ${String(d.durationMs)}ms`;
    case 'step.failed':
      return `${String(d.step)}: ${errorText}`;
    case 'step.skipped':
      return `${String(d.step)}: ${String(d.reason ?? '')}`;
    case 'step.note':
    case 'step.warning':
      return `${String(d.step)}: ${String(d.message ?? '')}`;
    case 'run.finished':
      return `${String(d.outcome)}${errorText ? `: ${errorText}` : ''}`;
    case 'run.interrupted':
      return `at ${String(d.step ?? 'the start')}, ${String(d.applied ?? 0)} change(s) applied`;
    default:
      return Object.keys(d).length ? formatValue(d) : '';
  }
}

export const verify: CommandHandler = async (ctx, args) => {
  let files: string[];
  if (args[0]) {
    const file = resolve(args[0]);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new UsageError(`no audit log at ${file}`);
    files = [file];
  } else {
    files = await auditFiles(auditDir(ctx.stateDir));
    if (files.length === 0) {
      ctx.io.info(`no audit logs under ${auditDir(ctx.stateDir)}`);
      ctx.io.resultJson({ files: [] });
      return ExitCode.Ok;
    }
  }
  const results: VerifyResult[] = [];
  for (const f of files) results.push(await verifyAuditFile(f));
  ctx.io.resultJson({
    files: results.map((r) => ({
      path: r.path,
      lines: r.lines,
      ok: r.broken === null,
      ...(r.broken ? { brokenLine: r.broken.line, reason: r.broken.reason } : {}),
    })),
  });
  for (const r of results) {
    if (r.broken) ctx.io.error(`${r.path}: chain broken at line ${r.broken.line}: ${r.broken.reason}`);
    else ctx.io.success(`${r.path}: ${r.lines} line${r.lines === 1 ? '' : 's'}, chain intact`);
  }
  return results.some((r) => r.broken) ? ExitCode.Failed : ExitCode.Ok;
};
