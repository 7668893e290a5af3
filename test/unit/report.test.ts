import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeReport, renderReport } from '../../src/engine/report.js';
import { rpoOf } from '../../src/steps/index.js';
import type { RunRecord, RunStepRecord } from '../../src/engine/run-record.js';
import type { PlannedStep, RunOutcome, StepKind } from '../../src/engine/types.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + s * 1000).toISOString();

interface StepIn extends Partial<RunStepRecord> {
  id: string;
  kind: StepKind;
  stage: string;
  status: RunStepRecord['status'];
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  observed?: Record<string, unknown>;
}

/** A run record as the engine writes it: the plan's steps carry params, data and observed values. */
function record(runId: string, outcome: RunOutcome, steps: StepIn[], more: Partial<RunRecord> = {}): RunRecord {
  const planned: PlannedStep[] = steps.map((s) => ({
    id: s.id,
    kind: s.kind,
    title: `title of ${s.id}`,
    params: s.params ?? {},
    changes: [],
    checks: [],
    noop: s.status === 'skipped',
    data: s.data ?? {},
    observed: s.observed ?? {},
  }));
  const stages = [...new Set(steps.map((s) => s.stage))].map((name) => ({
    name,
    parallel: false,
    steps: planned.filter((p) => steps.find((s) => s.id === p.id)!.stage === name),
  }));
  return {
    version: 1,
    runId,
    topology: 'demo',
    command: 'failover eu-west-1',
    spec: { command: 'failover eu-west-1', stages: [] },
    argv: [],
    actor: { arn: 'a', osUser: 'u', host: 'h' },
    createdAt: at(0),
    updatedAt: at(0),
    outcome,
    plan: { version: 1, id: runId, createdAt: at(0), topology: 'demo', command: 'failover eu-west-1', stages, fingerprint: '' },
    auditLog: '/x',
    steps: steps.map(({ params: _p, data: _d, observed: _o, ...s }) => ({ mutations: 0, ...s })),
    ...more,
  };
}

function planned(): RunRecord {
  return record(
    'run-1',
    'succeeded',
    [
      { id: 'target-healthy', kind: 'gate.health', stage: 'preflight', status: 'skipped' },
      { id: 'scale-target', kind: 'ecs.scale', stage: 'capacity', startedAt: at(10), endedAt: at(40), status: 'succeeded', mutations: 2 },
      {
        id: 'switch-db',
        kind: 'aurora.switchover',
        stage: 'data',
        startedAt: at(40),
        endedAt: at(100),
        status: 'succeeded',
        mutations: 1,
        params: { target: 'eu-west-1' },
        data: { lagMs: 80 },
        observed: { global: {} },
      },
      { id: 'promote-cache', kind: 'redis.failover', stage: 'data', startedAt: at(40), endedAt: at(90), status: 'succeeded', mutations: 1 },
      { id: 'shift-traffic', kind: 'route53.shift', stage: 'traffic', startedAt: at(100), endedAt: at(160), status: 'succeeded', mutations: 3 },
    ],
    { firstMutationAt: at(10) },
  );
}

