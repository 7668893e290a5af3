// What the HTML report gathers: a resume chain as one report, changes paired with their intents and
// request ids (audit log), waits (run records), approvals, the last event's hash, and the faults of the run's time window only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatherRunReport, type FaultChange } from '../../src/report/run-report.js';
import type { RunRecord } from '../../src/engine/run-record.js';

let dir: string;
let log: string;
const A = '20260101T100000Z-aaaaaa';
const B = '20260101T100100Z-bbbbbb';
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();

function rec(runId: string, created: number, ended: number, steps: RunRecord['steps'], extra: Partial<RunRecord> = {}): RunRecord {
  return {
    version: 1,
    runId,
    topology: 'demo',
    command: 'failover eu-west-1',
    spec: { command: 'failover eu-west-1', stages: [] },
    argv: ['failover', 'eu-west-1'],
    actor: { arn: 'arn:aws:iam::1:user/op', osUser: 'op', host: 'h' },
    createdAt: at(created),
    updatedAt: at(ended),
    endedAt: at(ended),
    plan: { stages: [] } as unknown as RunRecord['plan'],
    auditLog: log,
    steps,
    ...extra,
  } as RunRecord;
}

let hashN = 0;
const line = (runId: string, type: string, ts: number, data: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, runId, type, ts: at(ts), actor: { arn: 'x', osUser: 'u', host: 'h' }, argv: [], data, prev: 'p', hash: `h${++hashN}` });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mr-gather-'));
  log = join(dir, 'demo.ndjson');
  await writeFile(
    log,
    [
      line(A, 'approval', 1, { by: 'prompt' }),
      line(A, 'intent', 2, { step: 'db', call: {} }),
      line(A, 'result', 3, {
        step: 'db',
        service: 'rds',
        region: 'us-east-1',
        operation: 'SwitchoverGlobalCluster',
        target: 'g',
        ok: true,
        requestId: 'req-1',
      }),
      line('someone-else', 'approval', 10, { by: 'flag --yes' }),
      line(A, 'run.interrupted', 12),
      line(B, 'approval', 61, { by: 'flag --yes' }),
      line(B, 'intent', 62, { step: 'dns', call: {} }),
      line(B, 'result', 63, {
        step: 'dns',
        service: 'route53',
        region: 'us-east-1',
        operation: 'ChangeResourceRecordSets',
        target: 'z',
        ok: false,
        error: { code: 'Throttling', message: 'Rate exceeded', requestId: 'req-2' },
      }),
      line(B, 'run.finished', 70, { outcome: 'failed' }),
    ].join('\n') + '\n',
  );
});
after(() => rm(dir, { recursive: true, force: true }));

test("a resume chain is one report: changes, waits, approvals of every run; the hash of the last run's last event; faults of the window", async () => {
  const a = rec(
    A,
    0,
    12,
    [
      {
        id: 'db',
        kind: 'aurora.switchover',
        stage: 'data',
        status: 'succeeded',
        startedAt: at(2),
        endedAt: at(9),
        mutations: 1,
        waits: [{ what: 'switchover', polls: 4, startedAt: at(3), pendingAt: at(7), readAt: at(8), seenAt: at(9) }],
      },
      { id: 'dns', kind: 'route53.shift', stage: 'traffic', status: 'interrupted', startedAt: at(10), endedAt: at(12), mutations: 0 },
    ],
    { outcome: 'interrupted' },
  );
  const b = rec(
    B,
    60,
    70,
    [
      { id: 'db', kind: 'aurora.switchover', stage: 'data', status: 'skipped', mutations: 0 },
      { id: 'dns', kind: 'route53.shift', stage: 'traffic', status: 'failed', startedAt: at(61), endedAt: at(70), mutations: 1 },
    ],
    { outcome: 'failed', resumeOf: A },
  );
  const ms = (s: number) => Date.parse(at(s));
  const events: FaultChange[] = [
    { action: 'added', id: 'latency', description: 'slow', realAt: ms(-50) },
    { action: 'cleared', id: 'latency', description: 'slow', realAt: ms(-40) },
    { action: 'added', id: 'region-down:us-east-1', description: 'down', realAt: ms(-5) },
    { action: 'added', id: 'throttle:route53', description: '5/s', realAt: ms(30) },
    { action: 'cleared', id: 'region-down:us-east-1', description: 'down', realAt: ms(65) },
    { action: 'added', id: 'unhealthy:eu-west-1', description: 'later', realAt: ms(90) },
  ];
  const d = await gatherRunReport([a, b], { events, source: 'test' });
  assert.equal(d.runId, B);
  assert.deepEqual(
    d.runs.map((r) => r.runId),
    [A, B],
  );
  assert.deepEqual(
    d.timing.steps.map((s) => [s.id, s.status, s.fromRun]),
    [
      ['db', 'succeeded', A],
      ['dns', 'failed', undefined],
    ],
  );
  assert.deepEqual(
    d.changes.map((c) => [c.runId, c.operation, c.requestId, c.ok, c.sentAt]),
    [
      [A, 'SwitchoverGlobalCluster', 'req-1', true, at(2)],
      [B, 'ChangeResourceRecordSets', 'req-2', false, at(62)],
    ],
  );
  assert.equal(d.changes[1]!.error, 'Throttling: Rate exceeded');
  assert.deepEqual(
    d.waits.map((w) => [w.step, w.pendingAt, w.seenAt]),
    [['db', at(7), at(9)]],
  );
  assert.deepEqual(
    d.approvals.map((x) => [x.runId, x.by]),
    [
      [A, 'prompt'],
      [B, 'flag --yes'],
    ],
  );
  assert.equal(d.audit.lastHash, `h${hashN}`);
  assert.equal(d.audit.lastType, 'run.finished');
  assert.deepEqual(d.faultsAtStart, [{ id: 'region-down:us-east-1', description: 'down' }]);
  assert.deepEqual(
    d.faultChanges.map((f) => `${f.action} ${f.id}`),
    ['added throttle:route53', 'cleared region-down:us-east-1'],
  );
});

test('no fault history (not a sandbox run): nothing at start, no changes, and the reason kept', async () => {
  const a = rec(A, 0, 12, [], { outcome: 'noop' });
  const d = await gatherRunReport([a], { events: undefined, source: 'no sandbox state file' });
  assert.deepEqual([d.faultsAtStart, d.faultChanges, d.faultSource], [[], [], 'no sandbox state file']);
});
