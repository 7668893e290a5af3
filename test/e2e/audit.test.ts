// mr audit list / show / verify through the built bin, on a log written by a real run against the
// sandbox; verify must name the first line broken by a change, a removal or a reordering.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMr } from '../helpers/run-mr.js';

let dir: string;
let stateDir: string;
let log: string;
let runId: string;
const SANDBOX = { MR_SANDBOX_TIME_SCALE: '600' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mr-audit-e2e-'));
  stateDir = join(dir, 'state');
  log = join(stateDir, 'audit', 'demo.ndjson');
  const r = await runMr(['--sandbox', '--state-dir', stateDir, 'ecs', 'scale', 'eu-west-1', '--capacity', '--yes'], { env: SANDBOX });
  assert.equal(r.code, 0, r.stderr);
  runId = /run (\d{8}T\d{6}Z-[0-9a-f]{6}): succeeded/.exec(r.stdout)![1];
});
after(() => rm(dir, { recursive: true, force: true }));

async function tampered(name: string, edit: (lines: string[]) => void): Promise<string> {
  const lines = (await readFile(log, 'utf8')).trimEnd().split('\n');
  edit(lines);
  const file = join(dir, `${name}.ndjson`);
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

describe('mr audit', () => {
  test('list shows the run with its outcome; --json gives the same as data', async () => {
    const r = await runMr(['--state-dir', stateDir, 'audit', 'list']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `^RUN +TOPOLOGY +STARTED +OUTCOME +CALLS +ACTOR +COMMAND\\n${runId} +demo +\\S+ +succeeded +\\d+ +arn:aws:\\S+ +ecs scale eu-west-1 --capacity\\n$`,
      ),
    );
    const j = await runMr(['--state-dir', stateDir, '--json', 'audit', 'list']);
    const doc = JSON.parse(j.stdout) as { runs: { runId: string; outcome: string; topology: string }[] };
    assert.deepEqual(
      doc.runs.map((x) => [x.runId, x.topology, x.outcome]),
      [[runId, 'demo', 'succeeded']],
    );
  });

  test('show lists the events of the run, intents with their targets and results with request ids', async () => {
    const r = await runMr(['--state-dir', stateDir, 'audit', 'show', runId]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /run\.started +ecs scale eu-west-1 --capacity/);
    assert.match(r.stdout, /intent +scale: ecs UpdateService in eu-west-1 on ecs demo-euw1\/api \{"cluster":"demo-euw1","service":"api","desiredCount":6\}/);
    assert.match(r.stdout, /result +scale: ecs UpdateService ok, request [0-9a-f-]{36}/);
    assert.match(r.stdout, /run\.finished +succeeded/);
    const j = await runMr(['--state-dir', stateDir, '--json', 'audit', 'show', runId]);
    const doc = JSON.parse(j.stdout) as { runId: string; events: { type: string; runId: string }[] };
    assert.equal(doc.runId, runId);
    assert.ok(doc.events.every((e) => e.runId === runId));
    const missing = await runMr(['--state-dir', stateDir, 'audit', 'show', '20200101T000000Z-000000']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no run 20200101T000000Z-000000 in the audit logs/);
  });

  test('credentials in the environment never reach the log', async () => {
    const text = await readFile(log, 'utf8');
    // The log is the run's (an empty or missing one would pass the check below for nothing).
    assert.match(text, /"operation":"UpdateService"/);
    // The environment's keys, and the static keys --sandbox signs with (src/cli/context.ts).
    for (const secret of ['mr-test-secret', 'AKIDMRTEST', 'mr-sandbox-secret', 'AKIAMRSANDBOX0000000'])
      assert.ok(!text.includes(secret), `${secret} is in the audit log`);
  });

  test('verify: an intact log exits 0', async () => {
    const r = await runMr(['--state-dir', stateDir, 'audit', 'verify']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /demo\.ndjson: \d+ lines, chain intact/);
    const one = await runMr(['audit', 'verify', log]);
    assert.equal(one.code, 0, one.stderr);
  });

  test('verify names the line of a change, a removal and a reordering (exit 1)', async () => {
    const original = (await readFile(log, 'utf8')).trimEnd().split('\n');
    const target = original.findIndex((l) => l.includes('"desiredCount":6'));
    assert.ok(target > 0);
    const changed = await tampered('changed', (l) => (l[target] = l[target].replace('"desiredCount":6', '"desiredCount":60')));
    const removed = await tampered('removed', (l) => l.splice(3, 1));
    const reordered = await tampered('reordered', (l) => ([l[5], l[6]] = [l[6], l[5]]));
    const cases: [string, RegExp][] = [
      [changed, new RegExp(`changed\\.ndjson: chain broken at line ${target + 1}: line ${target + 1} was changed`)],
      [removed, /removed\.ndjson: chain broken at line 4: line 4 does not follow line 3/],
      [reordered, /reordered\.ndjson: chain broken at line 6: line 6 does not follow line 5/],
    ];
    for (const [file, message] of cases) {
      const r = await runMr(['audit', 'verify', file]);
      assert.equal(r.code, 1, `${file}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const j = await runMr(['--json', 'audit', 'verify', removed]);
    assert.equal(j.code, 1);
    assert.deepEqual((JSON.parse(j.stdout) as { files: unknown[] }).files, [
      {
        path: removed,
        lines: (await readFile(removed, 'utf8')).trimEnd().split('\n').length,
        ok: false,
        brokenLine: 4,
        reason: 'line 4 does not follow line 3 (a line was removed, inserted or moved)',
      },
    ]);
  });

  test('show warns when the chain of the run log is broken (and says so in --json)', async () => {
    const intact = await runMr(['--state-dir', stateDir, 'audit', 'show', runId]);
    assert.doesNotMatch(intact.stderr, /chain broken/);
    const copy = join(dir, 'tampered-state');
    const lines = (await readFile(log, 'utf8')).trimEnd().split('\n');
    const target = lines.findIndex((l) => l.includes('"desiredCount":6'));
    lines[target] = lines[target].replace('"desiredCount":6', '"desiredCount":60');
    await mkdir(join(copy, 'audit'), { recursive: true });
    await writeFile(join(copy, 'audit', 'demo.ndjson'), lines.join('\n') + '\n');
    const r = await runMr(['--state-dir', copy, 'audit', 'show', runId]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^warning: \\S+demo\\.ndjson: chain broken at line ${target + 1}: line ${target + 1} was changed.*what follows may have been altered \\(mr audit verify\\)`,
      ),
    );
    assert.match(r.stdout, /"desiredCount":60/, 'shown as it is on disk');
    const j = await runMr(['--state-dir', copy, '--json', 'audit', 'show', runId]);
    const doc = JSON.parse(j.stdout) as { chainIntact: boolean; brokenLine: number };
    assert.deepEqual([doc.chainIntact, doc.brokenLine], [false, target + 1]);
  });

  test('a run refuses to append to a broken chain (exit 3, nothing changed) unless --force-audit, which it records', async () => {
    const copy = join(dir, 'broken-state');
    await cp(stateDir, copy, { recursive: true });
    const file = join(copy, 'audit', 'demo.ndjson');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    lines.splice(2, 1);
    await writeFile(file, lines.join('\n') + '\n');
    const before = await readFile(file, 'utf8');
    const scale = ['--sandbox', '--state-dir', copy, 'ecs', 'scale', 'eu-west-1', '--to', '3', '--yes'];
    const refused = await runMr(scale, { env: SANDBOX });
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /^error: the audit log \S+demo\.ndjson is broken at line 3 \(line 3 does not follow line 2.*\): nothing was changed\n/);
    assert.match(refused.stderr, /mr audit verify/);
    assert.equal(await readFile(file, 'utf8'), before, 'nothing appended');
    const status = JSON.parse((await runMr(['--sandbox', '--state-dir', copy, 'status', '--json'], { env: SANDBOX })).stdout) as {
      ecs: Record<string, { services: { name: string; desired: number }[] }>;
    };
    assert.equal(JSON.stringify(status.ecs).includes('"desired":3'), false, 'the scale was not made');
    const forced = await runMr([...scale, '--force-audit'], { env: SANDBOX });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /appending anyway \(--force-audit/);
    const started = (await readFile(file, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data?: { auditChainBroken?: { line: number } } })
      .filter((e) => e.type === 'run.started')
      .pop();
    assert.equal(started?.data?.auditChainBroken?.line, 3);
  });
});
