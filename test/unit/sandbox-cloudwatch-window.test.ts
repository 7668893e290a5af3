import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSimulatedWindow } from '../../src/sandbox/services/cloudwatch/index.js';

const base = { queries: [], maxDatapoints: 100, scanBy: 'TimestampDescending' } as never as Parameters<typeof toSimulatedWindow>[0];
const min = 60_000;

test('a wall-clock window is moved onto a simulated clock that runs ahead', () => {
  const real = 1_000_000_000_000;
  const sim = real + 90 * min; // a rehearsal at a high time scale
  const out = toSimulatedWindow({ ...base, startMs: real - 5 * min, endMs: real }, sim, real);
  assert.equal(out.endMs, sim);
  assert.equal(out.startMs, sim - 5 * min);
});

test('a window already on the simulated clock is left alone', () => {
  const real = 1_000_000_000_000;
  const sim = real + 90 * min;
  const win = { ...base, startMs: sim - 5 * min, endMs: sim };
  assert.deepEqual(toSimulatedWindow(win, sim, real), win);
});

test('with both clocks together nothing moves', () => {
  const t = 1_000_000_000_000;
  const win = { ...base, startMs: t - 5 * min, endMs: t };
  assert.deepEqual(toSimulatedWindow(win, t, t), win);
});
