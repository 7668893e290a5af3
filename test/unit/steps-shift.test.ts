// route53.shift planning against given record sets: targets, no-op, never-all-zero, the health
// gate, the UPSERTs keeping every other field, and the one line when Route 53 does not answer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FailedError } from '../../src/io/errors.js';
import type { ShiftData } from '../../src/steps/route53-shift-plan.js';
import { route53Shift } from '../../src/steps/route53-shift.js';

const planShift = route53Shift.plan;
import { weightChanges } from '../../src/steps/route53-shift.js';
import { FakeState } from './steps-fake-aws.js';

const data = (step: { data: Record<string, unknown> }) => step.data as unknown as ShiftData;

describe('route53.shift plan', () => {
  test('--to: a change per moving weight, one sub-step, the target region health-gated', async () => {
    const s = new FakeState();
    const step = await planShift('shift', { to: 'eu-west-1' }, s.ctx());
    assert.equal(step.noop, false);
    assert.deepEqual(
      step.changes.map((c) => `${c.resource} ${c.attribute} ${c.from}->${c.to}`),
      [
        'record api.demo.example.com. A weight use1 (us-east-1) 100->0',
        'record api.demo.example.com. A weight euw1 (eu-west-1) 0->100',
        'record app.demo.example.com. CNAME weight use1 (us-east-1) 100->0',
        'record app.demo.example.com. CNAME weight euw1 (eu-west-1) 0->100',
      ],
    );
    assert.deepEqual(
      step.checks.map((c) => [c.name, c.passed]),
      [
        ['weighted records found', true],
        ['never all weights zero', true],
        ['eu-west-1 healthy', true],
      ],
    );
    assert.deepEqual(Object.keys(data(step).gateChecks), ['eu-west-1']);
    assert.equal(data(step).subSteps.length, 1);
  });

  test('steps 10,50,100 give three sub-steps', async () => {
    const s = new FakeState();
    const step = await planShift('shift', { to: 'eu-west-1', steps: [10, 50, 100], bake: '2s' }, s.ctx());
    const d = data(step);
    assert.deepEqual(
      d.subSteps.map((x) => x.groups['api.demo.example.com. A']),
      [
        { 'us-east-1': 90, 'eu-west-1': 10, 'us-west-2': 0 },
        { 'us-east-1': 50, 'eu-west-1': 50, 'us-west-2': 0 },
        { 'us-east-1': 0, 'eu-west-1': 100, 'us-west-2': 0 },
      ],
    );
    assert.equal(d.bakeMs, 2000);
    assert.match(step.title, /in steps 10,50,100%, baking 2s/);
  });

  test('already at the target: no-op, no health read', async () => {
    const s = new FakeState();
    const step = await planShift('shift', { weights: { 'us-east-1': 100 } }, s.ctx());
    assert.equal(step.noop, true);
    assert.deepEqual(step.changes, []);
    assert.equal(s.calls.filter((c) => c.endsWith('GetHealthCheckStatus')).length, 0);
  });

  test('every weight zero is refused, naming the record', async () => {
    const s = new FakeState();
    const step = await planShift('shift', { weights: { 'us-east-1': 0 } }, s.ctx());
    const c = step.checks.find((x) => x.name === 'never all weights zero')!;
    assert.equal(c.passed, false);
    assert.equal(c.override, undefined);
    assert.match(c.message, /record api\.demo\.example\.com\. A would have every weight 0/);
  });

  test('an unhealthy target fails the gate check, overridable with --no-gate; gate:false skips it', async () => {
    const s = new FakeState();
    s.healthy['eu-west-1'] = false;
    const step = await planShift('shift', { to: 'eu-west-1' }, s.ctx());
    const c = step.checks.find((x) => x.name === 'eu-west-1 healthy')!;
    assert.equal(c.passed, false);
    assert.equal(c.override, '--no-gate');
    const ungated = await planShift('shift', { to: 'eu-west-1', gate: false }, s.ctx());
    assert.equal(
      ungated.checks.some((x) => x.name.endsWith('healthy')),
      false,
    );
    assert.deepEqual(data(ungated).gateChecks, {});
  });

  test('a set identifier missing from the zone fails a check', async () => {
    const s = new FakeState();
    s.records = s.records.filter((r) => !(r.type === 'CNAME' && r.setIdentifier === 'usw2'));
    const step = await planShift('shift', { to: 'eu-west-1' }, s.ctx());
    const c = step.checks.find((x) => x.name === 'weighted records found')!;
    assert.equal(c.passed, false);
    assert.match(c.message, /app\.demo\.example\.com\. CNAME has no record with SetIdentifier usw2 \(us-west-2\)/);
  });

  test('UPSERTs keep every other field of the record as read', async () => {
    const s = new FakeState();
    s.records[1].extra = { MultiValueAnswer: false };
    const step = await planShift('shift', { to: 'eu-west-1' }, s.ctx());
    const d = data(step);
    const changes = weightChanges(d, d.from, d.subSteps[0].groups);
    assert.equal(changes.length, 4);
    const euw1 = changes.find((c) => c.record.type === 'A' && c.record.setIdentifier === 'euw1')!;
    assert.deepEqual(euw1, {
      action: 'UPSERT',
      record: {
        name: 'api.demo.example.com.',
        type: 'A',
        setIdentifier: 'euw1',
        weight: 100,
        ttl: 60,
        values: ['euw1.example.net'],
        healthCheckId: 'hc-euw1',
        extra: { MultiValueAnswer: false },
      },
    });
  });

  test('Route 53 not answering: one line pointing to health-check-driven failover', async () => {
    const s = new FakeState();
    s.down.add('us-east-1');
    await assert.rejects(planShift('shift', { to: 'eu-west-1' }, s.ctx()), (e: unknown) => {
      assert.ok(e instanceof FailedError);
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.message, /control plane \(us-east-1\) does not answer/);
      assert.match(e.message, /health-check-driven failover/);
      return true;
    });
  });
});
