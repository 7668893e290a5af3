// The re-read under the lock: a world that moved toward the approved plan goes on with the fresh reading
// of the steps that progressed (recorded in the audit log); a world that moved anywhere else is stale.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditPath } from '../../src/audit/log.js';
import { readEvents } from '../../src/audit/read.js';
import { runMutation, type RunLock } from '../../src/engine/run.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { acceptUnderLock, movedAway } from '../../src/engine/under-lock.js';
import { RefusedError } from '../../src/io/errors.js';
import type { Change, Plan, PlannedStep } from '../../src/engine/types.js';
import { fakeSteps, harness, scaleSpec, yesFlags, type World } from '../helpers/engine-harness.js';

const change = (resource: string, from: unknown, to: unknown, over: Partial<Change> = {}): Change => ({
  resource,
  attribute: 'desiredCount',
  from,
  to,
  risk: 'safe',
  region: 'eu-west-1',
  ...over,
});

function step(id: string, over: Partial<PlannedStep> = {}): PlannedStep {
  return { id, kind: 'ecs.scale', title: id, region: 'eu-west-1', params: {}, changes: [], checks: [], noop: false, data: {}, observed: {}, ...over };
}

function plan(steps: PlannedStep[]): Plan {
  const stages = [{ name: 'all', parallel: false, steps }];
  return { version: 1, id: 'r', createdAt: '2026-01-01T00:00:00.000Z', topology: 'demo', command: 'c', stages, fingerprint: fingerprint(stages) };
}

const creating = step('rebuild', {
  inProgress: true,
  observed: { status: 'creating' },
  checks: [{ name: 'replica exists', passed: true, message: 'creating' }],
});
const scale = step('scale', { changes: [change('api', 2, 6), change('worker', 1, 4)], observed: { api: 2, worker: 1 } });

describe('the re-read under the lock: toward the approved plan', () => {
  test('an operation under way that has ended: the step is now done', () => {
    assert.equal(movedAway(creating, step('rebuild', { noop: true, observed: { status: 'available' } })), undefined);
  });
  test('a change that was to be made is done, or under way', () => {
    assert.equal(movedAway(scale, step('scale', { noop: true, observed: { api: 6, worker: 4 } })), undefined);
    assert.equal(movedAway(scale, step('scale', { inProgress: true, observed: { api: 6, worker: 4 } })), undefined);
  });
  test('one of two changes made: the other is left, exactly as approved', () => {
    assert.equal(movedAway(scale, step('scale', { changes: [change('worker', 1, 4)], observed: { api: 6, worker: 1 } })), undefined);
  });
  test('a step planned when reached whose fresh plan stays inside the approved one', () => {
    const deferred = step('promote', {
      deferred: 'built by rebuild',
      changes: [change('db', 'replica', 'primary', { attribute: 'role', risk: 'disruptive' })],
    });
    const live = step('promote', {
      changes: [change('db', 'replica of x', 'primary', { attribute: 'role', risk: 'disruptive' })],
      observed: { status: 'available' },
    });
    assert.equal(movedAway(deferred, live), undefined);
  });
  test('the approved plan goes on with the fresh readings; a deferred step stays deferred', () => {
    const deferred = step('promote', { deferred: 'built by rebuild', changes: [change('db', 'replica', 'primary', { attribute: 'role' })] });
    const approved = plan([creating, scale, deferred]);
    const approvedPrint = approved.fingerprint;
    const done = step('rebuild', { noop: true, observed: { status: 'available' } });
    const live = step('promote', { changes: [change('db', 'replica of x', 'primary', { attribute: 'role' })] });
    const progressed = acceptUnderLock(approved, plan([done, scale, live]));
    assert.deepEqual(progressed, [
      { step: 'rebuild', was: 'under way', now: 'done' },
      { step: 'promote', was: 'planned when reached', now: '1 change to make, inside the approved plan; planned again when reached' },
    ]);
    assert.deepEqual(
      approved.stages[0].steps.map((s) => [s.id, s.noop, s.deferred]),
      [
        ['rebuild', true, undefined],
        ['scale', false, undefined],
        ['promote', false, 'built by rebuild'],
      ],
    );
    assert.equal(approved.fingerprint, approvedPrint, 'the fingerprint stays the one approved');
  });
  test('the same plan: nothing progressed, nothing replaced', () => {
    const approved = plan([creating, scale]);
    assert.deepEqual(acceptUnderLock(approved, plan([creating, scale])), []);
  });
});