describe('timing report', () => {
  test('durations per step, RTO from the first mutation to the last verified step, RPO from the Aurora lag', () => {
    const r = computeReport([planned()]);
    assert.deepEqual(
      r.steps.map((s) => [s.id, s.durationMs ?? null, s.status]),
      [
        ['target-healthy', null, 'skipped'],
        ['scale-target', 30_000, 'succeeded'],
        ['switch-db', 60_000, 'succeeded'],
        ['promote-cache', 50_000, 'succeeded'],
        ['shift-traffic', 60_000, 'succeeded'],
      ],
    );
    assert.deepEqual(r.rto, { ms: 150_000, from: at(10), to: at(160), verified: true });
    assert.equal(r.changes, 7);
    assert.equal(r.rpo?.boundMs, 80);
    assert.equal(r.rpo?.step, 'switch-db');
    assert.equal(r.rpo?.region, 'eu-west-1');
    assert.match(r.rpo?.note ?? '', /no committed data/);
  });

  test('gates checked at run time show as passed; a verify gate last ends the RTO', () => {
    const t = planned();
    t.steps[0] = { ...t.steps[0], startedAt: at(9), endedAt: at(10), status: 'succeeded' };
    t.steps.push({
      id: 'verify-target-healthy',
      kind: 'gate.health',
      stage: 'verify',
      startedAt: at(160),
      endedAt: at(162),
      status: 'succeeded',
      mutations: 0,
    });
    const r = computeReport([t]);
    assert.deepEqual(r.rto, { ms: 152_000, from: at(10), to: at(162), verified: true });
    // The document keeps the engine's status; the text says what a gate did.
    assert.equal(r.steps[5].status, 'succeeded');
    const text = renderReport(r).join('\n');
    assert.match(text, /preflight\s+target-healthy\s+gate\.health\s+\S+\s+\S+\s+1\.0s\s+passed/);
    assert.match(text, /verify\s+verify-target-healthy\s+gate\.health\s+\S+\s+\S+\s+2\.0s\s+passed/);
    assert.match(text, /capacity\s+scale-target\s+ecs\.scale\s+\S+\s+\S+\s+30\.0s\s+succeeded/);
  });

  test('no mutation: no RTO; no Aurora step: no RPO', () => {
    const r = computeReport([record('r', 'noop', [{ id: 'g', kind: 'gate.health', stage: 's', status: 'skipped' }])]);
    assert.equal(r.rto, null);
    assert.equal(r.rpo, null);
    assert.match(renderReport(r).join('\n'), /RTO: no change was made[\s\S]*RPO bound: no Aurora cut/);
  });

  test('a resumed run keeps the timings of steps its predecessor did, and the RTO spans both', () => {
    const first = planned();
    first.outcome = 'interrupted';
    first.steps[4] = { ...first.steps[4], endedAt: undefined, status: 'interrupted' };
    const second = record(
      'run-2',
      'succeeded',
      [
        { id: 'target-healthy', kind: 'gate.health', stage: 'preflight', status: 'skipped' },
        { id: 'scale-target', kind: 'ecs.scale', stage: 'capacity', status: 'skipped' },
        { id: 'switch-db', kind: 'aurora.switchover', stage: 'data', status: 'skipped', data: { lagMs: 5 } },
        { id: 'promote-cache', kind: 'redis.failover', stage: 'data', status: 'skipped' },
        { id: 'shift-traffic', kind: 'route53.shift', stage: 'traffic', startedAt: at(200), endedAt: at(230), status: 'succeeded', mutations: 3 },
      ],
      { firstMutationAt: at(200), createdAt: at(199), resumeOf: 'run-1' },
    );
    const r = computeReport([first, second]);
    assert.deepEqual(r.continues, ['run-1']);
    assert.equal(r.steps[2].fromRun, 'run-1');
    assert.equal(r.steps[2].durationMs, 60_000);
    assert.equal(r.steps[4].fromRun, undefined);
    // The interrupted shift was made again, in full, by run-2: its timing starts in run-1.
    assert.equal(r.steps[4].startedAt, at(100));
    assert.equal(r.steps[4].note, 'started in run-1');
    assert.deepEqual(r.rto, { ms: 220_000, from: at(10), to: at(230), verified: true });
    // The cut was made by run-1's switchover, with its lag; run-2's noop re-plan does not count.
    assert.equal(r.rpo?.boundMs, 80);
  });

  test('an unplanned failover reports its lag as data at risk; a run that stopped is not "verified"', () => {
    const t = planned();
    t.outcome = 'partial';
    t.steps[2] = { ...t.steps[2], kind: 'aurora.failover' };
    t.plan.stages[2].steps[0] = { ...t.plan.stages[2].steps[0], kind: 'aurora.failover', data: { dataAtRiskMs: 450 }, observed: {} };
    const r = computeReport([t]);
    assert.equal(r.rpo?.boundMs, 450);
    assert.match(r.rpo?.note ?? '', /lost, up to this bound/);
    assert.equal(r.rto?.verified, false);
    assert.match(renderReport(r).join('\n'), /RTO, first change to last finished step \(run did not finish\): 2m30s/);
  });

  test("the data-loss bound is the Aurora step kinds' own (rpo), not any key that looks like a lag", () => {
    assert.equal(rpoOf('aurora.switchover', { lagMs: 12 })?.boundMs, 12);
    assert.equal(rpoOf('aurora.switchover', { lagMs: null }), undefined);
    assert.deepEqual(rpoOf('aurora.failover', { dataAtRiskMs: 450 }), {
      boundMs: 450,
      tier: 'data',
      note: 'unplanned failover: writes not yet replicated when the cut was made are lost, up to this bound',
    });
    assert.equal(rpoOf('redis.failover', { dataAtRiskMs: 30 })?.tier, 'cache', 'the cache counts only where no database cut happened');
    assert.equal(rpoOf('aurora.failover', undefined), undefined);
    assert.equal(rpoOf('gate.lag', { bound: 1000, lagMs: 5 }), undefined);
  });

  test('rendered text names every step, its times and the totals', () => {
    const text = renderReport(computeReport([planned()])).join('\n');
    assert.match(text, /^Timing report, run run-1$/m);
    assert.match(text, /data\s+switch-db\s+aurora\.switchover\s+12:00:40\.000\s+12:01:40\.000\s+1m00s\s+succeeded/);
    assert.match(text, /RTO, first change to verified: 2m30s \(12:00:10\.000 to 12:02:40\.000, 7 changes\)/);
    assert.match(text, /RPO bound, replication lag at the cut: 80 ms \(switch-db, eu-west-1\)/);
  });

  test('a step left running (its process died) is interrupted; plan data comes from the record', () => {
    const rec = record(
      'r1',
      'running',
      [
        {
          id: 'switch-db',
          kind: 'aurora.switchover',
          stage: 'data',
          status: 'running',
          startedAt: at(1),
          mutations: 1,
          params: { target: 'eu-west-1' },
          data: { lagMs: 7 },
        },
        { id: 'g', kind: 'gate.health', stage: 'data', status: 'skipped' },
      ],
      { firstMutationAt: at(1) },
    );
    const r = computeReport([rec]);
    assert.equal(r.rto?.verified, false);
    assert.deepEqual(
      r.steps.map((s) => s.status),
      ['interrupted', 'skipped'],
    );
    assert.equal(r.rpo?.boundMs, 7);
    assert.equal(r.steps[0].title, 'title of switch-db');
  });
});

