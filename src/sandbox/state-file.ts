// The shared state file: several processes (each `mr --sandbox` runs its own in-process sandbox)
// may use one file at once. Each request takes an exclusive lockfile, reloads the state if another
// process wrote it, and saves atomically (tmp + rename, mode 0600) when something changed.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../io/errors.js';
import { lockFileSync, unlockFile } from '../util/file-lock.js';
import type { SavedState } from './types.js';

/** A lock older than this is abandoned even if its pid is alive (pid reuse after a crash). */
const STALE_MS = 30_000;
/** Give up waiting for the lock after this long: something is badly wrong. */
const WAIT_LIMIT_MS = 20_000;

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
    try {
      lockFileSync(this.lockPath, {
        staleMs: STALE_MS,
        giveUpMs: WAIT_LIMIT_MS,
        heldError: () =>
          new UsageError(`Sandbox state ${this.path} stayed locked for ${WAIT_LIMIT_MS / 1000}s; remove ${this.lockPath} if no sandbox is running`),
      });
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`Cannot lock sandbox state ${this.path}: ${(e as Error).message}`);
    }
  }

  unlock(): void {
    try {
      unlockFile(this.lockPath);
    } catch {
      // cannot remove it: the next taker breaks it as stale
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
