// `mr resume <run-id>`: continue an interrupted run. What was asked comes from its run record (or,
// when the process died before writing one, from the run.started event of the audit log); what is
// left to do comes from the live state: the same spec is planned again, so steps already done plan
// as no-ops and a change under way plans as in progress (waited for, not made again).
import { readFile } from 'node:fs/promises';
import { auditDir } from '../audit/log.js';
import { readRun } from '../audit/read.js';
import { UsageError } from '../io/errors.js';
import { RUN_ID_PATTERN } from './run-id.js';
import { runRecordPath, type RunRecord } from './run-record.js';
import type { RunOutcome, RunSpec } from './types.js';

/** What a resume needs to know about the run it continues. */
export interface ResumeSource {
  runId: string;
  spec: RunSpec;
  topology?: string;
  outcome: RunOutcome | 'unknown';
  /** This run and the runs it continued, newest first: a lock held by any of them may be taken over. */
  lineage: string[];
  record?: RunRecord;
}

export function checkRunId(runId: string): void {
  // The id becomes a file name: refuse anything that is not one of ours before touching the disk.
  if (!RUN_ID_PATTERN.test(runId)) throw new UsageError(`"${runId}" is not a run id (they look like 20260101T120000Z-3fa9c2)`, 'mr audit list shows the runs');
}

/** The run record, or undefined when none was written. */
export async function readRunRecord(stateDir: string, runId: string): Promise<RunRecord | undefined> {
  checkRunId(runId);
  let text: string;
  try {
    text = await readFile(runRecordPath(stateDir, runId), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the run record of ${runId}: ${(e as Error).message}`);
  }
  try {
    const rec = JSON.parse(text) as RunRecord;
    if (rec.version !== 1 || rec.runId !== runId || !rec.spec || !Array.isArray(rec.steps)) throw new Error('unexpected shape');
    return rec;
  } catch (e) {
    throw new UsageError(`${runRecordPath(stateDir, runId)}: not a run record (${(e as Error).message})`);
  }
}

/** A run and the runs it continued, oldest first (each record's resumeOf points one back). */
export async function recordChain(stateDir: string, runId: string): Promise<RunRecord[]> {
  const chain: RunRecord[] = [];
  const seen = new Set<string>();
  let id: string | undefined = runId;
  while (id && !seen.has(id)) {
    seen.add(id);
    const rec = await readRunRecord(stateDir, id);
    if (!rec) break;
    chain.unshift(rec);
    id = rec.resumeOf;
  }
  return chain;
}

export async function resumeSource(stateDir: string, runId: string): Promise<ResumeSource> {
  checkRunId(runId);
  const record = await readRunRecord(stateDir, runId);
  if (record) {
    const lineage = (await recordChain(stateDir, runId)).map((r) => r.runId).reverse();
    return { runId, spec: record.spec, topology: record.topology, outcome: record.outcome, lineage, record };
  }
  // Killed before the record was written (while locking or planning): the audit log has the spec.
  const run = await readRun(auditDir(stateDir), runId);
  const started = run?.events.find((e) => e.type === 'run.started');
  const spec = started?.data?.spec as RunSpec | undefined;
  if (!run || !spec || !Array.isArray(spec.stages)) {
    throw new UsageError(
      `no run ${runId} in ${stateDir} (no run record, no run.started in the audit log)`,
      'mr audit list shows the runs; pass the same --state-dir as the run',
    );
  }
  const finished = run.events.find((e) => e.type === 'run.finished');
  const outcome = (finished?.data?.outcome as RunOutcome | undefined) ?? 'unknown';
  const resumeOf = typeof started?.data?.resumeOf === 'string' ? [started.data.resumeOf] : [];
  const topology = run.path.replace(/^.*[\\/]/, '').replace(/\.ndjson$/, '');
  return { runId, spec, topology, outcome, lineage: [runId, ...resumeOf] };
}

/** Why a run cannot or need not be resumed; undefined when it can. */
export function resumeRefusal(src: ResumeSource, topologyName: string): { message: string; exitOk: boolean } | undefined {
  if (src.topology && src.topology !== topologyName) {
    return { message: `run ${src.runId} was on topology "${src.topology}", not "${topologyName}": pass the same --config as the run`, exitOk: false };
  }
  if (src.outcome === 'succeeded' || src.outcome === 'noop') {
    return { message: `run ${src.runId} finished (${src.outcome}): nothing to resume`, exitOk: true };
  }
  return undefined;
}
