// One run at a time per topology, across operators and machines. The lock is a TXT record in the
// topology's own hosted zone, so it lives wherever every operator's credentials already reach, and
// Route 53's change batches give the atomicity: a CREATE fails when the record exists, and a batch
// of DELETE (exact old value) + CREATE takes an expired lock over or fails as a whole.
// See the README ("The run lock") for what happens when Route 53's control plane (the lock's home) does not answer.
import { hostname } from 'node:os';
import { isAwsCallError } from '../aws/errors.js';
import type { ChangeInfo, MutateOptions, RecordChange, RecordSet, Route53Api, Route53Mutations } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { RefusedError } from '../io/errors.js';
import { isRoute53Unreachable } from '../steps/route53-down.js';
import { withTrailingDot } from '../util/dns-name.js';
import { isPidAlive } from '../util/pid.js';
import type { LockContext, RunLock } from './run.js';

/** Long enough for a whole failover with every verify timeout; a crashed run's lock is taken over by `mr resume`. */
export const DEFAULT_LOCK_TTL_MS = 2 * 60 * 60 * 1000;
const PREFIX = 'mr-lock/1';
/** A TXT character-string holds at most 255 bytes; the actor is cut to fit. */
const MAX_TXT = 255;

export interface LockValue {
  runId: string;
  actor: string;
  since: string; // ISO-8601
  expires: string; // ISO-8601
  /** Where the holder runs: lets `mr resume` on the same machine see that a crashed holder is gone. */
  host?: string;
  pid?: number;
}

/** The TXT value as sent to Route 53: one quoted string. */
export function encodeLock(v: LockValue): string {
  const where = v.host !== undefined && v.pid !== undefined ? ` host=${enc(v.host)} pid=${v.pid}` : '';
  const head = `${PREFIX} run=${enc(v.runId)} since=${v.since} expires=${v.expires}${where} actor=`;
  let actor = enc(v.actor);
  const room = MAX_TXT - head.length;
  if (actor.length > room) actor = actor.slice(0, Math.max(0, room)).replace(/%[0-9A-F]?$/, '');
  return `"${head}${actor}"`;
}

/** Parse a TXT value written by encodeLock; undefined when it is not one (someone else's TXT). */
export function decodeLock(txt: string): LockValue | undefined {
  // Route 53 returns TXT values with their quotes; a long value may come back split in several strings.
  const text = txt.replace(/^"|"$/g, '').replace(/" "/g, '');
  if (!text.startsWith(`${PREFIX} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of text.slice(PREFIX.length + 1).split(' ')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const runId = fields.get('run');
  const since = fields.get('since');
  const expires = fields.get('expires');
  if (!runId || !since || !expires || Number.isNaN(Date.parse(expires))) return undefined;
  const out: LockValue = { runId: dec(runId), actor: dec(fields.get('actor') ?? '') || 'unknown', since, expires };
  const host = fields.get('host');
  const pid = Number(fields.get('pid'));
  if (host && Number.isInteger(pid) && pid > 0) {
    out.host = dec(host);
    out.pid = pid;
  }
  return out;
}

export function isExpired(v: LockValue, now: Date): boolean {
  return Date.parse(v.expires) <= now.getTime();
}

/** topology.route53.lockRecord, or _mr-lock.<topology name>.<zone name>; always fully qualified. */
export function lockRecordName(topology: Topology, zoneName: string): string {
  const name = topology.route53?.lockRecord ?? `_mr-lock.${topology.name}.${zoneName.replace(/\.$/, '')}`;
  return withTrailingDot(name);
}

/** "ops@laptop (arn:aws:iam::123:user/ops) holds the lock for run r-1 since ..., until ..." */
export function describeHolder(v: LockValue, now: Date): string {
  const state = isExpired(v, now) ? `expired ${v.expires}` : `until ${v.expires}`;
  return `${v.actor} holds it for run ${v.runId} since ${v.since} (${state})`;
}

export interface LockDeps {
  route53: Route53Api;
  /** Route 53's changes through the choke point (`aws.mutating(sink).route53()`): every lock change is audited like any other mutation. */
  changes: Route53Mutations;
  topology: Topology;
  now?: () => Date;
}

export interface HeldLock {
  zoneId: string;
  recordName: string;
  value: LockValue;
  /** The exact TXT value written; release deletes exactly this. */
  txt: string;
  /** The lock this one replaced (expired, or the interrupted run being resumed). */
  tookOver?: LockValue;
}

export interface LockState {
  zoneId: string;
  recordName: string;
  /** The record as read (undefined = unlocked). */
  record?: RecordSet;
  /** Parsed; undefined when unlocked or when the TXT record is not mr's. */
  value?: LockValue;
}

/** Thrown when the lock's home does not answer; the message says how to proceed without it. */
export class LockUnreachableError extends RefusedError {
  constructor(detail: string) {
    super(
      `cannot take the run lock: Route 53's control plane (us-east-1), where the lock lives, does not answer (${detail})`,
      'if you are sure no one else is running mr on this topology, pass --no-lock (recorded in the audit log); expected during an us-east-1 outage',
    );
  }
}

