import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeReport, renderReport, timingsFromRecord, type RunTimings } from '../../src/engine/report.js';
import { rpoOf } from '../../src/steps/index.js';
import type { RunRecord } from '../../src/engine/run-record.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + s * 1000).toISOString();

function planned(): RunTimings {
  return {
    runId: 'run-1',
    mutations: [at(10)],
    completed: true,
    steps: [
      { id: 'target-healthy', kind: 'gate.health', stage: 'preflight', outcome: 'noop' },
      { id: 'scale-target', kind: 'ecs.scale', stage: 'capacity', startedAt: at(10), endedAt: at(40), outcome: 'succeeded' },
      { id: 'switch-db', kind: 'aurora.switchover', stage: 'data', startedAt: at(40), endedAt: at(100), outcome: 'succeeded', params: { target: 'eu-west-1' }, data: { lagMs: 80 }, observed: { global: {} } },
      { id: 'promote-cache', kind: 'redis.failover', stage: 'data', startedAt: at(40), endedAt: at(90), outcome: 'succeeded' },
      { id: 'shift-traffic', kind: 'route53.shift', stage: 'traffic', startedAt: at(100), endedAt: at(160), outcome: 'succeeded' },
    ],
  };
}

describe('timing report', () => {
  test('durations per step, RTO from the first mutation to the last verified step, RPO from the Aurora lag', () => {
    const r = computeReport([planned()]);
    assert.deepEqual(r.steps.map((s) => [s.id, s.durationMs ?? null, s.outcome]), [
      ['target-healthy', null, 'noop'],
      ['scale-target', 30_000, 'succeeded'],
      ['switch-db', 60_000, 'succeeded'],
      ['promote-cache', 50_000, 'succeeded'],
      ['shift-traffic', 60_000, 'succeeded'],
    ]);
    assert.deepEqual(r.rto, { ms: 150_000, from: at(10), to: at(160), verified: true });
    assert.equal(r.rpo?.boundMs, 80);
    assert.equal(r.rpo?.step, 'switch-db');
    assert.equal(r.rpo?.region, 'eu-west-1');
    assert.match(r.rpo?.note ?? '', /no committed data/);
  });

  test('gates checked at run time show as passed; a verify gate last ends the RTO', () => {
    const t = planned();
    t.steps[0] = { ...t.steps[0], startedAt: at(9), endedAt: at(10), outcome: 'succeeded' };
    t.steps.push({ id: 'verify-target-healthy', kind: 'gate.health', stage: 'verify', startedAt: at(160), endedAt: at(162), outcome: 'succeeded' });
    const r = computeReport([t]);
    assert.deepEqual(r.rto, { ms: 152_000, from: at(10), to: at(162), verified: true });
    // The document keeps the engine's status; the text says what a gate did.
    assert.equal(r.steps[5].outcome, 'succeeded');
    const text = renderReport(r).join('\n');
    assert.match(text, /preflight\s+target-healthy\s+gate\.health\s+\S+\s+\S+\s+1\.0s\s+passed/);
    assert.match(text, /verify\s+verify-target-healthy\s+gate\.health\s+\S+\s+\S+\s+2\.0s\s+passed/);
    assert.match(text, /capacity\s+scale-target\s+ecs\.scale\s+\S+\s+\S+\s+30\.0s\s+succeeded/);
  });

  test('no mutation: no RTO; no Aurora step: no RPO', () => {
    const r = computeReport([{ runId: 'r', mutations: [], completed: true, steps: [{ id: 'g', kind: 'gate.health', stage: 's', outcome: 'noop' }] }]);
    assert.equal(r.rto, null);
    assert.equal(r.rpo, null);
    assert.match(renderReport(r).join('\n'), /RTO: no change was made[\s\S]*RPO bound: no Aurora cut/);
  });

  test('a resumed run keeps the timings of steps its predecessor did, and the RTO spans both', () => {
    const first = planned();
    first.completed = false;
    first.steps[4] = { ...first.steps[4], endedAt: undefined, outcome: 'interrupted' };
    const second: RunTimings = {
      runId: 'run-2',
      mutations: [at(200)],
      completed: true,
      steps: [
        { id: 'target-healthy', kind: 'gate.health', stage: 'preflight', outcome: 'noop' },
        { id: 'scale-target', kind: 'ecs.scale', stage: 'capacity', outcome: 'noop' },
        { id: 'switch-db', kind: 'aurora.switchover', stage: 'data', outcome: 'noop', data: { lagMs: 5 } },
        { id: 'promote-cache', kind: 'redis.failover', stage: 'data', outcome: 'noop' },
        { id: 'shift-traffic', kind: 'route53.shift', stage: 'traffic', startedAt: at(200), endedAt: at(230), outcome: 'succeeded' },
      ],
    };
    const r = computeReport([first, second]);
    assert.deepEqual(r.continues, ['run-1']);
    assert.equal(r.steps[2].fromRun, 'run-1');
    assert.equal(r.steps[2].durationMs, 60_000);
    assert.equal(r.steps[4].fromRun, undefined);
    assert.deepEqual(r.rto, { ms: 220_000, from: at(10), to: at(230), verified: true });
    // The cut was made by run-1's switchover, with its lag; run-2's noop re-plan does not count.
    assert.equal(r.rpo?.boundMs, 80);
  });

  test('an unplanned failover reports its lag as data at risk; a run that stopped is not "verified"', () => {
    const t = planned();
    t.completed = false;
    t.steps[2] = { ...t.steps[2], kind: 'aurora.failover', data: { dataAtRiskMs: 450 }, observed: {} };
    const r = computeReport([t]);
    assert.equal(r.rpo?.boundMs, 450);
    assert.match(r.rpo?.note ?? '', /lost, up to this bound/);
    assert.equal(r.rto?.verified, false);
    assert.match(renderReport(r).join('\n'), /RTO, first change to last finished step \(run did not finish\): 2m30s/);
  });

  test('the data-loss bound is the Aurora step kinds\' own (rpo), not any key that looks like a lag', () => {
    assert.equal(rpoOf('aurora.switchover', { lagMs: 12 }), 12);
    assert.equal(rpoOf('aurora.switchover', { lagMs: null }), undefined);
    assert.equal(rpoOf('aurora.failover', { dataAtRiskMs: 450 }), 450);
    assert.equal(rpoOf('aurora.failover', undefined), undefined);
    assert.equal(rpoOf('gate.lag', { bound: 1000, lagMs: 5 }), undefined);
  });

  test('rendered text names every step, its times and the totals', () => {
    const text = renderReport(computeReport([planned()])).join('\n');
    assert.match(text, /^Timing report, run run-1$/m);
    assert.match(text, /data\s+switch-db\s+aurora\.switchover\s+12:00:40\.000\s+12:01:40\.000\s+1m\s+succeeded/);
    assert.match(text, /RTO, first change to verified: 2m30s \(12:00:10\.000 to 12:02:40\.000\)/);
    assert.match(text, /RPO bound, replication lag at the cut: 80 ms \(switch-db, eu-west-1\)/);
  });

  test('a run record converts: skipped is noop, a step left running is interrupted, plan data is attached', () => {
    const rec = {
      version: 1,
      runId: 'r1',
      outcome: 'running',
      firstMutationAt: at(1),
      plan: { stages: [{ name: 'data', parallel: true, steps: [{ id: 'switch-db', title: 'Switch', params: { target: 'eu-west-1' }, data: { lagMs: 7 }, observed: {} }, { id: 'g', title: 'G', params: {}, data: {}, observed: {} }] }] },
      steps: [
        { id: 'switch-db', kind: 'aurora.switchover', stage: 'data', status: 'running', startedAt: at(1), mutations: 1 },
        { id: 'g', kind: 'gate.health', stage: 'data', status: 'skipped', mutations: 0 },
      ],
    } as unknown as RunRecord;
    const t = timingsFromRecord(rec);
    assert.equal(t.completed, false);
    assert.deepEqual(t.mutations, [at(1)]);
    assert.deepEqual(t.steps.map((s) => s.outcome), ['interrupted', 'noop']);
    assert.equal(t.steps[0].data?.lagMs, 7);
    assert.equal(t.steps[0].title, 'Switch');
  });
});
