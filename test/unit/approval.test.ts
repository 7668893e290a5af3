import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { approvalDecision, obtainApproval } from '../../src/engine/approval.js';
import { DeclinedError, RefusedError } from '../../src/io/errors.js';
import type { Change } from '../../src/engine/types.js';
import { plan, step } from '../helpers/engine-fixtures.js';
import { recordingIo } from '../helpers/recording-io.js';

const safe: Change = { resource: 'ecs demo-euw1/api', attribute: 'desiredCount', from: 2, to: 6, risk: 'safe' };
const lossy: Change = {
  resource: 'aurora global cluster demo-global',
  attribute: 'writer',
  from: 'us-east-1',
  to: 'eu-west-1',
  risk: 'data-loss',
  region: 'eu-west-1',
};
const ordinary = plan([step('scale-api', { changes: [safe] }), step('scale-worker', { changes: [safe, safe] })]);
const dataLoss = plan([step('fail-db', { kind: 'aurora.failover', changes: [lossy], region: 'eu-west-1' })]);
const flags = (yes: boolean, allowDataLoss = false) => ({ yes, allowDataLoss });

describe('approval decision', () => {
  test('an all no-op plan needs none; a plan with no changes (gates only) needs none', () => {
    const noop = plan([step('a', { changes: [safe], noop: true })]);
    for (const [yes, interactive] of [
      [false, false],
      [true, true],
      [false, true],
    ]) {
      assert.deepEqual(approvalDecision(noop, flags(yes), interactive), { kind: 'none', reason: 'noop' });
    }
    assert.deepEqual(approvalDecision(plan([step('gate', { kind: 'gate.health' })]), flags(false), false), { kind: 'none', reason: 'no-changes' });
  });

  test('ordinary changes: --yes approves, a terminal confirms, no terminal declines', () => {
    assert.deepEqual(approvalDecision(ordinary, flags(true), false), { kind: 'flag', by: 'flag --yes' });
    assert.deepEqual(approvalDecision(ordinary, flags(true), true), { kind: 'flag', by: 'flag --yes' });
    assert.deepEqual(approvalDecision(ordinary, flags(false), true), { kind: 'confirm', message: 'Apply 3 changes in 2 steps to demo?' });
    assert.deepEqual(approvalDecision(ordinary, flags(false), false), {
      kind: 'decline',
      message: 'approval needed and there is no terminal to ask on; nothing was applied',
      hint: 're-run with --yes',
    });
    assert.deepEqual(approvalDecision(plan([step('one', { changes: [safe] })]), flags(false), true), {
      kind: 'confirm',
      message: 'Apply 1 change in 1 step to demo?',
    });
  });

  test('data loss: typed region on a terminal (even with --yes), --yes --allow-data-loss in scripts', () => {
    assert.deepEqual(approvalDecision(dataLoss, flags(true, true), false), { kind: 'flag', by: 'flags --yes --allow-data-loss' });
    assert.deepEqual(approvalDecision(dataLoss, flags(true, true), true), { kind: 'flag', by: 'flags --yes --allow-data-loss' });
    assert.deepEqual(approvalDecision(dataLoss, flags(true), true), { kind: 'type-region', regions: ['eu-west-1'], steps: ['fail-db'] });
    assert.deepEqual(approvalDecision(dataLoss, flags(false, true), true), { kind: 'type-region', regions: ['eu-west-1'], steps: ['fail-db'] });
    assert.deepEqual(approvalDecision(dataLoss, flags(true), false), {
      kind: 'refuse',
      message: 'fail-db may lose data and --yes alone does not approve that',
      hint: 're-run with --yes --allow-data-loss to accept the data loss',
    });
    assert.deepEqual(approvalDecision(dataLoss, flags(false, true), false), {
      kind: 'decline',
      message: 'approval needed and there is no terminal to ask on; nothing was applied',
      hint: 're-run with --yes --allow-data-loss',
    });
  });
});

