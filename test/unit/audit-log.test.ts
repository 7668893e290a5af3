import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuditWriteError, auditDir, auditPath, openAuditLog } from '../../src/audit/log.js';
import { listRuns, readRun, verifyAuditFile } from '../../src/audit/read.js';
import { distRoot } from '../helpers/paths.js';

const actor = { arn: 'arn:aws:iam::123456789012:user/ops', osUser: 'ops', host: 'laptop' };
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mr-audit-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('audit writer', () => {
  test('creates the file 0600 in a 0700 directory, one sealed event per line, chained', async () => {
    const stateDir = join(dir, 'modes');
    const path = auditPath(stateDir, 'demo');
    const w = openAuditLog({ path, runId: 'r1', actor, argv: ['mr', 'ecs', 'scale'], now: () => new Date('2026-11-21T07:16:00Z') });
    await w.append('run.started', { command: 'ecs scale eu-west-1' });
    await w.append('intent', {
      step: 'scale',
      call: { service: 'ecs', region: 'eu-west-1', operation: 'UpdateService', target: 'demo-euw1/api', params: { desiredCount: 6 } },
    });
    await w.append('run.finished', { outcome: 'succeeded' });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(auditDir(stateDir))).mode & 0o777, 0o700);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 3);
    const first = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(first), ['v', 'prev', 'ts', 'runId', 'type', 'actor', 'argv', 'data', 'hash']);
    assert.deepEqual(
      { v: first.v, ts: first.ts, runId: first.runId, type: first.type, actor: first.actor, argv: first.argv },
      { v: 1, ts: '2026-11-21T07:16:00.000Z', runId: 'r1', type: 'run.started', actor, argv: ['mr', 'ecs', 'scale'] },
    );
    assert.deepEqual(await verifyAuditFile(path), { path, lines: 3, broken: null });
  });

  test('a second writer (another run) continues the same chain', async () => {
    const path = auditPath(join(dir, 'two'), 'demo');
    await openAuditLog({ path, runId: 'a', actor, argv: [] }).append('run.started');
    await openAuditLog({ path, runId: 'b', actor, argv: [] }).append('run.started');
    await openAuditLog({ path, runId: 'a', actor, argv: [] }).append('run.finished', { outcome: 'succeeded' });
    assert.equal((await verifyAuditFile(path)).broken, null);
    assert.equal((await verifyAuditFile(path)).lines, 3);
  });

  test('appends from concurrent processes keep one unbroken chain', async () => {
    const path = auditPath(join(dir, 'procs'), 'demo');
    const logModule = pathToFileURL(join(distRoot, 'src/audit/log.js')).href;
    const script = `
      const { openAuditLog } = await import(${JSON.stringify(logModule)});
      const w = openAuditLog({ path: process.argv[1], runId: 'p' + process.pid, actor: { arn: 'a', osUser: 'u', host: 'h' }, argv: [] });
      for (let i = 0; i < 40; i++) await w.append('intent', { i, pad: 'x'.repeat(i * 50) });`;
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, path], { stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('error', reject);
        child.on('exit', (code) => resolve(code ?? -1));
      });
    assert.deepEqual(await Promise.all([run(), run(), run()]), [0, 0, 0]);
    const result = await verifyAuditFile(path);
    assert.equal(result.broken, null);
    assert.equal(result.lines, 120);
    assert.equal((await listRuns(join(dir, 'procs', 'audit'))).length, 3);
  });

  test('concurrent appends of one writer are written in call order', async () => {
    const path = auditPath(join(dir, 'order'), 'demo');
    const w = openAuditLog({ path, runId: 'r', actor, argv: [] });
    await Promise.all(Array.from({ length: 20 }, (_, i) => w.append('intent', { i })));
    const events = (await readFile(path, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      events.map((e) => e.data.i),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.equal((await verifyAuditFile(path)).broken, null);
  });

  test('credentials never reach the file', async () => {
    const path = auditPath(join(dir, 'secrets'), 'demo');
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLETOKENVALUE',
    };
    const w = openAuditLog({
      path,
      runId: 'r',
      actor: { ...actor, arn: `arn with ${env.AWS_ACCESS_KEY_ID}` },
      argv: ['mr', `--token=${env.AWS_SESSION_TOKEN}`],
      env,
    });
    await w.append('intent', { call: { params: { note: `secret ${env.AWS_SECRET_ACCESS_KEY}`, sessionToken: 'anything', other: 'ASIAY34FZKBOKMUTVV7A' } } });
    await w.append('result', { error: { message: `The security token included in the request is invalid: ${env.AWS_SESSION_TOKEN}` } });
    const text = await readFile(path, 'utf8');
    for (const s of [...Object.values(env), 'ASIAY34FZKBOKMUTVV7A', 'anything']) assert.ok(!text.includes(s), `${s} reached the audit log`);
    assert.ok(text.includes('[redacted]'));
    assert.equal((await verifyAuditFile(path)).broken, null);
  });

  test('an unwritable directory rejects with AuditWriteError naming the file', async () => {
    // A file where the audit directory should be: unwritable for root too (tests may run as root).
    const stateDir = join(dir, 'blocked');
    await mkdir(stateDir);
    await writeFile(auditDir(stateDir), 'not a directory');
    const path = auditPath(stateDir, 'demo');
    const w = openAuditLog({ path, runId: 'r', actor, argv: [] });
    await assert.rejects(
      w.append('run.started'),
      (e: unknown) => e instanceof AuditWriteError && /^cannot write the audit log .*demo\.ndjson: E[A-Z]+$/.test(e.message),
    );
  });

  test('a torn last line is kept and named by verify; later appends still chain', async () => {
    const path = auditPath(join(dir, 'torn'), 'demo');
    const w = openAuditLog({ path, runId: 'r', actor, argv: [] });
    await w.append('run.started');
    await writeFile(path, (await readFile(path, 'utf8')) + '{"v":1,"prev":"ab', { flag: 'w' });
    await w.append('run.finished');
    const r = await verifyAuditFile(path);
    assert.equal(r.lines, 3);
    assert.deepEqual(r.broken, { line: 2, reason: 'line 2 is not a JSON event (changed or cut short)' });
  });
});

