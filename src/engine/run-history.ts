// The run records under <stateDir>/runs, newest first (run ids sort by time), and what is read from
// them without a run id: the latest run, how long the last such run took.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from './run-record.js';

/** Newest first; a file that is not a run record is skipped, as status skips it. */
export async function* newestRecords(stateDir: string, limit = Infinity): AsyncGenerator<RunRecord> {
  let names: string[];
  try {
    names = (await readdir(join(stateDir, 'runs')))
      .filter((n) => n.endsWith('.json'))
      .sort()
      .reverse();
  } catch {
    return;
  }
  for (const name of names.slice(0, limit)) {
    let rec: RunRecord;
    try {
      rec = JSON.parse(await readFile(join(stateDir, 'runs', name), 'utf8')) as RunRecord;
    } catch {
      continue;
    }
    yield rec;
  }
}

/** The newest run record of this topology (any outcome), for `mr report` without a run id. */
export async function latestRunId(stateDir: string, topologyName: string | undefined): Promise<string | undefined> {
  for await (const rec of newestRecords(stateDir)) if (topologyName === undefined || rec.topology === topologyName) return rec.runId;
  return undefined;
}

/**
 * How long the last successful run of the same playbook (or command) on this topology took, from
 * its first step's start to its last step's end: the plan's "about N min". AWS gives no figure
 * precise enough for a switchover or a promotion (AWS-FACTS 3.x, 4.x), so the estimate is what was
 * measured here, or none. Looks back over the last 200 runs at most.
 */
export async function lastRunDuration(
  stateDir: string,
  topologyName: string,
  playbook: string | undefined,
  command: string,
): Promise<{ ms: number; runId: string } | undefined> {
  for await (const rec of newestRecords(stateDir, 200)) {
    if (rec.topology !== topologyName || rec.outcome !== 'succeeded' || rec.resumeOf) continue;
    if (playbook ? rec.playbook !== playbook : rec.command !== command) continue;
    const starts = rec.steps.flatMap((t) => (t.startedAt ? [Date.parse(t.startedAt)] : []));
    const ends = rec.steps.flatMap((t) => (t.endedAt ? [Date.parse(t.endedAt)] : []));
    if (!starts.length || !ends.length) continue;
    return { ms: Math.max(...ends) - Math.min(...starts), runId: rec.runId };
  }
  return undefined;
}