export async function readLockState(route53: Route53Api, topology: Topology): Promise<LockState> {
  const zoneId = topology.route53?.hostedZoneId;
  if (!zoneId) throw new RefusedError('the topology has no route53 section: there is nowhere to keep the run lock', 'pass --no-lock to run without it');
  // Named after the zone unless the topology names it. Once known, the zone's name is the adapter's
  // kept answer: no call and no turn of the event loop, so in mr status this read joins the records
  // asked for in the same tick (one listing, src/aws/route53-batch.ts).
  const zoneName = topology.route53?.lockRecord ? '' : (route53.knownZoneName(zoneId) ?? (await route53.zoneName(zoneId)));
  const recordName = lockRecordName(topology, zoneName);
  const records = await route53.readRecords(zoneId, recordName, 'TXT', 1);
  const record = records.find((r) => r.name === recordName && !r.setIdentifier);
  const value = record?.values?.map(decodeLock).find((v) => v !== undefined);
  return { zoneId, recordName, record, value };
}

export interface AcquireOptions {
  runId: string;
  actor: string;
  ttlMs?: number;
  /**
   * Run ids this run continues (`mr resume`): their lock may be taken over before it expires when its
   * holder ran on this host and its process is gone. A holder elsewhere cannot be seen to be dead, so
   * that lock waits for its expiry or `mr lock release --force`.
   */
  successorOf?: string[];
  host?: string;
  pid?: number;
  /** Whether a process of this host is still running; default process.kill(pid, 0). */
  isAlive?: (pid: number) => boolean;
}

export async function acquireLock(deps: LockDeps, opts: AcquireOptions): Promise<HeldLock> {
  const now = deps.now ?? (() => new Date());
  try {
    return await tryAcquire(deps, opts, now);
  } catch (e) {
    if (isRoute53Unreachable(e)) throw new LockUnreachableError(isAwsCallError(e) ? e.code : String(e));
    throw e;
  }
}

async function tryAcquire(deps: LockDeps, opts: AcquireOptions, now: () => Date): Promise<HeldLock> {
  // Two attempts: a lock released between our read and our CREATE is worth one retry.
  for (let attempt = 0; ; attempt++) {
    const state = await readLockState(deps.route53, deps.topology);
    const at = now();
    const host = opts.host ?? hostname();
    const value: LockValue = {
      runId: opts.runId,
      actor: opts.actor,
      since: at.toISOString(),
      expires: new Date(at.getTime() + (opts.ttlMs ?? DEFAULT_LOCK_TTL_MS)).toISOString(),
      host,
      pid: opts.pid ?? process.pid,
    };
    const txt = encodeLock(value);
    const record: RecordSet = { name: state.recordName, type: 'TXT', ttl: 60, values: [txt] };
    const changes: RecordChange[] = [];
    if (state.record) {
      if (!state.value) {
        throw new RefusedError(
          `the lock record ${state.recordName} holds a TXT value mr did not write (${state.record.values?.join(' ')})`,
          'remove it or set route53.lockRecord in the topology',
        );
      }
      const held = state.value;
      const resumable = (opts.successorOf?.includes(held.runId) ?? false) && holderGone(held, host, opts.isAlive);
      if (!resumable && !isExpired(held, at)) throw heldError(held, at);
      // DELETE with the exact value read: if anyone changed it since, the whole batch fails.
      changes.push({ action: 'DELETE', record: state.record });
    }
    changes.push({ action: 'CREATE', record });
    try {
      await deps.changes.changeRecords(state.zoneId, changes, `mr lock ${opts.runId}`, {
        ...lockCall(state, 'take the run lock'),
        // The CREATE's answer was lost (mutations are sent once): the record holding our own value,
        // byte for byte, means it was accepted and the lock is ours, not another run's.
        reconcile: async () => {
          const after = await readLockState(deps.route53, deps.topology);
          return after.record?.values?.includes(txt) ? { changeId: '', status: 'PENDING' as const } : undefined;
        },
      });
      return { zoneId: state.zoneId, recordName: state.recordName, value, txt, tookOver: state.value };
    } catch (e) {
      // Someone else created or replaced the record first: say who, from a fresh read.
      if (!isAwsCallError(e) || e.code !== 'InvalidChangeBatch') throw e;
      // A record named after a zone name kept from an earlier run that is no longer this zone's is
      // refused the same way: the fresh read below asks Route 53 for the name again.
      deps.route53.forgetZoneName(state.zoneId);
      const after = await readLockState(deps.route53, deps.topology);
      if (after.value && after.value.runId !== opts.runId) throw heldError(after.value, now());
      if (attempt >= 1) throw e;
    }
  }
}