describe('audit readers', () => {
  test('listRuns summarises each run; readRun returns its events', async () => {
    const stateDir = join(dir, 'readers');
    let t = Date.parse('2026-11-21T07:00:00Z');
    const now = () => new Date((t += 1000));
    const a = openAuditLog({ path: auditPath(stateDir, 'demo'), runId: '20261121T070000Z-aaaaaa', actor, argv: [], now });
    const b = openAuditLog({ path: auditPath(stateDir, 'other'), runId: '20261121T070500Z-bbbbbb', actor, argv: [], now });
    await a.append('run.started', { command: 'ecs scale eu-west-1' });
    await b.append('run.started', { command: 'aurora switchover eu-west-1' });
    await a.append('intent', { step: 's' });
    await a.append('result', { step: 's', ok: true });
    await a.append('run.finished', { outcome: 'succeeded' });
    await b.append('run.interrupted', {});
    const runs = await listRuns(auditDir(stateDir));
    assert.deepEqual(runs, [
      {
        runId: '20261121T070000Z-aaaaaa',
        topology: 'demo',
        startedAt: '2026-11-21T07:00:01.000Z',
        endedAt: '2026-11-21T07:00:05.000Z',
        command: 'ecs scale eu-west-1',
        actor: actor.arn,
        outcome: 'succeeded',
        events: 4,
        mutations: 1,
      },
      {
        runId: '20261121T070500Z-bbbbbb',
        topology: 'other',
        startedAt: '2026-11-21T07:00:02.000Z',
        endedAt: '2026-11-21T07:00:06.000Z',
        command: 'aurora switchover eu-west-1',
        actor: actor.arn,
        outcome: 'interrupted',
        events: 2,
        mutations: 0,
      },
    ]);
    const run = await readRun(auditDir(stateDir), '20261121T070000Z-aaaaaa');
    assert.equal(run?.path, auditPath(stateDir, 'demo'));
    assert.deepEqual(
      run?.events.map((e) => e.type),
      ['run.started', 'intent', 'result', 'run.finished'],
    );
    assert.equal(await readRun(auditDir(stateDir), 'nope'), null);
    assert.deepEqual(await listRuns(join(dir, 'missing')), []);
  });
});
