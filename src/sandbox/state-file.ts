// The shared state file: several processes (each `mr --sandbox` runs its own in-process sandbox)
// may use one file at once. Each request takes an exclusive lockfile, reloads the state if another
// process wrote it, and saves atomically (tmp + rename, mode 0600) when something changed.
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../io/errors.js';
import type { SavedState } from './types.js';

/** A lock older than this is abandoned even if its pid is alive (pid reuse after a crash). */
const STALE_MS = 30_000;
/** Give up waiting for the lock after this long: something is badly wrong. */
const WAIT_LIMIT_MS = 20_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class StateFile {
  readonly lockPath: string;
  private seen = '';

  constructor(readonly path: string) {
    this.lockPath = `${path}.lock`;
  }

  exists(): boolean {
    try {
      statSync(this.path);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Take the inter-process lock, synchronously (critical sections are short; a blocked event loop
   * for a few ms beats interleaving). Waits with 1-2 ms sleeps while another process holds it.
   */
  lock(): void {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(this.lockPath, 'wx', 0o600);
        writeSync(fd, `${process.pid} ${Date.now()}\n`);
        closeSync(fd);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`Cannot lock sandbox state ${this.path}: ${(e as Error).message}`);
      }
      if (this.breakIfStale()) continue;
      if (Date.now() - started > WAIT_LIMIT_MS) throw new UsageError(`Sandbox state ${this.path} stayed locked for ${WAIT_LIMIT_MS / 1000}s; remove ${this.lockPath} if no sandbox is running`);
      sleepSync(attempt < 20 ? 1 : 2);
    }
  }

  private breakIfStale(): boolean {
    let text: string;
    let mtime: number;
    try {
      text = readFileSync(this.lockPath, 'utf8');
      mtime = statSync(this.lockPath).mtimeMs;
    } catch {
      return true; // released between our attempts
    }
    const pid = Number(text.split(' ')[0]);
    // An empty file is a lock being written right now, unless it has been empty for a long time.
    const dead = Number.isInteger(pid) && pid > 0 && pid !== process.pid && !pidAlive(pid);
    if (dead || Date.now() - mtime > STALE_MS) {
      try {
        unlinkSync(this.lockPath);
      } catch {
        // someone else broke it first
      }
      return true;
    }
    return false;
  }

  unlock(): void {
    try {
      unlinkSync(this.lockPath);
    } catch {
      // already gone (broken as stale): nothing to release
    }
  }

  private stamp(): string {
    try {
      const s = statSync(this.path, { bigint: true });
      return `${s.ino}:${s.mtimeNs}:${s.size}`;
    } catch {
      return '';
    }
  }

  /** The state, if the file changed since we last read or wrote it. */
  readIfChanged(): SavedState | undefined {
    const stamp = this.stamp();
    if (stamp === this.seen || stamp === '') return undefined;
    const state = this.read();
    this.seen = stamp;
    return state;
  }

  /** Read the state (whether or not it changed) and remember its version. */
  readNow(): SavedState {
    const stamp = this.stamp();
    const state = this.read();
    this.seen = stamp;
    return state;
  }

  read(): SavedState {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (e) {
      throw new UsageError(`Cannot read sandbox state ${this.path}: ${(e as Error).message}`, 'Run `mr sandbox reset --state <file>` to start over.');
    }
    const s = doc as Partial<SavedState>;
    if (s?.version !== 1 || !s.world || !s.clock || !s.faults || !s.services) {
      throw new UsageError(`Sandbox state ${this.path} is not a sandbox state file (version 1)`, 'Run `mr sandbox reset --state <file>` to start over.');
    }
    return s as SavedState;
  }

  write(state: SavedState): void {
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, this.path);
    this.seen = this.stamp();
  }
}
