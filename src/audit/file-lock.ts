// A short-lived append lock between processes on one machine: exclusive create of "<file>.lock".
// Held only for the few milliseconds of one append, so a lock older than STALE_MS, or held by a
// process of this host that no longer exists, was left by a crash and is taken over.
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

const STALE_MS = 10_000;
const GIVE_UP_MS = 15_000;

export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = `${file}.lock`;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const stale = await staleContent(lockPath);
      if (stale !== null) {
        // Re-read just before removing, so a lock another process took over meanwhile is left alone
        // (a window of microseconds remains; it only opens after a crash).
        if ((await readFile(lockPath, 'utf8').catch(() => null)) === stale) await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() - started > GIVE_UP_MS) throw new Error(`${lockPath} is held by another process; remove it if no mr process is running`);
      await delay(Math.min(5 + attempt * 5, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/** The lock file's content when it was left by a crash, else null. */
async function staleContent(lockPath: string): Promise<string | null> {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    if (Date.now() - info.mtimeMs > STALE_MS) return text;
    let holder: { pid?: number; host?: string };
    try {
      holder = JSON.parse(text) as typeof holder;
    } catch {
      return null; // being written right now
    }
    return holder.host === hostname() && typeof holder.pid === 'number' && !alive(holder.pid) ? text : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