describe('the re-read under the lock: anywhere else is stale', () => {
  const refuses = (approved: PlannedStep, fresh: PlannedStep, why: RegExp) => {
    assert.match(movedAway(approved, fresh) ?? '(accepted)', why);
    const a = plan([approved]);
    const before = JSON.stringify(a);
    assert.throws(
      () => acceptUnderLock(a, plan([fresh])),
      (e: unknown) => e instanceof RefusedError && e.exitCode === 3 && /^plan is stale: .*not toward the plan/.test(e.message),
    );
    assert.equal(JSON.stringify(a), before, 'a refused re-read leaves the approved plan as it was');
  };
  test("another operator's change: the same target from another value", () => {
    refuses(scale, step('scale', { changes: [change('api', 3, 6), change('worker', 1, 4)], observed: { api: 3, worker: 1 } }), /api desiredCount 3 -> 6/);
  });
  test('a target that moved elsewhere: a change to another value', () => {
    refuses(scale, step('scale', { changes: [change('api', 2, 8)], observed: { api: 2, worker: 4 } }), /api desiredCount 2 -> 8/);
  });
  test('a change the approved plan does not name, or a riskier one', () => {
    refuses(scale, step('scale', { changes: [change('web', 0, 2)] }), /web desiredCount/);
    refuses(scale, step('scale', { changes: [change('api', 2, 6, { risk: 'data-loss' })] }), /which the approved plan does not/);
  });
  test('the same changes planned from a world that moved (nothing progressed)', () => {
    refuses(scale, { ...scale, observed: { api: 2, worker: 1, lag: 900 } }, /what it was planned from changed/);
    const gate = step('gate', { kind: 'gate.health', observed: { healthy: 3 } });
    refuses(gate, { ...gate, observed: { healthy: 2 } }, /what it was planned from changed/);
  });
  test('a step that was done is not any more, or its operation stopped', () => {
    refuses(step('scale', { noop: true }), scale, /was done when planned/);
    refuses(step('scale', { noop: true }), step('scale', { inProgress: true }), /was done when planned/);
    refuses(creating, step('rebuild', { changes: [change('replica', 'absent', 'replica')] }), /not any more/);
  });
  test('a check that no longer passes, another region', () => {
    refuses(
      creating,
      step('rebuild', { noop: true, checks: [{ name: 'source available', passed: false, message: 'source is deleting' }] }),
      /source is deleting/,
    );
    refuses(scale, { ...scale, changes: [], noop: true, region: 'us-east-1' }, /now acts in us-east-1/);
  });
  test('a deferred step whose fresh plan goes beyond the approved one', () => {
    const deferred = step('promote', { deferred: 'built by rebuild', changes: [change('db', 'replica', 'primary', { attribute: 'role' })] });
    refuses(deferred, step('promote', { changes: [change('other-db', 'replica', 'primary', { attribute: 'role' })] }), /does not name/);
  });
  test('a step that came or went', () => {
    assert.throws(() => acceptUnderLock(plan([creating, scale]), plan([scale])), /plan is stale: .*its steps are now/);
  });
});

describe('runMutation: the world moves between the plan and the lock', () => {
  const spec = scaleSpec({
    steps: [
      { name: 'api', to: 6 },
      { name: 'worker', to: 4 },
    ],
  });
  const lockThat = (world: World, move: Partial<World>): RunLock => ({
    acquire: async () => {
      Object.assign(world, move);
      return { detail: {}, release: async () => ({}) };
    },
  });
  const types = async (stateDir: string) => (await readEvents(auditPath(stateDir, 'demo'))).map((e) => `${e.type}${e.data?.step ? ` ${e.data.step}` : ''}`);

  test('toward the plan (api reached 6 meanwhile): the run goes on, scales only worker, and says what progressed', async () => {
    const h = await harness();
    try {
      assert.equal(await runMutation(h.ctx, spec, yesFlags, { stepImpls: fakeSteps(h.world), lock: lockThat(h.world, { api: 6 }) }), 0);
      assert.deepEqual(h.world, { api: 6, worker: 4 });
      const events = await readEvents(auditPath(h.stateDir, 'demo'));
      const progressed = events.find((e) => e.type === 'plan.progressed');
      assert.deepEqual(progressed?.data?.steps, [{ step: 'api', was: '1 change to make', now: 'done' }]);
      const t = await types(h.stateDir);
      assert.ok(t.includes('step.skipped api'));
      assert.deepEqual(
        t.filter((x) => x.startsWith('intent')),
        ['intent worker'],
        'no UpdateService for api',
      );
      assert.match(h.io.stderr(), /since the plan: api 1 change to make -> done/);
    } finally {
      await h.cleanup();
    }
  });

  test('elsewhere (api moved to 3 meanwhile): refused as stale, exit 3, nothing changed', async () => {
    const h = await harness();
    try {
      await assert.rejects(
        runMutation(h.ctx, spec, yesFlags, { stepImpls: fakeSteps(h.world), lock: lockThat(h.world, { api: 3 }) }),
        (e: unknown) =>
          e instanceof RefusedError && e.exitCode === 3 && /plan is stale: .*api: it would change ecs demo-euw1\/api desiredCount 3 -> 6/.test(e.message),
      );
      assert.deepEqual(h.world, { api: 3, worker: 1 });
      const t = await types(h.stateDir);
      assert.ok(!t.some((x) => x.startsWith('intent') || x.startsWith('plan.progressed')), t.join(', '));
      assert.equal((await readEvents(auditPath(h.stateDir, 'demo'))).find((e) => e.type === 'run.finished')?.data?.outcome, 'refused');
    } finally {
      await h.cleanup();
    }
  });
});
