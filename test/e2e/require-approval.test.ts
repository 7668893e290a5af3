// Issue 11 item 13: --require-approval any|destructive|never, and the audit log records the policy.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { auditEvents, worldState, type World, useWorld } from './playbook-harness.js';

let world: World;
useWorld((w) => (world = w));

describe('--require-approval', () => {
  test('destructive: a safe change applies without a terminal or --yes, recorded as the policy; any (default) declines', async () => {
    const declined = await world.mr(['ecs', 'scale', 'eu-west-1', '--to', '3']);
    assert.equal(declined.code, 4, declined.stderr);
    const r = await world.mr(['ecs', 'scale', 'eu-west-1', '--to', '3', '--require-approval', 'destructive']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await worldState(world.aws)).ecs['eu-west-1'].api.desired, 3);
    const approval = (await auditEvents(world.stateDir)).find((e) => e.type === 'approval');
    assert.equal(approval?.data?.policy, 'destructive');
    assert.equal(approval?.data?.policySource, '--require-approval');
    assert.match(String(approval?.data?.by), /^policy destructive \(--require-approval\)/);
  });

  test('destructive still asks for a disruptive change (no terminal: exit 4); never approves it like --yes, recorded as such', async () => {
    const asked = await world.mr(['aurora', 'switchover', 'eu-west-1', '--require-approval', 'destructive']);
    assert.equal(asked.code, 4, asked.stderr);
    assert.equal((await worldState(world.aws)).writer, 'us-east-1');
    const never = await world.mr(['aurora', 'switchover', 'eu-west-1', '--require-approval', 'never']);
    assert.equal(never.code, 0, never.stderr);
    assert.equal((await worldState(world.aws)).writer, 'eu-west-1');
    const approval = (await auditEvents(world.stateDir)).find((e) => e.type === 'approval');
    assert.equal(approval?.data?.by, 'policy never (--require-approval)');
    assert.equal(approval?.data?.policy, 'never');
    const bad = await world.mr(['aurora', 'switchover', 'eu-west-1', '--require-approval', 'sometimes']);
    assert.equal(bad.code, 2);
  });
});
