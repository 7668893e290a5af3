// Parse a duration given on the command line ("500ms", "5s", "2m", or plain milliseconds).
import { UsageError } from '../io/errors.js';
import { parseDuration } from '../util/duration.js';

export function parseDurationFlag(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value).trim();
  // The same short form as the topology's timeouts.
  const ms = /^\d+$|^\d+(ms|s|m)$/.test(s) ? parseDuration(s) : undefined;
  if (ms === undefined) throw new UsageError(`${flag}: expected a duration such as 500ms, 5s or 2m, got "${s}"`);
  return ms;
}

/** Seconds for --watch: a positive number (fractions allowed). */
export function parseSeconds(flag: string, value: unknown, fallback: number): number {
  if (value === undefined || value === true) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: expected a number of seconds above 0, got "${String(value)}"`);
  return n;
}