function heldError(v: LockValue, now: Date): RefusedError {
  return new RefusedError(
    `another run holds the lock on this topology: ${describeHolder(v, now)}`,
    `wait for it to finish; if that run is dead, continue it with \`mr resume ${v.runId}\` or clear it with \`mr lock release --force ${v.runId}\``,
  );
}

/** Release our own lock: DELETE with the exact value written. A lock already gone or taken over is left alone. */
export async function releaseLock(deps: LockDeps, held: HeldLock): Promise<'released' | 'gone' | 'not ours'> {
  const state = await readLockState(deps.route53, deps.topology);
  if (!state.record) return 'gone';
  if (state.value?.runId !== held.value.runId) return 'not ours';
  const changes: RecordChange[] = [{ action: 'DELETE', record: state.record }];
  await deps.changes.changeRecords(state.zoneId, changes, `mr unlock ${held.value.runId}`, {
    ...lockCall(state, 'release the run lock'),
    // The DELETE's answer was lost: our value no longer there means it was accepted.
    reconcile: async () => {
      const after = await readLockState(deps.route53, deps.topology);
      return after.record?.values?.includes(held.txt) ? undefined : { changeId: '', status: 'PENDING' as const };
    },
  });
  return 'released';
}

/**
 * `mr lock release --force`: delete whatever lock is there (the caller audits who did it). With
 * `only`, delete it only when the predicate accepts its holder; returns the state read either way.
 */
export async function forceRelease(deps: LockDeps, only?: (held: LockValue | undefined) => boolean): Promise<LockState & { released: boolean }> {
  const state = await readLockState(deps.route53, deps.topology);
  if (!state.record || (only && !only(state.value))) return { ...state, released: false };
  const changes: RecordChange[] = [{ action: 'DELETE', record: state.record }];
  await deps.changes.changeRecords(state.zoneId, changes, 'mr lock release --force', lockCall(state, 'force-release the run lock'));
  return { ...state, released: true };
}

/** The run no longer holds its lock (force-released, or expired and taken over): it must stop. */
export class LockLostError extends RefusedError {
  constructor(
    readonly holder: LockValue | undefined,
    own: LockValue,
    now: Date,
  ) {
    super(
      `the run lock is no longer this run's (${own.runId}): ${holder ? describeHolder(holder, now) : 'the lock record is gone'}`,
      holder
        ? `another run may be changing this topology: check \`mr lock status\` and \`mr status\` before going on`
        : 'someone released it (`mr lock release --force`): check `mr status` before going on',
    );
  }
}

/**
 * Re-read the lock and check it still holds exactly the value this run wrote (value match, not just
 * the run id: a lock taken over and re-taken is another lock). Throws LockLostError when it does not.
 * One ListResourceRecordSets call (the zone and record name are known), well inside Route 53's
 * 5 requests/s per account (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests).
 * When Route 53's control plane does not answer, no one else can take the lock either (that needs
 * the same control plane), so an unexpired lock is still ours: 'unverified', and the run goes on.
 */
export async function verifyLockHeld(deps: LockDeps, held: HeldLock): Promise<'held' | 'unverified'> {
  const now = (deps.now ?? (() => new Date()))();
  let records: RecordSet[];
  try {
    records = await deps.route53.readRecords(held.zoneId, held.recordName, 'TXT');
  } catch (e) {
    if (isRoute53Unreachable(e) && !isExpired(held.value, now)) return 'unverified';
    throw e;
  }
  const record = records.find((r) => r.name === held.recordName && !r.setIdentifier);
  const values = (record?.values ?? []).map((v) => ({ raw: v, lock: decodeLock(v) }));
  const ours = values.some((v) => v.raw === held.txt || (v.lock !== undefined && encodeLock(v.lock) === held.txt));
  if (ours && !isExpired(held.value, now)) return 'held';
  throw new LockLostError(values.find((v) => v.lock)?.lock, held.value, now);
}

export type ForceReleaseDecision =
  { kind: 'nothing' } | { kind: 'refuse'; message: string; hint: string } | { kind: 'release'; holder: LockValue; holderAlive: boolean };

