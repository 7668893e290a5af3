// When a wait polls next. Without an expected duration: every interval, as before. With one (the
// operation's typical duration, from AWS's documentation or the topology): sparsely at first, halving
// the distance to the expected end, densely (every interval) around it, then backing off, so a wait
// that ends as expected costs a handful of polls and still ends within one interval of AWS.

/** How long past the expected end polling stays dense: a quarter of the expected duration, at least two intervals. */
function denseAfterMs(expectedMs: number, intervalMs: number): number {
  return Math.max(2 * intervalMs, expectedMs / 4);
}

/** Backoff past the dense window: an eighth of the time overdue, at most a minute. */
const MAX_BACKOFF_MS = 60_000;

export function nextPollDelayMs(elapsedMs: number, intervalMs: number, expectedMs?: number): number {
  if (expectedMs === undefined || expectedMs <= 2 * intervalMs) return intervalMs;
  const left = expectedMs - elapsedMs;
  if (left > 0) return Math.max(intervalMs, Math.floor(left / 2));
  const overdue = -left - denseAfterMs(expectedMs, intervalMs);
  if (overdue <= 0) return intervalMs;
  return Math.max(intervalMs, Math.min(MAX_BACKOFF_MS, Math.floor(overdue / 8)));
}
