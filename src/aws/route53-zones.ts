// A hosted zone's name, kept on disk between runs, so the run lock (whose record is named after the
// zone) costs no GetHostedZone once a zone has been seen.
// Why the answer can be kept: a hosted zone's name is given once, to CreateHostedZone, and the
// Route 53 API has no call that changes it. The only update of a zone itself is
// UpdateHostedZoneComment ("Updates the comment for a specified hosted zone",
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHostedZoneComment.html), besides
// UpdateHostedZoneFeatures; the SDK model lists no other (node_modules/@aws-sdk/client-route-53/dist-types/commands).
// AWS's own advice for a different zone under the same name is a new zone ("you must create a new
// hosted zone with the same name", API_CreateHostedZone.html), and a new zone has a new id. AWS is
// silent on whether a deleted zone's id can ever come back; the safer reading is to key each entry by
// the endpoint as well (sandboxes do reuse ids across worlds and ports) and to forget it when a lock
// change in that zone is refused (a record named after a wrong zone name is outside the zone).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Entries kept in the file; the oldest go first (every in-process sandbox is a new endpoint). */
const MAX_ENTRIES = 64;
const FILE = 'route53-zones.json';

interface Entry {
  name: string;
  /** When it was learnt (ms since the epoch), to drop the oldest. */
  at: number;
}

export interface ZoneNames {
  /** The zone's name when known (this process or an earlier run against the same endpoint). */
  known(zoneId: string): string | undefined;
  remember(zoneId: string, name: string): void;
  /** Drop what is known (this process and the file): the next question asks Route 53. */
  forget(zoneId: string): void;
}

/**
 * `dir` is the user's cache dir ($XDG_CACHE_HOME/mr); without one, names are kept for this process
 * only. `endpoint` names where Route 53 is (an emulator's URL, or AWS itself): sandboxes reuse zone
 * ids across worlds and ports. Synchronous file access, once per process: the file is a few hundred
 * bytes, and a name known without yielding lets the lock's record read join the batch it is asked in.
 */
export function zoneNames(dir: string | undefined, endpoint: string): ZoneNames {
  const file = dir === undefined ? undefined : join(dir, FILE);
  const mine = new Map<string, string>();
  let disk: Record<string, Entry> | undefined;
  const key = (zoneId: string) => `${endpoint} ${zoneId}`;
  const load = (): Record<string, Entry> => (disk ??= file === undefined ? {} : readEntries(file));
  return {
    known(zoneId) {
      const here = mine.get(zoneId);
      if (here !== undefined) return here;
      const entry = load()[key(zoneId)];
      if (entry !== undefined) mine.set(zoneId, entry.name);
      return entry?.name;
    },
    remember(zoneId, name) {
      mine.set(zoneId, name);
      if (file === undefined || dir === undefined || load()[key(zoneId)]?.name === name) return;
      // Read again just before writing: another run may have added its own entry meanwhile.
      const entries = { ...readEntries(file), [key(zoneId)]: { name, at: Date.now() } };
      disk = entries;
      writeEntries(dir, file, entries);
    },
    forget(zoneId) {
      mine.delete(zoneId);
      if (file === undefined || dir === undefined || load()[key(zoneId)] === undefined) return;
      const entries = readEntries(file);
      delete entries[key(zoneId)];
      disk = entries;
      writeEntries(dir, file, entries);
    },
  };
}

/** The entries of the file; nothing when it is missing, unreadable or not what this module writes. */
function readEntries(file: string): Record<string, Entry> {
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; zones?: unknown };
    if (doc.version !== 1 || typeof doc.zones !== 'object' || doc.zones === null) return {};
    const out: Record<string, Entry> = {};
    for (const [k, v] of Object.entries(doc.zones as Record<string, unknown>)) {
      const e = v as Partial<Entry> | null;
      if (e && typeof e.name === 'string' && e.name.endsWith('.') && typeof e.at === 'number') out[k] = { name: e.name, at: e.at };
    }
    return out;
  } catch {
    return {};
  }
}

function writeEntries(dir: string, file: string, entries: Record<string, Entry>): void {
  const kept = Object.entries(entries)
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, MAX_ENTRIES);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a reader never sees half a file.
    writeFileSync(tmp, JSON.stringify({ version: 1, zones: Object.fromEntries(kept) }), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs the next run a GetHostedZone.
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}