/**
 * `mr lock release --force <run-id>`, like `terraform force-unlock LOCK_ID`: the operator names the
 * run whose lock goes, so a lock that changed hands since they looked is never cleared by mistake;
 * a holder whose process is alive on this host is still working, and needs --yes on top. Pure.
 */
export function forceReleaseDecision(
  state: LockState,
  runId: string,
  o: { yes: boolean; now: Date; host?: string; isAlive?: (pid: number) => boolean },
): ForceReleaseDecision {
  if (!state.record) return { kind: 'nothing' };
  const held = state.value;
  if (!held) {
    return {
      kind: 'refuse',
      message: `the lock record ${state.recordName} holds a TXT value mr did not write (${state.record.values?.join(' ')})`,
      hint: 'mr leaves it alone: remove it yourself, or set route53.lockRecord in the topology',
    };
  }
  if (held.runId !== runId) {
    return {
      kind: 'refuse',
      message: `the lock is held by run ${held.runId}, not ${runId}: ${describeHolder(held, o.now)}`,
      hint: `check \`mr lock status\`; to release this lock: mr lock release --force ${held.runId}`,
    };
  }
  const alive = held.host === (o.host ?? hostname()) && held.pid !== undefined && (o.isAlive ?? isPidAlive)(held.pid);
  if (alive && !o.yes) {
    return {
      kind: 'refuse',
      message: `run ${held.runId} is still running on this host (pid ${held.pid}): releasing its lock lets another run change the topology while it does`,
      hint: 'stop that run instead (Ctrl-C lets it finish the call in flight and release its lock), or add --yes to release it anyway',
    };
  }
  return { kind: 'release', holder: held, holderAlive: alive };
}

/** "its process (pid N) is running on this host" / "... is gone" / "" when the holder ran elsewhere. */
export function holderProcess(v: LockValue, host = hostname(), isAlive: (pid: number) => boolean = isPidAlive): string {
  if (v.host !== host || v.pid === undefined) return '';
  return isAlive(v.pid)
    ? `its process (pid ${v.pid}) is running on this host`
    : `its process (pid ${v.pid}) is gone from this host: \`mr resume ${v.runId}\` takes the lock over`;
}

/** The lock's holder ran on this host and its process is gone: it can never release its lock itself. */
export function holderGone(v: LockValue, host = hostname(), isAlive: (pid: number) => boolean = isPidAlive): boolean {
  return v.host === host && v.pid !== undefined && !isAlive(v.pid);
}

/** How a lock change names itself in the audit log: the lock record, and why (the batch itself is the adapter's to record). */
function lockCall(state: LockState, why: string): MutateOptions<ChangeInfo> {
  return { target: `lock ${state.recordName}`, note: { why } };
}

function enc(s: string): string {
  // Spaces and quotes would break the TXT string and the field split.
  return encodeURIComponent(s);
}

function dec(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The engine's RunLock (src/engine/run.ts) backed by the Route 53 TXT record. With `noLock` the
 * run proceeds without one: the warning is loud and the audit log's lock event says it was skipped.
 */
export function topologyLock(opts: { noLock?: boolean; successorOf?: string[]; warn(message: string): void }): RunLock {
  return {
    async acquire(ctx: LockContext) {
      if (opts.noLock) {
        opts.warn('running WITHOUT the run lock (--no-lock): nothing stops another operator from changing this topology at the same time');
        return { detail: { skipped: true, reason: '--no-lock' }, release: async () => ({ skipped: true }), check: async () => undefined };
      }
      const deps: LockDeps = { route53: ctx.aws.route53(), changes: ctx.aws.mutating(ctx.sink).route53(), topology: ctx.topology };
      const actor = `${ctx.actor.osUser}@${ctx.actor.host} (${ctx.actor.arn})`;
      const held = await acquireLock(deps, { runId: ctx.runId, actor, successorOf: opts.successorOf });
      const detail: Record<string, unknown> = { record: held.recordName, expires: held.value.expires };
      if (held.tookOver) detail.tookOver = held.tookOver;
      return {
        detail,
        release: async () => ({ record: held.recordName, result: await releaseLock(deps, held) }),
        check: async () => {
          // The lock's re-reads go straight to Route 53: they change nothing, so they are not audited as mutations.
          if ((await verifyLockHeld(deps, held)) === 'unverified')
            opts.warn(
              "could not re-read the run lock (Route 53's control plane does not answer); it has not expired, and no one can take it while Route 53 is down: carrying on",
            );
        },
      };
    },
  };
}