describe('timing report after interrupts (issue 11 item 7)', () => {
  test('interrupted during the first step after 2 changes: the RTO counts those changes, never "no change was made"', () => {
    const rec = record(
      'r1',
      'interrupted',
      [
        { id: 'target-healthy', kind: 'gate.health', stage: 'preflight', status: 'succeeded', startedAt: at(0), endedAt: at(1) },
        { id: 'scale-target', kind: 'ecs.scale', stage: 'capacity', status: 'interrupted', startedAt: at(1), endedAt: at(9), mutations: 2 },
        { id: 'switch-db', kind: 'aurora.switchover', stage: 'data', status: 'pending' },
      ],
      { firstMutationAt: at(2), endedAt: at(9) },
    );
    const r = computeReport([rec]);
    assert.deepEqual(r.rto, { ms: 7_000, from: at(2), to: at(9), verified: false });
    assert.equal(r.changes, 2);
    const text = renderReport(r).join('\n');
    assert.doesNotMatch(text, /no change was made/);
    assert.match(text, /RTO, first change to where the run stopped \(no step finished after it\): 7\.0s \(12:00:02\.000 to 12:00:09\.000, 2 changes\)/);
  });

  test('a step one run started and AWS finished (the resume found it done) is credited to that run, not "interrupted"', () => {
    const a = record(
      'run-a',
      'interrupted',
      [
        { id: 'scale-target', kind: 'ecs.scale', stage: 'capacity', status: 'succeeded', startedAt: at(0), endedAt: at(10), mutations: 2 },
        {
          id: 'switch-db',
          kind: 'aurora.switchover',
          stage: 'data',
          status: 'interrupted',
          startedAt: at(10),
          endedAt: at(12),
          mutations: 1,
          params: { target: 'eu-west-1' },
          data: { lagMs: 80 },
        },
        { id: 'shift-traffic', kind: 'route53.shift', stage: 'traffic', status: 'pending' },
      ],
      { firstMutationAt: at(1), endedAt: at(12) },
    );
    const b = record(
      'run-b',
      'succeeded',
      [
        { id: 'scale-target', kind: 'ecs.scale', stage: 'capacity', status: 'skipped' },
        { id: 'switch-db', kind: 'aurora.switchover', stage: 'data', status: 'skipped' },
        { id: 'shift-traffic', kind: 'route53.shift', stage: 'traffic', status: 'succeeded', startedAt: at(61), endedAt: at(70), mutations: 3 },
      ],
      { firstMutationAt: at(61), createdAt: at(60), resumeOf: 'run-a' },
    );
    const r = computeReport([a, b]);
    const db = r.steps[1];
    assert.equal(db.status, 'succeeded');
    assert.equal(db.fromRun, 'run-a');
    assert.equal(db.durationMs, 50_000); // from run-a's start to when run-b saw it done
    assert.match(db.note ?? '', /finished by AWS after run run-a stopped; seen done when run-b planned/);
    assert.equal(r.steps[0].fromRun, 'run-a');
    assert.equal(r.steps[0].durationMs, 10_000);
    assert.deepEqual(r.rto, { ms: 69_000, from: at(1), to: at(70), verified: true });
    assert.equal(r.changes, 6);
    const text = renderReport(r).join('\n');
    assert.doesNotMatch(text, /interrupted/);
    assert.match(text, /switch-db\s+aurora\.switchover\s+12:00:10\.000\s+12:01:00\.000\s+50\.0s\s+succeeded \(in run-a\)/);
  });

  test('a step one run started and the resume waited for is credited to the resume, timed from the first start', () => {
    const a = record(
      'run-a',
      'interrupted',
      [{ id: 'switch-db', kind: 'aurora.switchover', stage: 'data', status: 'interrupted', startedAt: at(10), endedAt: at(12), mutations: 1 }],
      { firstMutationAt: at(10) },
    );
    const b = record(
      'run-b',
      'succeeded',
      [{ id: 'switch-db', kind: 'aurora.switchover', stage: 'data', status: 'succeeded', startedAt: at(30), endedAt: at(45) }],
      { createdAt: at(29), resumeOf: 'run-a' },
    );
    const r = computeReport([a, b]);
    assert.deepEqual(
      [r.steps[0].status, r.steps[0].startedAt, r.steps[0].endedAt, r.steps[0].durationMs, r.steps[0].fromRun],
      ['succeeded', at(10), at(45), 35_000, undefined],
    );
    assert.equal(r.steps[0].note, 'started in run-a');
    assert.deepEqual(r.rto, { ms: 35_000, from: at(10), to: at(45), verified: true });
  });
});
