// A short-lived lock between processes on one machine: exclusive create ('wx') of a lock file that
// names its holder. Held only for a short critical section (one audit append, one sandbox
// request), so a lock older than staleMs, or held by a process of this host that no longer
// exists, was left by a crash and is taken over. The audit log takes it asynchronously; the
// sandbox state file synchronously (a blocked event loop for a few ms beats interleaving).
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { isPidAlive } from './pid.js';

export interface FileLockOptions {
  /** A lock older than this is abandoned even if its pid is alive (pid reuse after a crash). */
  staleMs: number;
  /** Give up waiting after this long: something is badly wrong. */
  giveUpMs: number;
  /** The error to throw when giving up. */
  heldError?: (lockPath: string) => Error;
}

const DEFAULTS: FileLockOptions = { staleMs: 10_000, giveUpMs: 15_000 };

const heldDefault = (lockPath: string) => new Error(`${lockPath} is held by another process; remove it if no mr process is running`);

/** One try: true when this process now holds the lock. */
function tryCreate(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes the lock when it was left by a crash; true when the caller should try again at once. */
function breakIfStale(lockPath: string, staleMs: number): boolean {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(lockPath, 'utf8');
    mtimeMs = statSync(lockPath).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true; // released between two tries
    throw e;
  }
  if (Date.now() - mtimeMs <= staleMs && !holderIsGone(text)) return false;
  // Re-read just before removing, so a lock another process took over meanwhile is left alone
  // (a window of microseconds remains; it only opens after a crash).
  try {
    if (readFileSync(lockPath, 'utf8') === text) unlinkSync(lockPath);
  } catch {
    // gone already: someone else broke it first
  }
  return true;
}

/** The holder is a process of this host that no longer runs. Unparseable: being written right now. */
function holderIsGone(text: string): boolean {
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(text) as typeof holder;
  } catch {
    return false;
  }
  return holder.host === hostname() && typeof holder.pid === 'number' && !isPidAlive(holder.pid);
}

/** One round of taking the lock: done, try again at once, or wait first. Throws once it is time to give up. */
function takeRound(lockPath: string, o: FileLockOptions, started: number): 'taken' | 'again' | 'wait' {
  if (tryCreate(lockPath)) return 'taken';
  if (breakIfStale(lockPath, o.staleMs)) return 'again';
  if (Date.now() - started > o.giveUpMs) throw (o.heldError ?? heldDefault)(lockPath);
  return 'wait';
}

export function lockFileSync(lockPath: string, options: Partial<FileLockOptions> = {}): void {
  const o = { ...DEFAULTS, ...options };
  const started = Date.now();
  for (let attempt = 0, r; (r = takeRound(lockPath, o, started)) !== 'taken'; attempt++) if (r === 'wait') sleepSync(attempt < 20 ? 1 : 2);
}

export async function lockFile(lockPath: string, options: Partial<FileLockOptions> = {}): Promise<void> {
  const o = { ...DEFAULTS, ...options };
  const started = Date.now();
  for (let attempt = 0, r; (r = takeRound(lockPath, o, started)) !== 'taken'; attempt++) if (r === 'wait') await delay(Math.min(5 + attempt * 5, 50));
}

/** Releases the lock; one already broken as stale is nothing to release. */
export function unlockFile(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** Runs fn holding "<file>.lock". */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: Partial<FileLockOptions> = {}): Promise<T> {
  const lockPath = `${file}.lock`;
  await lockFile(lockPath, options);
  try {
    return await fn();
  } finally {
    unlockFile(lockPath);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
