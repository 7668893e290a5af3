// Simulated time: sim = anchorSim + (Date.now() - anchorReal) * timeScale + advanced. Only the
// anchors are stored, so a state file saved mid-transition continues in the next process.
import type { ClockState } from './types.js';

export function freshClock(timeScale: number): ClockState {
  const now = Date.now();
  return { anchorSim: now, anchorReal: now, advanced: 0, timeScale };
}

export function simNow(c: ClockState): number {
  return Math.floor(c.anchorSim + (Date.now() - c.anchorReal) * c.timeScale + c.advanced);
}

/** Change the scale without a jump: re-anchor at the current simulated time. */
export function rescale(c: ClockState, timeScale: number): ClockState {
  if (c.timeScale === timeScale) return c;
  const now = Date.now();
  return { anchorSim: simNow(c), anchorReal: now, advanced: 0, timeScale };
}

export function validTimeScale(n: number): boolean {
  return Number.isFinite(n) && n > 0 && n <= 1_000_000;
}
