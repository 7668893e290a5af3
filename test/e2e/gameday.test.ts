// The scripted game day (playbooks/gameday-region-loss.yaml) as one command under --sandbox: the
// outage, the unplanned failover, the recovery and the restore, checked in the sandbox's state, the
// audit log, `mr status`, and the HTML report in Chromium (the fault and every step on one timeline).
// And sandbox.fault refuses, with exit 2, a run that is not against the sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMr } from '../helpers/run-mr.js';
import { CHROMIUM, checkInBrowser } from '../helpers/browser.js';
import { repoRoot } from '../helpers/paths.js';

const skipBrowser = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium; CI installs it)`;

interface AuditLine {
  runId: string;
  type: string;
  hash: string;
  ts: string;
  data?: Record<string, unknown>;
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mr-gameday-'));
});
after(async () => {
  if (!process.env.MR_KEEP_REPORT) await rm(dir, { recursive: true, force: true });
});

const statePath = (stateHome: string) => join(stateHome, 'mr', 'sandbox', 'state.json');
async function faultsIn(stateHome: string) {
  return (
    JSON.parse(await readFile(statePath(stateHome), 'utf8')) as {
      faults: { regionsDown: string[]; log?: { action: string; id: string; realAt: number }[] };
    }
  ).faults;
}

test(
  'mr --sandbox run gameday-region-loss: outage, unplanned failover, recovery and restore in one command, on one timeline',
  { skip: skipBrowser, timeout: 600_000 },
  async () => {
    const env = { XDG_STATE_HOME: dir };
    // --yes alone does not approve the data loss: refused before anything changes, so no fault is injected.
    let r = await runMr(['--sandbox', 'run', 'gameday-region-loss', '--yes'], { env, killAfterMs: 120_000 });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /allow-data-loss/);
    assert.deepEqual((await faultsIn(dir)).regionsDown, [], 'the refused run injected nothing');

    const startedAt = Date.now();
    r = await runMr(['--sandbox', 'run', 'gameday-region-loss', '--yes', '--allow-data-loss'], { env, killAfterMs: 540_000 });
    assert.equal(r.code, 0, r.stderr);
    const runId = /run (\S+): succeeded/.exec(r.stdout)?.[1];
    assert.ok(runId, r.stdout);

    // The world afterwards: the fault cleared, the writer, cache and traffic in eu-west-1, us-east-1 a
    // healthy standby: `mr status` exits 0 (it exits non-zero on anything unhealthy).
    const faults = await faultsIn(dir);
    assert.deepEqual(faults.regionsDown, []);
    const log = (faults.log ?? []).filter((e) => e.realAt >= startedAt).map((e) => `${e.action} ${e.id}`);
    assert.deepEqual(log, ['added region-down:us-east-1', 'cleared region-down:us-east-1']);
    const status = await runMr(['--sandbox', '--json', 'status'], { env });
    assert.equal(status.code, 0, status.stdout);
    const doc = JSON.parse(status.stdout) as Record<string, unknown>;
    assert.match(JSON.stringify(doc), /"eu-west-1"/);

    // The faults are in the audit log like any change: an intent before, a result with its request id after.
    const record = JSON.parse(await readFile(join(dir, 'mr', 'runs', `${runId}.json`), 'utf8')) as {
      steps: { id: string; status: string; startedAt?: string; endedAt?: string; mutations: number }[];
      auditLog: string;
    };
    const events = (await readFile(record.auditLog, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditLine)
      .filter((e) => e.runId === runId);
    const intents = events.filter((e) => e.type === 'intent' && (e.data?.call as { service?: string })?.service === 'sandbox');
    assert.deepEqual(
      intents.map((e) => [e.data?.step, (e.data?.call as { operation: string }).operation, (e.data?.call as { input: unknown }).input]),
      [
        ['lose-source', 'AddFault', { kind: 'region-down', region: 'us-east-1' }],
        ['recover-source', 'ClearFault', { id: 'region-down:us-east-1' }],
      ],
    );
    const results = events.filter((e) => e.type === 'result' && e.data?.service === 'sandbox');
    assert.equal(results.length, 2);
    for (const e of results) assert.ok(e.data?.ok === true && typeof e.data?.requestId === 'string', JSON.stringify(e.data));
    const byId = new Map(record.steps.map((s) => [s.id, s]));
    assert.equal(byId.get('lose-source')?.mutations, 1);
    assert.equal(byId.get('failover-db')?.status, 'succeeded');
    assert.equal(byId.get('source-in-sync')?.status, 'succeeded');

    // RTO: from the outage (the first change, t+0) to the failover verified, not through the restore.
    const json = await runMr(['--sandbox', '--json', 'report', runId], { env });
    const timing = JSON.parse(json.stdout) as { rto: { ms: number; from: string; to: string }; rpo: { boundMs: number; step: string } };
    assert.equal(timing.rto.to, byId.get('verify-target-healthy')?.endedAt);
    assert.ok(timing.rto.from <= byId.get('lose-source')!.endedAt!, 'the RTO counts from the outage');
    assert.equal(timing.rpo.step, 'failover-db');

    const file = join(dir, 'gameday.html');
    r = await runMr(['--sandbox', 'report', runId, '--html', file], { env });
    assert.equal(r.code, 0, r.stderr);
    const steps = record.steps.filter((s) => s.startedAt).map((s) => s.id);
    assert.deepEqual(steps, [
      'lose-source',
      'target-healthy',
      'scale-target',
      'failover-db',
      'promote-cache',
      'shift-traffic',
      'verify-target-healthy',
      'recover-source',
      'source-healthy',
      'source-in-sync',
    ]);
    const shot = join(dir, 'gameday.png');
    await checkInBrowser(
      file,
      {
        steps,
        rto: `${(timing.rto.ms / 1000).toFixed(1)}s`,
        rpo: `${timing.rpo.boundMs} ms`,
        lastHash: events.at(-1)!.hash,
        faults: ['region-down:us-east-1', 'injected', 'cleared'],
      },
      shot,
      async (page) => {
        // The fault on the same axis as the steps: its row, and a marker where it was injected and
        // where it was cleared, the outage before the failover and the recovery before the restore.
        assert.equal(await page.locator('svg.gantt g.fault-row[data-fault="region-down:us-east-1"] rect.fault').count(), 1);
        const marks = await page
          .locator('svg.gantt g.fault-change')
          .evaluateAll((els) => els.map((e) => ({ action: e.getAttribute('data-action'), x: Number(e.getAttribute('data-x')), text: e.textContent })));
        assert.deepEqual(
          marks.map((m) => m.action),
          ['injected', 'cleared'],
        );
        const bar = async (id: string) => {
          const b = page.locator(`svg.gantt rect.bar[data-step="${id}"]`);
          return { x: Number(await b.getAttribute('x')), w: Number(await b.getAttribute('width')) };
        };
        const failover = await bar('failover-db');
        const verified = await bar('verify-target-healthy');
        const restore = await bar('source-healthy');
        assert.ok(marks[0]!.x <= failover.x, `injected (${marks[0]!.x}) before the failover starts (${failover.x})`);
        assert.ok(marks[1]!.x >= verified.x && marks[1]!.x <= restore.x + 0.1, `cleared (${marks[1]!.x}) after the failover is verified, before the restore`);
        const chart = await page.locator('svg.gantt').innerHTML();
        assert.match(chart, /injected region-down:us-east-1/);
        assert.match(chart, /cleared region-down:us-east-1/);
        assert.match(await page.locator('#changes').innerText(), /AddFault[\s\S]*ClearFault/);
      },
    );
    assert.ok((await stat(shot)).size > 20_000, 'a screenshot of the page was saved');
  },
);

test('sandbox.fault refuses a run that is not against the sandbox: exit 2, one line, nothing injected', { timeout: 120_000 }, async () => {
  const config = join(repoRoot, 'src', 'sandbox', 'worlds', 'demo', 'topology.yaml');
  const env = { XDG_STATE_HOME: join(dir, 'not-sandbox') };
  // No endpoint override: this would be AWS itself.
  let r = await runMr(['--config', config, 'run', 'gameday-region-loss', '--dry-run'], { env });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /lose-source.*sandbox\.fault.*only into the sandbox.*no endpoint override/);

  // An endpoint that answers, but is not mr's sandbox (an emulator without its control endpoint).
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    r = await runMr(['--config', config, '--endpoint-url', url, 'run', 'gameday-region-loss', '--yes', '--allow-data-loss'], { env, killAfterMs: 90_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /only into the sandbox.*does not answer as a sandbox/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.ok(!seen.some((s) => s.includes('faults/add')), `no fault was sent: ${seen.join(', ')}`);
    assert.ok(
      seen.some((s) => s === 'GET /_sandbox/faults/list'),
      'the step asked the endpoint whether it is a sandbox',
    );
  } finally {
    server.close();
  }
});

test('sandbox.fault parameters: each mistake exits 2 with one line naming the step, before anything changes', { timeout: 120_000 }, async () => {
  const { writeFile } = await import('node:fs/promises');
  const env = { XDG_STATE_HOME: join(dir, 'bad-params') };
  const cases: [string, RegExp][] = [
    ['{ add: region-down }', /step "f" \(sandbox\.fault\): add region-down needs "region"/],
    ['{ add: meteor, region: us-east-1 }', /"add" must be one of region-down, unhealthy, route53-down, throttle, latency, error/],
    ['{ add: latency, ms: 5, region: us-east-1 }', /"region" does not apply to add latency \(it takes ms, operation\)/],
    ['{ add: dns-lag }', /add dns-lag needs "ms"/],
    ['{ add: stranded-changes, ms: 5 }', /"ms" does not apply to add stranded-changes \(it takes count\)/],
    ['{ add: error, service: rds, operation: failover, code: Boom }', /"operation" must be an operation name/],
    ['{ clear: "not an id!" }', /"clear" must be a fault id .* or all/],
    ['{ add: route53-down, clear: all }', /exactly one of "add" or "clear"/],
    ['{ clear: all, region: us-east-1 }', /"region" goes with "add", not "clear"/],
  ];
  for (const [withBlock, message] of cases) {
    const file = join(dir, 'bad-fault.yaml');
    await writeFile(
      file,
      `version: 1\nname: bad-fault\nstages:\n  - name: s\n    steps:\n      - id: f\n        kind: sandbox.fault\n        with: ${withBlock}\n`,
    );
    const r = await runMr(['--sandbox', 'run', file, '--yes'], { env });
    assert.equal(r.code, 2, `${withBlock}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${withBlock}: one line, got ${r.stderr}`);
    assert.match(lines[0]!, message, withBlock);
  }
  assert.deepEqual((await faultsIn(join(dir, 'bad-params'))).regionsDown, [], 'nothing was injected');
});

test(
  'sandbox.fault injects the Aurora writer endpoint lag and stranded Route 53 changes, and clears them, as mr sandbox fault does',
  { timeout: 120_000 },
  async () => {
    const { writeFile } = await import('node:fs/promises');
    const home = join(dir, 'more-kinds');
    const env = { XDG_STATE_HOME: home };
    const file = join(dir, 'more-kinds.yaml');
    const steps = (lines: string[]) => `version: 1\nname: more-kinds\nstages:\n  - name: s\n    steps:\n${lines.join('\n')}\n`;
    await writeFile(
      file,
      steps([
        '      - { id: lag, kind: sandbox.fault, with: { add: dns-lag, ms: 90000 } }',
        '      - { id: strand, kind: sandbox.fault, with: { add: stranded-changes, count: 2 } }',
      ]),
    );
    // --no-lock: the run's own lock release would be the first change batch stranded.
    const added = await runMr(['--sandbox', 'run', file, '--yes', '--no-lock'], { env });
    assert.equal(added.code, 0, added.stderr);
    const faults = JSON.parse(await readFile(statePath(home), 'utf8')).faults as {
      dnsLagMs?: number;
      strandedChanges?: number;
      log?: { action: string; id: string }[];
    };
    assert.equal(faults.dnsLagMs, 90000);
    assert.equal(faults.strandedChanges, 2);
    assert.deepEqual(
      (faults.log ?? []).map((e) => `${e.action} ${e.id}`),
      ['added dns-lag', 'added stranded-changes'],
    );
    await writeFile(file, steps(['      - { id: clear, kind: sandbox.fault, with: { clear: dns-lag } }']));
    const cleared = await runMr(['--sandbox', 'run', file, '--yes', '--no-lock'], { env });
    assert.equal(cleared.code, 0, cleared.stderr);
    const after = JSON.parse(await readFile(statePath(home), 'utf8')).faults as { dnsLagMs?: number; strandedChanges?: number };
    assert.ok(!after.dnsLagMs, JSON.stringify(after));
    assert.equal(after.strandedChanges, 2, 'only the named fault is cleared');
  },
);
