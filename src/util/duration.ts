// Durations: the one parser and the two ways of writing one. Every layer (the sandbox included)
// may import this folder; it imports nothing of src.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds from a number (ms) or a string: "250" (ms), "500ms", "30s", "5m", "1h", "1m30s".
 * Undefined when it is not one (callers say what they accept in their own words).
 */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^(\d+(ms|h|m|s))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+)(ms|h|m|s)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/** A duration as one would write it in a playbook ("500ms", "30s", "1m30s", "2m"): plan titles, refusals. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m}m${rest}s` : `${m}m`;
}

/** Time that passed, like a stopwatch ("250ms", "1.5s", "1m02s"): progress, summaries, reports, timeouts. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`;
  // Round once, so 119.6s is 2m00s rather than 1m60s.
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
