// Steps planned when reached (PlannedStep.deferred, src/engine/deferred.ts): planned up front from what
// an earlier step of the plan will build, shown and approved, then planned again on reaching them. The
// run goes on only if that plan stays inside the approved one.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { auditPath } from '../../src/audit/log.js';
import { readEvents } from '../../src/audit/read.js';
import { outsideApproved } from '../../src/engine/deferred.js';
import { runMutation } from '../../src/engine/run.js';
import type { PlannedStep, StepImpl } from '../../src/engine/types.js';
import { ExitCode } from '../../src/io/errors.js';
import { fakeSteps, harness, yesFlags, type World } from '../helpers/engine-harness.js';
import { step } from '../helpers/engine-fixtures.js';

const change = (to: unknown, over: Partial<PlannedStep['changes'][number]> = {}) => ({
  resource: 'ecs demo-euw1/follower',
  attribute: 'desiredCount',
  from: 0,
  to,
  risk: 'safe' as const,
  ...over,
});

describe('outsideApproved', () => {
  const approved = step('f', { changes: [change(6)], deferred: 'built earlier' });
  test('the same change, fewer changes, or a no-op stay inside', () => {
    assert.equal(outsideApproved(approved, step('f', { changes: [change(6)] })), undefined);
    assert.equal(outsideApproved(approved, step('f', { changes: [], noop: true })), undefined);
  });
  test('another value, another resource, more risk, a failed check, still deferred: outside, each named', () => {
    assert.match(outsideApproved(approved, step('f', { changes: [change(7)] }))!, /would set .*follower desiredCount to 7, the approved plan said 6/);
    assert.match(outsideApproved(approved, step('f', { changes: [change(6, { resource: 'ecs x/y' })] }))!, /ecs x\/y .* which the approved plan does not name/);
    assert.match(outsideApproved(approved, step('f', { changes: [change(6, { risk: 'data-loss' })] }))!, /is now data-loss, approved as safe/);
    const failed = { name: 'replica available', passed: false, message: 'ap-db-use1-r is creating' };
    assert.match(outsideApproved(approved, step('f', { changes: [change(6)], checks: [failed] }))!, /replica available: ap-db-use1-r is creating/);
    assert.match(outsideApproved(approved, step('f', { deferred: 'x' }))!, /still cannot be planned/);
  });
  test('a value named "when reached" takes whatever the live state says', () => {
    const open = step('f', { changes: [change('the endpoint of X (read when reached)', { toWhenReached: true })] });
    assert.equal(outsideApproved(open, step('f', { changes: [change('x.c0ffee.us-east-1.rds.amazonaws.com')] })), undefined);
  });
});

/**
 * Fake kind "follow": scales world.follower to world[of] once world[of] is set. While an earlier ecs.scale
 * of the plan still has to set world[of], it plans deferred, to the value that step will set (or, with
 * `guess`, that value plus `guess`: a plan that the live state will not bear out).
 */
function follow(world: World): StepImpl {
  return {
    kind: 'follow',
    async plan(id, params, ctx) {
      const of = String(params.of);
      const builder = ctx.earlier?.find((s) => s.kind === 'ecs.scale' && s.data.name === of && !s.noop);
      const to = builder ? Number(builder.data.to) + Number(params.guess ?? 0) : world[of];
      const from = world.follower ?? 0;
      return {
        id,
        kind: 'follow',
        title: `Follow ${of}`,
        params,
        changes: from === to ? [] : [change(to, { from })],
        checks: [],
        noop: from === to,
        ...(builder ? { deferred: `${of} is scaled by step ${builder.id}` } : {}),
        data: { to },
        observed: {},
      };
    },
    async apply(s, ctx) {
      await ctx.mutating.ecs('eu-west-1').updateDesiredCount('demo-euw1', 'follower', Number(s.data.to));
    },
    async verify() {},
  };
}

const spec = (guess = 0) => ({
  command: 'test follow',
  region: 'eu-west-1',
  stages: [
    { name: 'build', parallel: false, steps: [{ id: 'build', kind: 'ecs.scale', params: { name: 'api', to: 6 } }] },
    { name: 'after', parallel: false, steps: [{ id: 'follow', kind: 'follow', params: { of: 'api', guess } }] },
  ],
});

describe('runMutation with a step planned when reached', () => {
  test('planned up front from the earlier step, planned again when reached (audit step.planned), applied', async () => {
    const h = await harness({ world: { api: 2, follower: 0 } });
    try {
      const impls = { ...fakeSteps(h.world), follow: follow(h.world) };
      assert.equal(await runMutation(h.ctx, spec(), yesFlags, { stepImpls: impls }), 0);
      assert.deepEqual(h.world, { api: 6, follower: 6 });
      assert.match(h.io.stdout(), /step follow \(follow\): Follow api - planned when reached \(api is scaled by step build\)/);
      const ev = await readEvents(auditPath(h.stateDir, 'demo'));
      const types = ev.map((e) => `${e.type}${e.data?.step ? ` ${e.data.step}` : ''}`);
      assert.deepEqual(types.slice(types.indexOf('step.started follow')), [
        'step.started follow',
        'step.planned follow',
        'intent follow',
        'result follow',
        'step.succeeded follow',
        'run.finished',
      ]);
    } finally {
      await h.cleanup();
    }
  });

  test('when the plan made on reaching it goes beyond the approved one: stopped there, exit 5, no call for it', async () => {
    const h = await harness({ world: { api: 2, follower: 0 } });
    try {
      const impls = { ...fakeSteps(h.world), follow: follow(h.world) };
      await assert.rejects(runMutation(h.ctx, spec(1), yesFlags, { stepImpls: impls }), (e: Error & { exitCode?: number }) => {
        assert.equal(e.exitCode, ExitCode.Partial);
        assert.match(
          e.message,
          /stopped at follow: step "follow", planned when reached, goes beyond the approved plan: it would set .* to 6, the approved plan said 7/,
        );
        return true;
      });
      assert.deepEqual(h.world, { api: 6, follower: 0 });
      const ev = await readEvents(auditPath(h.stateDir, 'demo'));
      assert.equal(ev.filter((e) => e.type === 'intent' && e.data?.step === 'follow').length, 0);
      assert.ok(ev.some((e) => e.type === 'step.failed' && e.data?.step === 'follow'));
    } finally {
      await h.cleanup();
    }
  });
});
