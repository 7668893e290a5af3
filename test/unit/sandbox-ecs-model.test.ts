import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceContext } from '../../src/sandbox/contract.js';
import { initEcs, setDesired, START_BATCH, taskCounts } from '../../src/sandbox/services/ecs/state.js';
import { DURATIONS } from '../helpers/durations.js';

function setup(desired: number) {
  let now = 1_000_000;
  const ctx: ServiceContext = {
    now: () => now,
    durationMs: (k) => (DURATIONS[k] ?? Number.NaN) * 1000,
    account: '123456789012',
    regions: ['eu-west-1'],
    regionDownSince: () => undefined,
    appHealthy: () => true,
    peek: <T>() => undefined as T,
  };
  const state = initEcs({ clusters: [{ region: 'eu-west-1', name: 'c', services: [{ name: 'api', desired }] }] }, ctx);
  return { ctx, svc: state.clusters[0].services[0], advance: (ms: number) => (now += ms) };
}

test('a world service starts steady', () => {
  const { ctx, svc } = setup(2);
  assert.deepEqual(taskCounts(svc, ctx.now(), ctx), { running: 2, pending: 0, steadyAt: ctx.now() });
});

test('scale-out starts tasks a batch at a time, the batch in flight pending', () => {
  assert.equal(START_BATCH, 3);
  const { ctx, svc, advance } = setup(2);
  setDesired(svc, 9, ctx); // 7 more: batches of 3, 3, 1
  const seen = [];
  for (let i = 0; i < 4; i++) {
    const { running, pending } = taskCounts(svc, ctx.now(), ctx);
    seen.push([running, pending]);
    advance(20_000);
  }
  assert.deepEqual(seen, [
    [2, 3],
    [5, 3],
    [8, 1],
    [9, 0],
  ]);
});

test('a change mid-way carries over the running tasks; scale-in is quicker', () => {
  const { ctx, svc, advance } = setup(2);
  setDesired(svc, 8, ctx);
  advance(25_000); // one batch done
  setDesired(svc, 1, ctx);
  assert.deepEqual(taskCounts(svc, ctx.now(), ctx), { running: 5, pending: 0, steadyAt: ctx.now() + 5_000 });
  advance(5_000);
  assert.equal(taskCounts(svc, ctx.now(), ctx).running, 1);
});
