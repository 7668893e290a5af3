// Readers of the audit log: list runs, one run's events, verify a file's chain.
import { withFileLock } from '../util/file-lock.js';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sha256, verifyLines, type ChainBreak } from './chain.js';
import { headPath } from './log.js';
import type { AuditEvent, RunSummary } from './types.js';

/** The audit files under an audit directory (none when it does not exist yet). */
export async function auditFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith('.ndjson'))
      .sort()
      .map((f) => join(dir, f));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Every parseable event of a file, in order. Lines that do not parse are left out (verify names them). */
export async function readEvents(path: string): Promise<AuditEvent[]> {
  const text = await readFile(path, 'utf8');
  const events: AuditEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as AuditEvent);
    } catch {
      // a torn or edited line: verify() reports it
    }
  }
  return events;
}

/** The runs recorded under an audit directory, oldest first. */
export async function listRuns(dir: string): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for (const file of await auditFiles(dir)) {
    const byRun = new Map<string, RunSummary>();
    for (const e of await readEvents(file)) {
      let run = byRun.get(e.runId);
      if (!run) {
        run = {
          runId: e.runId,
          topology: basename(file, '.ndjson'),
          startedAt: e.ts,
          actor: e.actor?.arn ?? 'unknown',
          outcome: 'running',
          events: 0,
          mutations: 0,
        };
        byRun.set(e.runId, run);
      }
      run.events++;
      if (e.type === 'run.started' && typeof e.data?.command === 'string') run.command = e.data.command;
      if (e.type === 'intent') run.mutations++;
      if (e.type === 'run.finished' || e.type === 'run.interrupted') {
        run.endedAt = e.ts;
        run.outcome = e.type === 'run.interrupted' ? 'interrupted' : String(e.data?.outcome ?? 'finished');
      }
    }
    runs.push(...byRun.values());
  }
  return runs.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.runId.localeCompare(b.runId)));
}

/** One run's events and the file they are in, or null when no file under `dir` mentions it. */
export async function readRun(dir: string, runId: string): Promise<{ path: string; events: AuditEvent[] } | null> {
  for (const file of await auditFiles(dir)) {
    const events = (await readEvents(file)).filter((e) => e.runId === runId);
    if (events.length > 0) return { path: file, events };
  }
  return null;
}

export interface VerifyResult {
  path: string;
  lines: number;
  /** The first line that breaks the chain, or null when the file verifies. */
  broken: ChainBreak | null;
}

export async function verifyAuditFile(path: string): Promise<VerifyResult> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const count = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  return { path, lines: count, broken: verifyLines(lines) ?? (await cutShort(path, lines.slice(0, count))) };
}

/**
 * Where the log's chain breaks, or null when it holds or there is no log yet. Read under the lock the
 * writers take: between reading the lines and the head, another run's append would otherwise look
 * like lines cut from the end.
 */
export async function chainBreak(path: string): Promise<ChainBreak | null> {
  try {
    return await withFileLock(path, async () => (await verifyAuditFile(path)).broken);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The chain holds; is the line the writer last recorded in the head file still in the log? */
async function cutShort(path: string, lines: string[]): Promise<ChainBreak | null> {
  let text: string;
  try {
    text = await readFile(headPath(path), 'utf8');
  } catch {
    return null; // written before heads existed, or the head was never made: nothing to compare
  }
  const n = lines.length;
  let hash: unknown;
  try {
    hash = (JSON.parse(text) as { hash?: unknown }).hash;
  } catch {
    hash = undefined;
  }
  if (typeof hash !== 'string')
    return { line: n + 1, reason: `${basename(headPath(path))} is damaged, so lines cut from the end after line ${n} cannot be ruled out` };
  // Searched from the end: the head names the last line, or one a little before it after a crash.
  for (let i = n - 1; i >= 0; i--) if (sha256(lines[i]) === hash) return null;
  return { line: n + 1, reason: `the log was cut short: line ${n + 1} and any after it were removed (the last line written is no longer in the file)` };
}
