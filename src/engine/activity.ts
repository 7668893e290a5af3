// What `mr status` says about runs: who holds the run lock, and the latest run left part way (with
// the command that continues it). The lock is read from Route 53; runs from this machine's run records.
import type { Aws } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { weightedRecords } from '../config/records.js';
import { describeHolder, holderProcess, isExpired, readLockState, type LockValue } from './lock.js';
import { newestRecords } from './run-history.js';
import { reasonOf } from './execute.js';

export interface LockView {
  locked: boolean;
  holder?: LockValue & { expired: boolean; process?: string };
  /** The lock could not be read. */
  error?: string;
}

export interface UnfinishedRun {
  runId: string;
  command: string;
  outcome: string;
  updatedAt: string;
  resume: string;
}

export interface Activity {
  lock?: LockView;
  unfinished?: UnfinishedRun;
}

const LEFT_PART_WAY = new Set(['partial', 'interrupted', 'running']);

/**
 * Whether the lock's record name is known without a call (route53.lockRecord, or the zone's name kept
 * from an earlier run): then status reads the lock beside its record reads, in their listing. Not
 * known, the lock is read after them as before (GetHostedZone, then its own listing), so the call
 * that waits for the Route 53 pacer's next window is the lock's, not the records' (which would then
 * pass a short --timeout).
 */
export function lockNameKnown(topology: Topology, aws: Aws): boolean {
  const r53 = topology.route53;
  return r53 !== undefined && (r53.lockRecord !== undefined || aws.route53().knownZoneName(r53.hostedZoneId) !== undefined);
}

/**
 * Start reading the activity now and say later whether the lock's answer counts: `mr status` starts
 * it in the same tick as its record reads, so the lock's TXT record shares their listing (src/aws/
 * route53-batch.ts), and drops the lock when nothing answered (its read then failed with the rest,
 * and waiting for it would cost nothing but is not news). The lock's read never rejects.
 */
export function startActivity(
  topology: Topology,
  aws: Aws,
  stateDir: string,
  timeoutMs: number,
  now = new Date(),
  opts: { readLock?: boolean } = {},
): (use?: { lock?: boolean }) => Promise<Activity> {
  // Asked beside the record reads, the lock's read waits its turn in the Route 53 queue as they do:
  // the same bound as theirs (src/inspect/gather.ts), counting the lock's own place in it.
  const lockMs = timeoutMs + (aws.route53QueueMs?.(weightedRecords(topology).length + 1) ?? 0);
  const lock = topology.route53 && opts.readLock !== false ? readLockView(topology, aws, now, lockMs) : undefined;
  const unfinished = latestUnfinished(stateDir, topology.name);
  unfinished.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  return async (use = {}) => {
    const [l, u] = await Promise.all([use.lock === false ? undefined : lock, unfinished]);
    return combine(l, u);
  };
}

function combine(lock: LockView | undefined, unfinished: UnfinishedRun | undefined): Activity {
  // A run still going holds the lock with a live process: it is in progress, not left part way.
  const h = lock?.holder;
  const live = unfinished && unfinished.outcome === 'running' && h?.runId === unfinished.runId && !h.expired && !h.process?.includes('is gone');
  return { ...(lock ? { lock } : {}), ...(unfinished && !live ? { unfinished } : {}) };
}

async function readLockView(topology: Topology, aws: Aws, now: Date, timeoutMs: number): Promise<LockView> {
  try {
    let timer: NodeJS.Timeout | undefined;
    // Unref'd: a status that no longer wants the answer (nothing answered) does not wait for the bound.
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs}ms`)), timeoutMs).unref()));
    const s = await Promise.race([readLockState(aws.route53(), topology), late]).finally(() => clearTimeout(timer));
    if (!s.record) return { locked: false };
    if (!s.value) return { locked: true, error: `the lock record ${s.recordName} holds a value mr did not write` };
    const proc = holderProcess(s.value);
    return { locked: true, holder: { ...s.value, expired: isExpired(s.value, now), ...(proc ? { process: proc } : {}) } };
  } catch (e) {
    return { locked: false, error: reasonOf(e) };
  }
}

/**
 * The newest run of this topology that changed something and did not finish, unless a later run
 * continued it (`mr resume` records resumeOf). Run ids start with their UTC time, so they sort by age.
 */
export async function latestUnfinished(stateDir: string, topologyName: string): Promise<UnfinishedRun | undefined> {
  const resumed = new Set<string>();
  for await (const rec of newestRecords(stateDir)) {
    if (rec.topology !== topologyName) continue;
    if (rec.resumeOf) resumed.add(rec.resumeOf);
    if (!rec.firstMutationAt) continue;
    // The newest run that changed something decides: finished, or left part way.
    if (!LEFT_PART_WAY.has(rec.outcome) || resumed.has(rec.runId)) return undefined;
    return { runId: rec.runId, command: rec.command, outcome: rec.outcome, updatedAt: rec.updatedAt, resume: `mr resume ${rec.runId}` };
  }
  return undefined;
}

/** The lines status prints under the table. */
export function describeActivity(a: Activity, now = new Date()): string[] {
  const out: string[] = [];
  if (a.lock?.error) out.push(`run lock: ${a.lock.error}`);
  else if (a.lock?.holder) out.push(`run lock: ${describeHolder(a.lock.holder, now)}${a.lock.holder.process ? `; ${a.lock.holder.process}` : ''}`);
  else if (a.lock) out.push('run lock: not held');
  if (a.unfinished)
    out.push(`unfinished run ${a.unfinished.runId} (${a.unfinished.command}, ${a.unfinished.outcome}): continue with \`${a.unfinished.resume}\``);
  return out;
}

/** Findings for status: an unfinished run is a warning (the system may be half-moved); a held lock is info. */
export function activityFindings(a: Activity, now = new Date()): { severity: 'warning' | 'info'; message: string }[] {
  const out: { severity: 'warning' | 'info'; message: string }[] = [];
  if (a.unfinished)
    out.push({
      severity: 'warning',
      message: `run ${a.unfinished.runId} (${a.unfinished.command}) stopped part way (${a.unfinished.outcome}): continue with \`${a.unfinished.resume}\``,
    });
  if (a.lock?.holder) out.push({ severity: 'info', message: `run lock: ${describeHolder(a.lock.holder, now)}` });
  return out;
}
