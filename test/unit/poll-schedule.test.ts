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
