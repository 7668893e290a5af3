// The chain of runs behind a report and a resume: run records linked by resumeOf, and the audit
// log's run.started when a run died before its record was written.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRunId, recordChain, resumeRefusal, resumeSource } from '../../src/engine/resume.js';
import { UsageError } from '../../src/io/errors.js';
import type { RunSpec } from '../../src/engine/types.js';

let dir: string;
const spec: RunSpec = {
  command: 'failover eu-west-1',
  playbook: 'failover',
  vars: { target: 'eu-west-1' },
  stages: [{ name: 's', parallel: false, steps: [{ id: 'a', kind: 'wait', params: { duration: '1s' } }] }],
};
const A = '20260101T000000Z-aaaaaa';
const B = '20260101T000100Z-bbbbbb';
const C = '20260101T000200Z-cccccc';
const D = '20260101T000300Z-dddddd';

async function record(runId: string, outcome: string, resumeOf?: string): Promise<void> {
  const rec = { version: 1, runId, topology: 'demo', command: spec.command, spec, outcome, steps: [], plan: { stages: [] }, ...(resumeOf ? { resumeOf } : {}) };
  await writeFile(join(dir, 'runs', `${runId}.json`), JSON.stringify(rec));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mr-chain-'));
  await mkdir(join(dir, 'runs'));
  await mkdir(join(dir, 'audit'));
  await record(A, 'interrupted');
  await record(B, 'partial', A);
  await record(C, 'succeeded', B);
  // D died while planning: no record, only its audit events.
  const line = (type: string, data: Record<string, unknown>) =>
    JSON.stringify({ v: 1, runId: D, type, ts: '2026-01-01T00:03:00.000Z', actor: { arn: 'x', osUser: 'u', host: 'h' }, argv: [], data, prev: '', hash: '' });
  await writeFile(
    join(dir, 'audit', 'demo.ndjson'),
    [line('run.started', { command: spec.command, spec, resumeOf: C }), line('lock.acquired', {})].join('\n') + '\n',
  );
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('run chains', () => {
  test('a record chain follows resumeOf back to the first run, oldest first', async () => {
    assert.deepEqual(
      (await recordChain(dir, C)).map((r) => r.runId),
      [A, B, C],
    );
    assert.deepEqual(
      (await recordChain(dir, A)).map((r) => r.runId),
      [A],
    );
  });

  test('a resume source carries the spec and the lineage whose lock it may take over', async () => {
    const src = await resumeSource(dir, B);
    assert.deepEqual(src.spec, spec);
    assert.equal(src.outcome, 'partial');
    assert.deepEqual(src.lineage, [B, A]);
    assert.equal(resumeRefusal(src, 'demo'), undefined);
    assert.match(resumeRefusal(src, 'prod')?.message ?? '', /was on topology "demo", not "prod"/);
  });

  test('a finished run has nothing to resume', async () => {
    const r = resumeRefusal(await resumeSource(dir, C), 'demo');
    assert.equal(r?.exitOk, true);
    assert.match(r?.message ?? '', /finished \(succeeded\): nothing to resume/);
  });

  test('a run that died before its record was written resumes from the audit log', async () => {
    const src = await resumeSource(dir, D);
    assert.deepEqual(src.spec, spec);
    assert.equal(src.topology, 'demo');
    assert.equal(src.outcome, 'unknown');
    assert.deepEqual(src.lineage, [D, C]);
  });

  test('ids that are not run ids never reach the disk; unknown runs are usage errors', async () => {
    assert.throws(
      () => checkRunId('../../etc/passwd'),
      (e: unknown) => e instanceof UsageError && /is not a run id/.test(e.message),
    );
    await assert.rejects(resumeSource(dir, '20990101T000000Z-000000'), /no run 20990101T000000Z-000000/);
  });
});
