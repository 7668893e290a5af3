import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { assertFresh, parseSavedPlan, staleDifferences } from '../../src/engine/stale.js';
import { RefusedError, UsageError, ExitCode } from '../../src/io/errors.js';
import type { Plan, PlannedStep } from '../../src/engine/types.js';

function step(id: string, observed: Record<string, unknown>): PlannedStep {
  return { id, kind: 'gate.health', title: id, params: {}, changes: [], checks: [], noop: false, data: {}, observed };
}

function plan(fingerprint: string, steps: PlannedStep[]): Plan {
  return {
    version: 1,
    id: '20260101T000000Z-abcdef',
    createdAt: '2026-01-01T00:00:00.000Z',
    topology: 'demo',
    command: 'failover eu-west-1',
    stages: [{ name: 's', parallel: false, steps }],
    fingerprint,
  };
}

describe('stale plans', () => {
  const saved = plan('aaa', [step('switch-db', { global: { status: 'available', writer: 'us-east-1' } }), step('scale', { desired: 2 })]);

  test('the same fingerprint is fresh', () => {
    assert.doesNotThrow(() => assertFresh(saved, plan('aaa', [])));
  });

  test('differences name the step, the dotted key and both values', () => {
    const live = plan('bbb', [
      step('switch-db', { global: { status: 'switching-over', writer: 'us-east-1' } }),
      step('scale', { desired: 2 }),
      step('extra', {}),
    ]);
    assert.deepEqual(staleDifferences(saved, live), [
      { step: 'switch-db', key: 'global.status', saved: 'available', live: 'switching-over' },
      { step: 'extra', key: '(step)', saved: 'absent', live: 'planned' },
    ]);
  });

  test('list items are compared one by one', () => {
    const a = plan('a', [
      step('scale', {
        services: [
          { name: 'api', desired: 2 },
          { name: 'worker', desired: 1 },
        ],
      }),
    ]);
    const b = plan('b', [
      step('scale', {
        services: [
          { name: 'api', desired: 3 },
          { name: 'worker', desired: 1 },
        ],
      }),
    ]);
    assert.deepEqual(staleDifferences(a, b), [{ step: 'scale', key: 'services.0.desired', saved: 2, live: 3 }]);
  });

  test('a stale plan is refused with exit 3, "plan is stale" and what changed', () => {
    const live = plan('bbb', [step('switch-db', { global: { status: 'available', writer: 'eu-west-1' } }), step('scale', {})]);
    assert.throws(
      () => assertFresh(saved, live),
      (e: unknown) => {
        assert.ok(e instanceof RefusedError);
        assert.equal(e.exitCode, ExitCode.Refused);
        assert.match(e.message, /^plan is stale: /);
        assert.match(e.message, /switch-db: global\.writer was us-east-1, now eu-west-1/);
        assert.match(e.message, /scale: desired was 2, now absent/);
        return true;
      },
    );
  });

  test('differing fingerprints with equal values are still refused', () => {
    assert.throws(() => assertFresh(saved, { ...saved, fingerprint: 'zzz' }), /plan is stale: .*fingerprint of the observed state differs/);
  });

  test('plan files: bad JSON, wrong version, missing fields are usage errors naming the file', () => {
    const bad = (text: string, re: RegExp) =>
      assert.throws(
        () => parseSavedPlan(text, 'p.json'),
        (e: unknown) => e instanceof UsageError && re.test(e.message),
      );
    bad('{', /^p\.json: not a plan file \(not JSON/);
    bad('[]', /expected a JSON object/);
    bad(JSON.stringify({ ...saved, version: 2 }), /version 2, expected 1/);
    bad(JSON.stringify({ ...saved, fingerprint: undefined }), /missing "fingerprint"/);
    bad(JSON.stringify({ ...saved, stages: [] }), /no stages/);
    bad(JSON.stringify({ ...saved, stages: [{ name: 's', steps: [{ id: 'x', kind: 'wait' }] }] }), /steps\[0\] is not a planned step/);
    assert.equal(parseSavedPlan(JSON.stringify(saved), 'p.json').fingerprint, 'aaa');
  });
});