describe('asking for approval', () => {
  test('confirm prompt: exact text, default No; yes approves, no declines', async () => {
    const io = recordingIo({ interactive: true, answers: [true, false] });
    const d = approvalDecision(ordinary, flags(false), true);
    assert.equal(await obtainApproval(io, d), 'prompt');
    await assert.rejects(
      obtainApproval(io, d),
      (e: unknown) => e instanceof DeclinedError && e.message === 'declined; nothing was applied' && e.exitCode === 4,
    );
    assert.deepEqual(io.prompts(), [
      { kind: 'confirm', message: 'Apply 3 changes in 2 steps to demo?', defaultValue: false },
      { kind: 'confirm', message: 'Apply 3 changes in 2 steps to demo?', defaultValue: false },
    ]);
  });

  test('typed region: exact text; the right region approves, anything else declines', async () => {
    const io = recordingIo({ interactive: true, answers: [' eu-west-1 ', 'yes'] });
    const d = approvalDecision(dataLoss, flags(false), true);
    assert.equal(await obtainApproval(io, d), 'typed eu-west-1');
    await assert.rejects(obtainApproval(io, d), (e: unknown) => e instanceof DeclinedError && e.message === 'typed "yes", not eu-west-1; nothing was applied');
    assert.deepEqual(io.prompts(), [
      { kind: 'input', message: 'fail-db may lose data in eu-west-1. Type eu-west-1 to apply:' },
      { kind: 'input', message: 'fail-db may lose data in eu-west-1. Type eu-west-1 to apply:' },
    ]);
  });

  test('--yes says so and asks nothing; refusals and declines throw with their exit codes and hints', async () => {
    const io = recordingIo({ interactive: false });
    assert.equal(await obtainApproval(io, approvalDecision(ordinary, flags(true), false)), 'flag --yes');
    assert.deepEqual(io.log, [{ kind: 'info', text: 'approved by flag --yes' }]);
    await assert.rejects(
      obtainApproval(io, approvalDecision(ordinary, flags(false), false)),
      (e: unknown) => e instanceof DeclinedError && e.exitCode === 4 && e.hint === 're-run with --yes',
    );
    await assert.rejects(obtainApproval(io, approvalDecision(dataLoss, flags(true), false)), (e: unknown) => e instanceof RefusedError && e.exitCode === 3);
    assert.equal(await obtainApproval(io, { kind: 'none', reason: 'noop' }), null);
    assert.deepEqual(io.prompts(), []);
  });
});

describe('--require-approval (issue 11 item 13)', () => {
  const disruptive: Change = { resource: 'aurora global cluster demo-global', attribute: 'writer', from: 'us-east-1', to: 'eu-west-1', risk: 'disruptive' };
  const moving = plan([step('switch-db', { kind: 'aurora.switchover', changes: [disruptive] })]);
  const policy = (name: 'any' | 'destructive' | 'never', source = '--require-approval') => ({ name, source });
  test('destructive: a plan of safe changes is approved by the policy; a disruptive one still asks', () => {
    assert.deepEqual(approvalDecision(ordinary, { ...flags(false), policy: policy('destructive') }, false), {
      kind: 'flag',
      by: 'policy destructive (--require-approval): no change is disruptive or loses data',
    });
    assert.deepEqual(approvalDecision(moving, { ...flags(false), policy: policy('destructive') }, true), approvalDecision(moving, flags(false), true));
    assert.equal(approvalDecision(moving, flags(false), true).kind, 'confirm');
    assert.equal(approvalDecision(moving, { ...flags(false), policy: policy('destructive') }, false).kind, 'decline');
  });
  test('never: as --yes, recorded as the policy; data loss still needs --allow-data-loss', () => {
    assert.deepEqual(approvalDecision(moving, { ...flags(false), policy: policy('never', 'topology requireApproval') }, false), {
      kind: 'flag',
      by: 'policy never (topology requireApproval)',
    });
    assert.equal(approvalDecision(dataLoss, { ...flags(false), policy: policy('never') }, false).kind, 'refuse');
    assert.deepEqual(approvalDecision(dataLoss, { ...flags(false, true), policy: policy('never') }, false), {
      kind: 'flag',
      by: 'policy never (--require-approval) and flag --allow-data-loss',
    });
    // any: today's behaviour.
    assert.deepEqual(approvalDecision(ordinary, { ...flags(false), policy: policy('any') }, true), approvalDecision(ordinary, flags(false), true));
  });
});
