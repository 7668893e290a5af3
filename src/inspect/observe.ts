// Bounded reads: every read either answers, fails with a reason, or is given up on after the
// bound, so one dead region never holds up the picture of the others.
import { isAwsCallError } from '../aws/errors.js';
import type { Region } from '../aws/types.js';
import type { Observed } from './types.js';

class NoAnswer extends Error {}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** One line saying why a read failed. */
export function reasonOf(e: unknown): string {
  if (isAwsCallError(e)) return e.message.startsWith(e.code) ? e.message : `${e.code}: ${e.message}`;
  if (e instanceof Error) return e.message;
  return String(e);
}

function unreachableOf(e: unknown): boolean {
  return e instanceof NoAnswer || (isAwsCallError(e) && e.details.unreachable);
}

/** Run `fn` with a bound (the timer is cleared as soon as `fn` settles). */
export function bounded<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new NoAnswer(`no answer within ${seconds(timeoutMs)}`)), timeoutMs);
    Promise.resolve()
      .then(fn)
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

export async function observe<T>(fn: () => Promise<T>, timeoutMs: number): Promise<Observed<T>> {
  try {
    return { ok: true, value: await bounded(fn, timeoutMs) };
  } catch (e) {
    return { ok: false, error: reasonOf(e), unreachable: unreachableOf(e) };
  }
}

/**
 * Ask each region in turn, first answer wins: the next region is asked as soon as the previous one
 * fails or has not answered within `hedgeMs`, so a dead region costs at most `hedgeMs`, while a
 * healthy first region costs exactly one call.
 */
export async function firstAnswer<T>(
  regions: Region[],
  fn: (region: Region) => Promise<T>,
  opts: { timeoutMs: number; hedgeMs: number },
): Promise<Observed<T & { readIn: Region }>> {
  const failures: { region: Region; error: unknown }[] = [];
  let settled = false;
  let hedge: NodeJS.Timeout | undefined;
  const race = new Promise<T & { readIn: Region }>((resolve, reject) => {
    let next = 0;
    const launch = () => {
      if (settled || next >= regions.length) return;
      const region = regions[next++];
      clearTimeout(hedge);
      hedge = setTimeout(launch, opts.hedgeMs);
      Promise.resolve()
        .then(() => fn(region))
        .then(
          (value) => {
            if (settled) return;
            settled = true;
            clearTimeout(hedge);
            resolve({ ...value, readIn: region });
          },
          (error) => {
            failures.push({ region, error });
            if (settled) return;
            if (failures.length === regions.length) {
              settled = true;
              clearTimeout(hedge);
              reject(error);
            } else launch();
          },
        );
    };
    launch();
  });
  try {
    return { ok: true, value: await bounded(() => race, opts.timeoutMs) };
  } catch (e) {
    // Out of time: ask no more regions.
    settled = true;
    clearTimeout(hedge);
    const parts = failures.map((f) => `${f.region}: ${reasonOf(f.error)}`);
    const silent = regions.filter((r) => !failures.some((f) => f.region === r));
    if (silent.length) parts.push(`${silent.join(', ')}: ${reasonOf(e)}`);
    const unreachable = failures.every((f) => unreachableOf(f.error)) && (silent.length === 0 || unreachableOf(e));
    return { ok: false, error: `no region answered (${parts.join('; ')})`, unreachable };
  }
}
