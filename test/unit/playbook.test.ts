import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePlaybook, loadPlaybook } from '../../src/playbooks/load.js';
import { parseVarFlags, resolveParams, substitute } from '../../src/playbooks/params.js';
import { toRunSpec } from '../../src/playbooks/spec.js';
import { playbookJsonSchema } from '../../src/playbooks/schema.js';
import { checkStepParams } from '../../src/steps/index.js';
import { dropSteps } from '../../src/playbooks/degrade.js';
import { skippableSteps } from '../../src/playbooks/spec.js';
import { UsageError, ExitCode } from '../../src/io/errors.js';
import { playbooksDir } from '../helpers/paths.js';

const regions = ['us-east-1', 'eu-west-1', 'us-west-2'];

const good = `version: 1
name: move
description: test
params:
  target: { type: region, required: true }
  bake: { type: string, default: 5s }
  maxLagMs: { type: number }
  pct: { type: number, default: 50 }
region: "{{ target }}"
stages:
  - name: preflight
    parallel: true
    steps:
      - id: healthy
        kind: gate.health
        with: { region: "{{ target }}" }
      - id: lag
        kind: gate.lag
        with: { region: "{{ target }}", maxLagMs: "{{ maxLagMs }}" }
  - name: traffic
    steps:
      - id: shift
        kind: route53.shift
        with:
          to: "{{ target }}"
          steps: ["{{ pct }}", 100]
          bake: "{{ bake }}"
      - id: note
        kind: approval
        with: { message: "moving to {{ target }} after {{ bake }}" }
`;

