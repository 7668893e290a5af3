// Parse a duration given on the command line ("500ms", "5s", "2m", or plain milliseconds).
import { UsageError } from '../io/errors.js';
import { toMs } from '../config/schema.js';

export function parseDurationFlag(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value).trim();
  if (/^\d+$/.test(s)) return Number(s);
  if (/^\d+(ms|s|m)$/.test(s)) return toMs(s);
  throw new UsageError(`${flag}: expected a duration such as 500ms, 5s or 2m, got "${s}"`);
}

/** Seconds for --watch: a positive number (fractions allowed). */
export function parseSeconds(flag: string, value: unknown, fallback: number): number {
  if (value === undefined || value === true) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: expected a number of seconds above 0, got "${String(value)}"`);
  return n;
}
