// Saved plans: `--out plan.json`, then `mr apply plan.json`: applied when the world is as it was,
// refused as stale (exit 3, naming what moved) when it is not.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditEvents, failedOverToEuw1, intents, worldState, type World, useWorld } from './playbook-harness.js';
import { recordingSink } from '../helpers/fake-aws.js';

let world: World;
useWorld((w) => (world = w));

describe('mr apply <plan.json>', () => {
  test('a fresh saved plan applies; the world ends failed over', async () => {
    const file = join(world.stateDir, 'plan.json');
    const planned = await world.mr(['failover', 'eu-west-1', '--dry-run', '--out', file, '--var', 'bake=0s']);
    assert.equal(planned.code, 0, planned.stderr);
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating).length, 0, 'saving a plan changes nothing');
    const saved = JSON.parse(await readFile(file, 'utf8')) as { version: number; playbook: string; fingerprint: string };
    assert.equal(saved.version, 1);
    assert.equal(saved.playbook, 'failover');

    const applied = await world.mr(['apply', file, '--yes']);
    assert.equal(applied.code, 0, applied.stderr);
    const s = await worldState(world.aws);
    assert.equal(s.writer, failedOverToEuw1.writer);
    assert.equal(s.cachePrimary, failedOverToEuw1.cachePrimary);
    assert.deepEqual(s.weights, failedOverToEuw1.weights);
    const plan = (await auditEvents(world.stateDir)).find((e) => e.type === 'plan')?.data?.plan as { command: string; playbook: string };
    assert.equal(plan.command, 'failover eu-west-1');
    assert.equal(plan.playbook, 'failover');
  });

  test('a plan whose world moved is refused as stale, naming what changed, and nothing is applied', async () => {
    const file = join(world.stateDir, 'plan.json');
    assert.equal((await world.mr(['failover', 'eu-west-1', '--dry-run', '--out', file])).code, 0);
    // Someone scales the target by hand after the plan was saved (its MinCapacity too, or the idle
    // standby's scaling policy would scale it back in to 2 before the apply).
    await world.aws.mutating(recordingSink()).applicationAutoScaling('eu-west-1').setEcsCapacityRange('demo-euw1', 'api', { min: 3, max: 12 });
    await world.aws.mutating(recordingSink()).ecs('eu-west-1').updateDesiredCount('demo-euw1', 'api', 3);
    world.sandbox.control.clearCalls();

    const r = await world.mr(['apply', file, '--yes']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /plan is stale: the live state changed since it was saved/);
    assert.match(r.stderr, /scale-target: services\.0\.desired was 2, now 3/);
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating && !c.operation.startsWith('ChangeResourceRecordSets')).length, 0);
    assert.deepEqual(intents(await auditEvents(world.stateDir)), []);
  });

  test('a plan edited to another target is refused (exit 2, naming the step); the approval records the fingerprint (issue 11 item 4)', async () => {
    const euw1 = join(world.stateDir, 'euw1.json');
    const usw2 = join(world.stateDir, 'usw2.json');
    assert.equal((await world.mr(['failover', 'eu-west-1', '--dry-run', '--out', euw1])).code, 0);
    assert.equal((await world.mr(['failover', 'us-west-2', '--dry-run', '--out', usw2, '--var', 'bake=0s'])).code, 0);
    type Doc = { fingerprint: string; stages: { steps: { id: string; params: Record<string, unknown> }[] }[] };
    const a = JSON.parse(await readFile(euw1, 'utf8')) as Doc;
    const b = JSON.parse(await readFile(usw2, 'utf8')) as Doc;
    assert.notEqual(a.fingerprint, b.fingerprint, 'failover eu-west-1 and failover us-west-2 are different plans');

    for (const step of a.stages.flatMap((s) => s.steps)) if (step.id === 'switch-db') step.params.target = 'us-west-2';
    await writeFile(euw1, JSON.stringify(a));
    world.sandbox.control.clearCalls();
    const r = await world.mr(['apply', euw1, '--yes']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /euw1\.json: the plan does not match its fingerprint: step switch-db differs from what was planned/);
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating && c.operation !== 'ChangeResourceRecordSets').length, 0);
    assert.deepEqual(intents(await auditEvents(world.stateDir)), []);
    assert.equal((await worldState(world.aws)).writer, 'us-east-1');

    const ok = await world.mr(['apply', usw2, '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    const approval = (await auditEvents(world.stateDir)).find((e) => e.type === 'approval');
    assert.equal(approval?.data?.fingerprint, b.fingerprint);
  });

  test('plan files that are not plans, or for another topology, exit 2', async () => {
    const bad = join(world.stateDir, 'bad.json');
    await writeFile(bad, '{"version": 1, "stages": []}');
    const r1 = await world.mr(['apply', bad, '--yes']);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /bad\.json: plan is missing "id"/);

    const file = join(world.stateDir, 'plan.json');
    assert.equal((await world.mr(['failover', 'eu-west-1', '--dry-run', '--out', file])).code, 0);
    const other = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    other.topology = 'prod';
    await writeFile(file, JSON.stringify(other));
    const r2 = await world.mr(['apply', file, '--yes']);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /is a plan for topology "prod", not "demo"/);

    const r3 = await world.mr(['apply', join(world.stateDir, 'missing.json')]);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /missing\.json: cannot read the plan \(no such file\)/);
  });
});
