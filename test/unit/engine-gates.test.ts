// runMutation with gates: they are checked at plan time (a failure refuses up front) and again when
// the run reaches them; a plan with nothing left but gates asks no approval and takes no lock; a
// gate passing at run time shows as "passed". A fake gate over the fake world, re-checked through
// the steps' own recheckGate and the engine's waitFor.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { auditPath } from '../../src/audit/log.js';
import { readEvents } from '../../src/audit/read.js';
import { runMutation, type RunLock } from '../../src/engine/run.js';
import type { Check, StepImpl } from '../../src/engine/types.js';
import { PartialError, RefusedError } from '../../src/io/errors.js';
import { recheckGate } from '../../src/steps/gate-check.js';
import { fakeSteps, harness, noFlags, scaleSpec, yesFlags, type World } from '../helpers/engine-harness.js';

/** gate.health over world.healthy (1 healthy, 0 not); every read is counted in world.reads. */
function fakeGate(world: World): StepImpl {
  const read = async (): Promise<Check> => {
    world.reads = (world.reads ?? 0) + 1;
    const ok = world.healthy === 1;
    return { name: 'target healthy', passed: ok, observed: world.healthy, bound: 1, message: ok ? 'target is healthy' : 'target is not healthy' };
  };
  return {
    kind: 'gate.health',
    plan: async (id, params) => ({
      id,
      kind: 'gate.health',
      title: 'Gate: target healthy',
      params,
      changes: [],
      checks: [await read()],
      noop: false,
      data: {},
      observed: {},
    }),
    apply: async () => {},
    verify: async (_step, ctx) => void (await recheckGate(ctx, 'target health', 0, read)),
  };
}

function countingLock(onAcquire: () => void = () => {}): RunLock & { taken: number; released: number } {
  const lock = {
    taken: 0,
    released: 0,
    acquire: async () => {
      lock.taken++;
      onAcquire();
      return { detail: {}, release: async () => (lock.released++, {}) };
    },
  };
  return lock;
}

const gate = (id: string) => ({ id, kind: 'gate.health' });
const failoverLike = (api: number) =>
  scaleSpec(
    { name: 'preflight', steps: [gate('pre-gate')] },
    { name: 'capacity', steps: [{ name: 'api', to: api }] },
    { name: 'verify', steps: [gate('verify-gate')] },
  );

async function eventList(stateDir: string): Promise<string[]> {
  return (await readEvents(auditPath(stateDir, 'demo'))).map((e) => `${e.type}${e.data?.step ? ` ${e.data.step}` : ''}`);
}

describe('runMutation: gates', () => {
  test('only gates left (the change is done): no approval, no lock, both gates re-checked and shown as passed', async () => {
    const h = await harness({ world: { api: 6, healthy: 1 } });
    const lock = countingLock();
    try {
      assert.equal(await runMutation(h.ctx, failoverLike(6), noFlags, { stepImpls: { ...fakeSteps(h.world), 'gate.health': fakeGate(h.world) }, lock }), 0);
      assert.equal(lock.taken, 0);
      assert.deepEqual(h.io.prompts(), []);
      assert.deepEqual(await eventList(h.stateDir), [
        'run.started',
        'plan',
        'step.started pre-gate',
        'step.succeeded pre-gate',
        'step.skipped api',
        'step.started verify-gate',
        'step.succeeded verify-gate',
        'run.finished',
      ]);
      // Two plan-time reads, two run-time reads.
      assert.equal(h.world.reads, 4);
      assert.match(h.io.stderr(), /no changes to make: the remaining steps only check or wait \(no approval, no lock\)/);
      assert.match(h.io.stdout(), /✓ pre-gate +gate\.health +passed /);
      assert.match(h.io.stdout(), /- api +ecs\.scale +skipped \(already done\)/);
      assert.match(h.io.stdout(), /✓ verify-gate +gate\.health +passed /);
      assert.match(h.io.stdout(), /: succeeded/);
    } finally {
      await h.cleanup();
    }
  });

  test('a failing gate refuses the plan up front (exit 3) with value and bound: nothing run, no lock', async () => {
    const h = await harness({ world: { api: 2, healthy: 0 } });
    const lock = countingLock();
    try {
      await assert.rejects(
        runMutation(h.ctx, failoverLike(6), yesFlags, { stepImpls: { ...fakeSteps(h.world), 'gate.health': fakeGate(h.world) }, lock }),
        (e: unknown) => e instanceof RefusedError && /pre-gate: target healthy: target is not healthy \(observed 0, bound 1\)/.test(e.message),
      );
      assert.equal(lock.taken, 0);
      assert.equal(h.world.api, 2);
    } finally {
      await h.cleanup();
    }
  });

  test('a gate that no longer holds when the run reaches it, before any change: exit 3 naming the gate, nothing applied, lock released', async () => {
    const h = await harness({ world: { api: 2, healthy: 1 } });
    // The world moves after planning: the target goes unhealthy while the lock is being taken.
    const lock = countingLock(() => (h.world.healthy = 0));
    try {
      await assert.rejects(
        runMutation(h.ctx, failoverLike(6), yesFlags, { stepImpls: { ...fakeSteps(h.world), 'gate.health': fakeGate(h.world) }, lock }),
        (e: unknown) =>
          e instanceof RefusedError &&
          /^refused at pre-gate: gate failed: target healthy: target is not healthy \(observed 0, bound 1\); nothing was applied$/.test(e.message),
      );
      assert.equal(h.world.api, 2);
      assert.deepEqual([lock.taken, lock.released], [1, 1]);
      const ev = await readEvents(auditPath(h.stateDir, 'demo'));
      assert.equal(ev.filter((e) => e.type === 'intent').length, 0);
      assert.equal(ev.find((e) => e.type === 'run.finished')?.data?.outcome, 'refused');
    } finally {
      await h.cleanup();
    }
  });

  test('a gate after the changes that fails: exit 5, stopped at the gate with its reason, resumable', async () => {
    const h = await harness({ world: { api: 2, healthy: 1 } });
    // The change goes through, then the target turns unhealthy before the verify gate reads it.
    const impls = { ...fakeSteps(h.world, { onProbe: () => void (h.world.healthy = 0) }), 'gate.health': fakeGate(h.world) };
    try {
      await assert.rejects(runMutation(h.ctx, failoverLike(6), yesFlags, { stepImpls: impls, lock: countingLock() }), (e: unknown) => {
        assert.ok(e instanceof PartialError, String(e));
        assert.match(e.message, /^stopped at verify-gate: gate failed: target healthy: target is not healthy \(observed 0, bound 1\)$/);
        assert.match(e.hint ?? '', /^mr resume /);
        return true;
      });
      assert.equal(h.world.api, 6);
      const types = await eventList(h.stateDir);
      assert.deepEqual(types.slice(-4), ['step.started verify-gate', 'step.failed verify-gate', 'run.finished', 'lock.released']);
      assert.match(h.io.stdout(), /✗ verify-gate +gate\.health +failed /);
    } finally {
      await h.cleanup();
    }
  });
});
