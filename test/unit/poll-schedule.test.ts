// The poll schedule of waitFor: sparse before the expected end, dense around it, backing off after.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextPollDelayMs } from '../../src/engine/poll-schedule.js';

/** Poll times of a wait that ends at `endsAtMs`, and when it was seen done. */
function simulate(endsAtMs: number, intervalMs: number, expectedMs?: number) {
  let t = 0;
  let polls = 0;
  for (;;) {
    polls++;
    if (t >= endsAtMs) return { polls, seenAt: t };
    t += nextPollDelayMs(t, intervalMs, expectedMs);
  }
}

describe('nextPollDelayMs', () => {
  test('without an expected duration, every interval', () => {
    assert.equal(nextPollDelayMs(0, 1000), 1000);
    assert.equal(nextPollDelayMs(50_000, 1000), 1000);
    assert.equal(nextPollDelayMs(0, 1000, 0), 1000);
  });

  test('a Route 53 change that is INSYNC after 60 s: at least 5x fewer polls, seen within one interval', () => {
    const dense = simulate(60_000, 1000);
    const planned = simulate(60_000, 1000, 60_000);
    assert.equal(dense.polls, 61);
    assert.ok(planned.polls * 5 <= dense.polls, `${planned.polls} polls`);
    assert.ok(planned.seenAt - 60_000 <= 1000);
  });

  test('ending a little early or late still ends within one interval', () => {
    for (const end of [45_000, 55_500, 63_200, 74_000]) {
      const r = simulate(end, 1000, 60_000);
      assert.ok(r.seenAt - end <= 1000, `ends at ${end}, seen at ${r.seenAt}`);
    }
  });

  test('far past the expected end it backs off, but never beyond a minute', () => {
    assert.equal(nextPollDelayMs(60_000 + 15_000 + 80_000, 1000, 60_000), 10_000);
    assert.equal(nextPollDelayMs(10 * 3_600_000, 1000, 60_000), 60_000);
    const late = simulate(600_000, 1000, 60_000);
    assert.ok(late.polls * 5 < 600, `${late.polls} polls for a wait 10x the expected (600 at every interval)`);
  });
});

/** Every poll time of a wait that ends at `endsAtMs`. */
function pollTimes(endsAtMs: number, intervalMs: number, expectedMs?: number): number[] {
  const out: number[] = [];
  let t = 0;
  for (;;) {
    out.push(t);
    if (t >= endsAtMs) return out;
    t += nextPollDelayMs(t, intervalMs, expectedMs);
  }
}

describe('nextPollDelayMs on the expected end', () => {
  test('halves the distance while more than four intervals are left, then lands a poll on the expected end itself', () => {
    assert.deepEqual(pollTimes(60_000, 1000, 60_000), [0, 30_000, 45_000, 52_500, 56_250, 60_000]);
    // Benchmark 4's waits at time scale 12 (1 s polls): ECS 40 s, the switchover 60 s, the datastore 50 s.
    assert.deepEqual(pollTimes(3333, 1000, 3333), [0, 3333]);
    assert.deepEqual(pollTimes(5000, 1000, 5000), [0, 2500, 5000]);
    assert.deepEqual(pollTimes(4167, 1000, 4167), [0, 2083, 4167]);
  });

  test('still in progress at the expected end: four polls a quarter interval apart, then every interval', () => {
    const times = pollTimes(62_100, 1000, 60_000);
    const after = times.filter((t) => t >= 60_000);
    assert.deepEqual(after, [60_000, 60_250, 60_500, 60_750, 61_000, 62_000, 63_000]);
    // A moment late is seen within a quarter interval.
    const late = pollTimes(60_300, 1000, 60_000);
    assert.equal(late.at(-1), 60_500);
  });

  test('the delays shrink towards the expected end and never jump past it', () => {
    const times = pollTimes(60_000, 1000, 60_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] <= gaps[i - 1], `gaps ${gaps.join(', ')}`);
    assert.ok(times.every((t) => t <= 60_000));
  });

  test('a wait with no expected duration, or one of two intervals or less, polls every interval', () => {
    assert.deepEqual(pollTimes(3000, 1000), [0, 1000, 2000, 3000]);
    assert.deepEqual(pollTimes(3000, 1000, 2000), [0, 1000, 2000, 3000]);
  });
});