/** Run fn, expect a UsageError (exit 2), return its message. */
function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected UsageError, got ${String(e)}`);
    assert.equal(e.exitCode, ExitCode.Usage);
    return e.message;
  }
  assert.fail('expected a UsageError');
}

describe('playbook schema and loading', () => {
  test('a valid playbook loads with defaults filled', () => {
    const { playbook } = parsePlaybook(good, 'move.yaml');
    assert.equal(playbook.name, 'move');
    assert.equal(playbook.stages[0].parallel, true);
    assert.equal(playbook.stages[1].parallel, false);
    assert.equal(playbook.params.target.required, true);
    assert.equal(playbook.params.bake.required, false);
  });

  test('an unknown step kind names the file, line and step', () => {
    const text = good.replace('kind: gate.lag', 'kind: gate.lagg');
    const msg = usage(() => parsePlaybook(text, 'move.yaml'));
    assert.match(msg, /^move\.yaml:18: step "lag": kind: /);
    assert.match(msg, /gate\.lag/);
  });

  test('an unknown key in a step names its line', () => {
    const text = good.replace('      - id: shift\n', '      - id: shift\n        parralel: true\n');
    const msg = usage(() => parsePlaybook(text, 'move.yaml'));
    assert.match(msg, /^move\.yaml:2[0-9]: step "shift": /);
    assert.match(msg, /parralel/);
  });

  test('a placeholder for an undeclared parameter is refused with its step', () => {
    const text = good.replace('with: { region: "{{ target }}" }', 'with: { region: "{{ tagret }}" }');
    const msg = usage(() => parsePlaybook(text, 'move.yaml'));
    assert.match(msg, /^move\.yaml:16: step "healthy": with\.region: \{\{ tagret \}\} is not a declared parameter/);
  });

  test('duplicate step ids are refused naming the second', () => {
    const text = good.replace('id: lag', 'id: healthy');
    const msg = usage(() => parsePlaybook(text, 'move.yaml'));
    assert.match(msg, /move\.yaml:17: step "healthy": id: step id "healthy" is already used in stage "preflight"/);
  });

  test('broken YAML names the line', () => {
    const msg = usage(() => parsePlaybook('version: 1\nname: x\nstages: [\n  - {id: a\n', 'bad.yaml'));
    assert.match(msg, /^bad\.yaml:\d+: not valid YAML/);
  });

  test('a missing stages key and a wrong version are named', () => {
    assert.match(
      usage(() => parsePlaybook('version: 1\nname: x\n', 'a.yaml')),
      /^a\.yaml:1: stages: /,
    );
    assert.match(
      usage(() => parsePlaybook(good.replace('version: 1', 'version: 2'), 'a.yaml')),
      /^a\.yaml:1: version: /,
    );
  });

  test('a number parameter with a string default is refused', () => {
    const msg = usage(() => parsePlaybook(good.replace('default: 50', 'default: half'), 'a.yaml'));
    assert.match(msg, /a\.yaml:8: params\.pct\.default: a number parameter needs a number default/);
  });

  test('a file that does not exist is a usage error naming it', async () => {
    await assert.rejects(
      loadPlaybook('/nonexistent/x.yaml'),
      (e: unknown) => e instanceof UsageError && /x\.yaml: cannot read the playbook \(no such file\)/.test(e.message),
    );
  });

  test('the JSON Schema describes the top-level keys and step kinds', () => {
    const schema = playbookJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    assert.deepEqual(Object.keys(schema.properties).sort(), ['description', 'name', 'params', 'region', 'stages', 'version']);
    assert.ok(schema.required.includes('stages'));
    assert.match(JSON.stringify(schema), /"aurora\.switchover"/);
  });
});

describe('parameters', () => {
  const { playbook } = parsePlaybook(good, 'move.yaml');

  test('--var flags parse, and malformed ones are usage errors', () => {
    assert.deepEqual(parseVarFlags(['target=eu-west-1', 'bake=1s']), { target: 'eu-west-1', bake: '1s' });
    assert.deepEqual(parseVarFlags(['msg=a=b']), { msg: 'a=b' });
    assert.match(
      usage(() => parseVarFlags(['target'])),
      /--var target: expected name=value/,
    );
    assert.match(
      usage(() => parseVarFlags(['a=1', 'a=2'])),
      /--var a is given twice/,
    );
  });

  test('values are typed and defaults filled', () => {
    const p = resolveParams('move.yaml', playbook, { target: 'eu-west-1', maxLagMs: '250' }, regions);
    assert.deepEqual(p, { target: 'eu-west-1', bake: '5s', maxLagMs: 250, pct: 50 });
  });

  test('an unknown parameter is named with the ones the playbook takes', () => {
    const msg = usage(() => resolveParams('move.yaml', playbook, { target: 'eu-west-1', tagret: 'x' }, regions));
    assert.match(msg, /unknown parameter "tagret".*takes target, bake, maxLagMs, pct/);
  });

  test('a missing required parameter, a region outside the topology, a non-number are refused', () => {
    assert.match(
      usage(() => resolveParams('move.yaml', playbook, {}, regions)),
      /parameter "target" is required/,
    );
    assert.match(
      usage(() => resolveParams('move.yaml', playbook, { target: 'ap-south-1' }, regions)),
      /region "ap-south-1" is not in the topology/,
    );
    assert.match(
      usage(() => resolveParams('move.yaml', playbook, { target: 'eu-west-1', pct: 'ten' }, regions)),
      /"pct" must be a number, got "ten"/,
    );
  });

  test("substitution keeps a whole placeholder's type, interpolates inside text, drops unset optionals", () => {
    const out = substitute({ a: '{{ n }}', b: 'to {{ r }} now', c: ['{{ n }}', 100], d: '{{ unset }}', '{{ r }}': 0 }, { n: 10, r: 'eu-west-1' });
    assert.deepEqual(out, { a: 10, b: 'to eu-west-1 now', c: [10, 100], 'eu-west-1': 0 });
  });
});

describe('playbook to RunSpec', () => {
  const loaded = parsePlaybook(good, 'move.yaml');

  test('stages, steps and params come out substituted', () => {
    const spec = toRunSpec(loaded, { command: 'run move', vars: { target: 'eu-west-1' }, regions });
    assert.equal(spec.playbook, 'move');
    assert.equal(spec.region, 'eu-west-1');
    assert.deepEqual(spec.vars, { target: 'eu-west-1', bake: '5s', pct: '50' });
    assert.deepEqual(
      spec.stages.map((s) => [s.name, s.parallel, s.steps.map((t) => t.id)]),
      [
        ['preflight', true, ['healthy', 'lag']],
        ['traffic', false, ['shift', 'note']],
      ],
    );
    // maxLagMs was not given: the key is dropped so the step uses the topology's bound.
    assert.deepEqual(spec.stages[0].steps[1].params, { region: 'eu-west-1' });
    assert.deepEqual(spec.stages[1].steps[0].params, { to: 'eu-west-1', steps: [50, 100], bake: '5s' });
    assert.deepEqual(spec.stages[1].steps[1].params, { message: 'moving to eu-west-1 after 5s' });
  });

  test('a substituted value a step does not accept names the step and the line', () => {
    const msg = usage(() => toRunSpec(loaded, { command: 'run move', vars: { target: 'eu-west-1', pct: '150' }, regions }));
    assert.match(msg, /^move\.yaml:26: step "shift": with\.steps: each percentage must be a whole number from 1 to 100/);
  });

  test('a text placeholder with no value names the step', () => {
    const text = good.replace('bake: { type: string, default: 5s }', 'bake: { type: string }');
    const msg = usage(() => toRunSpec(parsePlaybook(text, 'move.yaml'), { command: 'run move', vars: { target: 'eu-west-1' }, regions }));
    assert.match(msg, /move\.yaml:30: step "note": with\.message: \{\{ bake \}\} has no value: pass --var bake=/);
  });
});

describe('step parameter checks', () => {
  test('unknown keys, missing keys and one-of pairs', () => {
    assert.match(checkStepParams('gate.health', { region: 'eu-west-1', regoin: 'x' }, regions)[0].message, /does not take "regoin"/);
    assert.match(checkStepParams('aurora.switchover', {}, regions)[0].message, /needs "target"/);
    assert.match(checkStepParams('route53.shift', { to: 'eu-west-1', weights: { 'eu-west-1': 1 } }, regions)[0].message, /exactly one of "to" or "weights"/);
    assert.match(checkStepParams('ecs.scale', { region: 'eu-west-1' }, regions)[0].message, /exactly one of "to" or "capacity"/);
    assert.equal(checkStepParams('wait', { duration: '1m30s' }, regions).length, 0);
    assert.match(checkStepParams('wait', { duration: 'soon' }, regions)[0].message, /duration/);
    assert.match(checkStepParams('route53.shift', { weights: { 'ap-south-1': 1 } }, regions)[0].message, /"ap-south-1" is not in the topology/);
    // Gates take a run-time window; gate.lag takes the same bound as the switchover (0 included).
    assert.equal(checkStepParams('gate.health', { region: 'eu-west-1', within: '30s' }, regions).length, 0);
    assert.match(checkStepParams('gate.lag', { region: 'eu-west-1', within: 'a while' }, regions)[0].message, /duration/);
    assert.equal(checkStepParams('gate.lag', { region: 'eu-west-1', maxLagMs: 0 }, regions).length, 0);
  });
});

describe('the shipped playbooks', () => {
  test('every playbook in playbooks/ loads and converts for the demo regions', async () => {
    const files = (await readdir(playbooksDir)).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.includes('failover.yaml') && files.includes('failover-unplanned.yaml') && files.includes('drain.yaml') && files.includes('restore.yaml'));
    for (const f of files) {
      const loaded = await loadPlaybook(join(playbooksDir, f));
      const vars: Record<string, string> = {};
      for (const [name, p] of Object.entries(loaded.playbook.params)) {
        if (p.required)
          vars[name] = p.type === 'region' ? (name === 'source' || name === 'region' ? 'us-east-1' : 'eu-west-1') : p.type === 'number' ? '1' : 'x';
      }
      const spec = toRunSpec(loaded, { command: `run ${f}`, vars, regions });
      assert.ok(spec.stages.length > 0, f);
    }
  });

  test('planned failover: preflight gates, capacity, data in parallel, stepped traffic, verify; the lag bound reaches gate and switchover', async () => {
    const spec = toRunSpec(await loadPlaybook(join(playbooksDir, 'failover.yaml')), { command: 'failover eu-west-1', vars: { target: 'eu-west-1' }, regions });
    const kinds = spec.stages.map((s) => [s.name, s.parallel, s.steps.map((t) => t.kind)]);
    assert.deepEqual(kinds, [
      ['preflight', false, ['gate.health', 'gate.lag']],
      ['capacity', false, ['ecs.scale']],
      ['data', true, ['aurora.switchover', 'redis.failover']],
      ['traffic', false, ['route53.shift', 'route53.point', 'route53.drain']],
      ['verify', false, ['gate.health']],
    ]);
    assert.deepEqual(spec.stages[0].steps[1].params, { region: 'eu-west-1' });
    assert.deepEqual(spec.stages[2].steps[0].params, { target: 'eu-west-1' });
    assert.deepEqual(spec.stages[4].steps[0].params, { region: 'eu-west-1' });
    const bounded = toRunSpec(await loadPlaybook(join(playbooksDir, 'failover.yaml')), {
      command: 'failover eu-west-1',
      vars: { target: 'eu-west-1', maxLagMs: '250' },
      regions,
    });
    assert.deepEqual(bounded.stages[0].steps[1].params, { region: 'eu-west-1', maxLagMs: 250 });
    assert.deepEqual(bounded.stages[2].steps[0].params, { target: 'eu-west-1', maxLagMs: 250 });
    const shift = spec.stages[3].steps[0].params;
    assert.equal(shift.to, 'eu-west-1');
    assert.deepEqual(shift.steps, [10, 50, 100]);
  });

  test('unplanned failover acts from the target region only', async () => {
    const spec = toRunSpec(await loadPlaybook(join(playbooksDir, 'failover-unplanned.yaml')), {
      command: 'failover eu-west-1 --unplanned',
      vars: { target: 'eu-west-1' },
      regions,
    });
    assert.equal(spec.region, 'eu-west-1');
    const steps = spec.stages.flatMap((s) => s.steps);
    assert.ok(steps.some((s) => s.kind === 'aurora.failover'));
    assert.ok(!steps.some((s) => s.kind === 'aurora.switchover'));
    // Every region a step names is the target; and some steps do name one (else the loop checks nothing).
    const named = steps.flatMap((s) =>
      (['region', 'target', 'to'] as const).filter((key) => key in s.params).map((key): [string, unknown] => [`${s.id}.${key}`, s.params[key]]),
    );
    assert.ok(named.length >= 3, `regions named: ${JSON.stringify(named)}`);
    for (const [where, value] of named) assert.equal(value, 'eu-west-1', where);
  });
});

describe('steps left out when Route 53 does not answer', () => {
  test('skipWhen marks steps; dropping them removes emptied stages and names what went', async () => {
    const loaded = await loadPlaybook(join(playbooksDir, 'failover-unplanned.yaml'));
    assert.deepEqual(skippableSteps(loaded), ['target-healthy', 'shift-traffic', 'point-data', 'drain-others', 'verify-target-healthy']);
    const spec = toRunSpec(loaded, { command: 'failover eu-west-1 --unplanned', vars: { target: 'eu-west-1' }, regions });
    const { spec: out, dropped } = dropSteps(spec, skippableSteps(loaded));
    assert.deepEqual(dropped, [
      'target-healthy (gate.health)',
      'shift-traffic (route53.shift)',
      'point-data (route53.point)',
      'drain-others (route53.drain)',
      'verify-target-healthy (gate.health)',
    ]);
    assert.deepEqual(
      out.stages.map((s) => s.name),
      ['capacity', 'fence', 'data'],
    );
    assert.equal(out.region, 'eu-west-1');
  });

  test('skipWhen accepts only the one condition', () => {
    const text = good.replace('        with: { region: "{{ target }}" }\n', '        with: { region: "{{ target }}" }\n        skipWhen: always\n');
    assert.match(
      usage(() => parsePlaybook(text, 'move.yaml')),
      /step "healthy": skipWhen: /,
    );
  });
});
