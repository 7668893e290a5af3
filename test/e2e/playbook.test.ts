// `mr run <playbook>`: bad playbooks and parameters stop with exit 2 before any call; the bundled
// drain and restore take a region out of rotation and bring it back.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { worldState, type World, useWorld } from './playbook-harness.js';

let world: World;
useWorld((w) => (world = w));

const playbook = (steps: string) => `version: 1
name: custom
params:
  target: { type: region, required: true }
stages:
  - name: check
    steps:
${steps}`;

/** Runs mr, expects exit 2 with one error line matching `re`, and no AWS call at all. */
async function usage(args: string[], re: RegExp): Promise<void> {
  world.sandbox.control.clearCalls();
  const r = await world.mr(args);
  assert.equal(r.code, 2, `exit ${r.code}\n${r.stderr}`);
  assert.match(r.stderr, re);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(world.sandbox.control.calls().filter((c) => c.mutating).length, 0);
}

describe('mr run: bad playbooks and parameters exit 2, naming the step', () => {
  test('an unknown step kind names the file, line and step', async () => {
    const file = join(world.stateDir, 'bad-kind.yaml');
    await writeFile(file, playbook('      - id: healthy\n        kind: gate.helth\n        with: { region: "{{ target }}" }\n'));
    await usage(['run', file, '--var', 'target=eu-west-1'], /bad-kind\.yaml:9: step "healthy": kind: .*gate\.health/);
  });

  test('a parameter a step does not take names the step and the line', async () => {
    const file = join(world.stateDir, 'bad-param.yaml');
    await writeFile(file, playbook('      - id: scale\n        kind: ecs.scale\n        with: { region: "{{ target }}", capacity: true, count: 3 }\n'));
    await usage(['run', file, '--var', 'target=eu-west-1'], /bad-param\.yaml:10: step "scale": with\.count: ecs\.scale does not take "count"/);
  });

  test('an undeclared placeholder is named with its step', async () => {
    const file = join(world.stateDir, 'bad-ref.yaml');
    await writeFile(file, playbook('      - id: healthy\n        kind: gate.health\n        with: { region: "{{ tagret }}" }\n'));
    await usage(['run', file, '--var', 'target=eu-west-1'], /bad-ref\.yaml:10: step "healthy": with\.region: \{\{ tagret \}\} is not a declared parameter/);
  });

  test('unknown, missing and out-of-topology parameters', async () => {
    await usage(['failover', 'eu-west-1', '--var', 'bak=1s'], /unknown parameter "bak" \(--var bak=\.\.\.\); this playbook takes target, maxLagMs, bake/);
    await usage(['run', 'drain', '--var', 'region=us-west-2'], /parameter "to" is required/);
    await usage(['run', 'drain', '--var', 'region=ap-south-1', '--var', 'to=eu-west-1'], /parameter "region": region "ap-south-1" is not in the topology/);
    await usage(['run', 'restore', '--var', 'region'], /--var region: expected name=value/);
    await usage(['run', 'nosuch'], /playbook "nosuch" not found/);
  });

  test('broken YAML names the line', async () => {
    const file = join(world.stateDir, 'broken.yaml');
    await writeFile(file, 'version: 1\nname: x\nstages:\n  - name: a\n    steps: [ {id: x\n');
    await usage(['run', file], /broken\.yaml:\d+: not valid YAML/);
  });
});

describe('mr run: region lifecycle', () => {
  test('drain takes us-east-1 out of rotation (to eu-west-1), restore brings it back', async () => {
    const drained = await world.mr(['run', 'drain', '--var', 'region=us-east-1', '--var', 'to=eu-west-1', '--var', 'bake=0s', '--yes']);
    assert.equal(drained.code, 0, drained.stderr);
    let s = await worldState(world.aws);
    assert.deepEqual(s.weights?.['api.demo.example.com.'], { use1: 0, euw1: 100, usw2: 0 });
    assert.deepEqual(s.ecs['eu-west-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });
    assert.deepEqual(s.ecs['us-east-1'], { api: { desired: 0, running: 0 }, worker: { desired: 0, running: 0 } });
    // Draining traffic does not move the data tier.
    assert.equal(s.writer, 'us-east-1');

    const restored = await world.mr(['run', 'restore', '--var', 'region=us-east-1', '--var', 'bake=0s', '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    s = await worldState(world.aws);
    assert.deepEqual(s.weights?.['api.demo.example.com.'], { use1: 100, euw1: 100, usw2: 0 });
    assert.deepEqual(s.ecs['us-east-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });
    assert.match(restored.stdout, /Timing report, run \S+/);
  });
});
