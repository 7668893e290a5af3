import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, fingerprint, firstEdit, stepDigests } from '../../src/engine/fingerprint.js';
import { refusalFor } from '../../src/engine/refusal.js';
import { RUN_ID_PATTERN, newRunId } from '../../src/engine/run-id.js';
import type { Check } from '../../src/engine/types.js';
import { plan, step } from '../helpers/engine-fixtures.js';

const lag: Check = {
  name: 'target lag under bound',
  passed: false,
  observed: 2400,
  bound: 1000,
  message: 'eu-west-1 lag 2400 ms is above the bound 1000 ms',
  override: '--skip-lag-check',
};
const healthy: Check = { name: 'target healthy', passed: false, observed: 'unhealthy', bound: 'healthy', message: 'eu-west-1 health check fails' };

describe('fingerprint', () => {
  test('does not depend on key order, does depend on observed values and step ids', () => {
    const a = [{ name: 's', parallel: false, steps: [step('a', { observed: { writer: 'us-east-1', lag: 80 } })] }];
    const b = [{ name: 's', parallel: false, steps: [step('a', { observed: { lag: 80, writer: 'us-east-1' } })] }];
    const c = [{ name: 's', parallel: false, steps: [step('a', { observed: { lag: 81, writer: 'us-east-1' } })] }];
    const d = [{ name: 's', parallel: false, steps: [step('b', { observed: { lag: 80, writer: 'us-east-1' } })] }];
    assert.equal(fingerprint(a), fingerprint(b));
    assert.notEqual(fingerprint(a), fingerprint(c));
    assert.notEqual(fingerprint(a), fingerprint(d));
    assert.match(fingerprint(a), /^[0-9a-f]{64}$/);
  });

  test('covers the command, params and planned changes too; firstEdit names the step an edit touched (issue 11 item 4)', () => {
    const at = (target: string) => [
      {
        name: 's',
        parallel: false,
        steps: [step('a', { observed: { writer: 'us-east-1' } }), step('switch-db', { params: { target }, observed: { writer: 'us-east-1' } })],
      },
    ];
    const header = { topology: 'demo', command: 'failover eu-west-1' };
    assert.notEqual(fingerprint(at('eu-west-1'), header), fingerprint(at('us-west-2'), header));
    assert.notEqual(fingerprint(at('eu-west-1'), header), fingerprint(at('eu-west-1'), { ...header, command: 'failover us-west-2' }));
    const stages = at('eu-west-1');
    const saved = { ...header, stages, fingerprint: fingerprint(stages, header), digests: stepDigests(stages) };
    assert.equal(firstEdit(saved), undefined);
    const edited = structuredClone(saved);
    edited.stages[0].steps[1].params.target = 'us-west-2';
    assert.equal(firstEdit(edited), 'step switch-db');
    const dropped = structuredClone(saved);
    dropped.stages[0].steps[1].changes = [];
    dropped.stages[0].steps[0].changes = [{ resource: 'r', attribute: 'x', from: 1, to: 2, risk: 'safe' }];
    assert.equal(firstEdit(dropped), 'step a');
    assert.equal(firstEdit({ ...saved, command: 'failover us-west-2' }), 'the command, playbook or parameters');
  });

  test('canonical JSON sorts keys and drops undefined', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] }), '{"a":[{"c":"x"}],"b":1}');
  });
});

describe('refusal', () => {
  // No separate override switch: an override flag changes the step's params, so its check passes.
  test('no failed checks, or only on no-op steps: no refusal', () => {
    assert.equal(refusalFor(plan([step('a', { checks: [{ ...lag, passed: true }] })])), null);
    assert.equal(refusalFor(plan([step('a', { checks: [healthy], noop: true })])), null);
  });

  test('one failed check names the step, the check, the value, the bound and the override flag', () => {
    assert.deepEqual(refusalFor(plan([step('switch-db', { checks: [lag] })])), {
      message: 'refused: switch-db: target lag under bound: eu-west-1 lag 2400 ms is above the bound 1000 ms (observed 2400, bound 1000)',
      hint: 'to override, re-run with --skip-lag-check',
    });
  });

  test('several failed checks, one without an override', () => {
    const r = refusalFor(plan([step('switch-db', { checks: [lag, healthy] })]));
    assert.deepEqual(r, {
      message:
        'refused by 2 checks:\n  switch-db: target lag under bound: eu-west-1 lag 2400 ms is above the bound 1000 ms (observed 2400, bound 1000)\n  switch-db: target healthy: eu-west-1 health check fails (observed unhealthy, bound healthy)',
      hint: '--skip-lag-check overrides some of these; the others cannot be overridden',
    });
    assert.deepEqual(refusalFor(plan([step('a', { checks: [healthy] })])), {
      message: 'refused: a: target healthy: eu-west-1 health check fails (observed unhealthy, bound healthy)',
    });
  });
});

describe('run ids', () => {
  test('sortable by time and readable', () => {
    assert.equal(newRunId(new Date('2026-11-21T07:16:00.123Z'), 'a1b2c3'), '20261121T071600Z-a1b2c3');
    const id = newRunId();
    assert.match(id, RUN_ID_PATTERN);
    assert.ok(newRunId(new Date('2026-01-01T00:00:00Z')) < newRunId(new Date('2026-01-01T00:00:01Z')));
  });
});
