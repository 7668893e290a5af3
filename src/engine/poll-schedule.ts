// When a wait polls next. Without an expected duration: every interval, as before. With one (the
// operation's typical duration, from AWS's documentation or the topology): sparsely at first, halving
// the distance to the expected end and landing on it, then, if the operation is still in progress
// there, a short burst at a quarter interval (one that runs a moment past its typical time is seen a
// moment after it ends, not up to an interval later), densely (every interval) for a while, then
// backing off. A wait that ends as expected costs a handful of polls and ends within a quarter
// interval of AWS; one that ends a little early, within half the time it had left (four intervals in
// the last stretch), and a little late, within one interval.
// Route 53 polls (GetChange) go through the process's pacing (src/aws/pacer.ts), so a burst cannot
// exceed the account's 5 requests per second.

/** How long past the expected end polling stays dense: a quarter of the expected duration, at least two intervals. */
function denseAfterMs(expectedMs: number, intervalMs: number): number {
  return Math.max(2 * intervalMs, expectedMs / 4);
}

/** The burst right after the expected end: this long, at a quarter interval (four polls). */
function burstMs(intervalMs: number): number {
  return intervalMs;
}

/** Within this many intervals of the expected end, the next poll is the end itself. */
const LAND_INTERVALS = 4;

/** Backoff past the dense window: an eighth of the time overdue, at most a minute. */
const MAX_BACKOFF_MS = 60_000;

export function nextPollDelayMs(elapsedMs: number, intervalMs: number, expectedMs?: number): number {
  if (expectedMs === undefined || expectedMs <= 2 * intervalMs) return intervalMs;
  const left = expectedMs - elapsedMs;
  // Halve the distance while it is more than four intervals, then land on the expected end itself.
  if (left > LAND_INTERVALS * intervalMs) return Math.max(intervalMs, Math.floor(left / 2));
  if (left > 0) return left;
  const past = -left;
  if (past < burstMs(intervalMs)) return Math.max(1, Math.floor(intervalMs / 4));
  const overdue = past - denseAfterMs(expectedMs, intervalMs);
  if (overdue <= 0) return intervalMs;
  return Math.max(intervalMs, Math.min(MAX_BACKOFF_MS, Math.floor(overdue / 8)));
}
