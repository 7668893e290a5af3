// Issue 10 item 10: the unplanned failover fences the old primary region's writers (ECS services marked
// `writer: true`) before the data cut when that region answers, recorded like any change, and skips the
// fence with a message when it does not answer. Built CLI, real SDK clients, sandbox in this process.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { auditEvents, intents, openWorld, worldState, type World } from './playbook-harness.js';

let world: World;
before(async () => {
  world = await openWorld();
  // The demo topology names no writers; here us-east-1's api writes to the primary database.
  const topology = world.globals[world.globals.indexOf('--config') + 1];
  const text = await readFile(topology, 'utf8');
  const marked = text.replace(/(us-east-1:\n\s+cluster: demo-use1\n\s+services: \[)\{ name: api, capacity: 6 \}/, '$1{ name: api, capacity: 6, writer: true }');
  assert.notEqual(marked, text, 'the demo topology has the expected ECS block');
  await writeFile(topology, marked);
});
after(async () => world?.close());
beforeEach(async () => world.reset());

describe('fence stage of the unplanned failover', () => {
  test('the source answers: its writer services go to 0 before the Aurora cut, audited; the others keep running', async () => {
    const r = await world.mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr);
    const s = await worldState(world.aws);
    assert.equal(s.writer, 'eu-west-1');
    assert.equal(s.ecs['us-east-1'].api.desired, 0);
    assert.equal(s.ecs['us-east-1'].worker.desired, 4);
    const made = intents(await auditEvents(world.stateDir)).map((i) => `${i.step} ${i.operation} ${i.target}`);
    const fence = made.indexOf('fence-source UpdateService ecs demo-use1/api');
    assert.ok(fence >= 0, made.join('\n'));
    assert.ok(fence < made.findIndex((m) => m.includes('FailoverGlobalCluster')), 'fenced before the cut');
    // The demo's us-east-1 api is under Application Auto Scaling (MinCapacity 6): its minimum comes down first.
    assert.deepEqual(
      made.filter((m) => m.includes('demo-use1')),
      ['fence-source RegisterScalableTarget scalable target service/demo-use1/api', 'fence-source UpdateService ecs demo-use1/api'],
      'only the writer is touched in the source',
    );
    assert.match(r.stdout, /fence-source/);
  });

  test('the source does not answer: the fence is skipped with a message, the failover goes on', async () => {
    world.sandbox.control.setFaults({ regionsDown: ['us-east-1'] });
    const r = await world.mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /skipped: us-east-1 does not answer .*its writers \(api\) could not be fenced/);
    assert.equal((await worldState(world.aws, ['us-east-1'])).writer, 'eu-west-1');
    const made = intents(await auditEvents(world.stateDir));
    assert.deepEqual(
      made.filter((i) => i.step === 'fence-source' || i.target.includes('demo-use1')),
      [],
    );
  });
});
