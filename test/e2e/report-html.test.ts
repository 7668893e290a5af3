// The HTML report in a real browser: a real sandbox failover, its report opened from file:// in
// headless Chromium (kept off the network), checked for every step, the RTO, the RPO, one timeline
// bar per step in plan order, the faults and the audit hash; a screenshot is left in the temp dir.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMr } from '../helpers/run-mr.js';
import { CHROMIUM, checkInBrowser } from '../helpers/browser.js';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium; CI installs it)`;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mr-report-html-'));
});
after(async () => {
  // The screenshot stays in the temp dir while the test runs; set MR_KEEP_REPORT=1 to keep it after.
  if (!process.env.MR_KEEP_REPORT) await rm(dir, { recursive: true, force: true });
});

test("a real failover's HTML report in Chromium: steps, RTO, RPO, one bar per step, faults, audit hash", { skip, timeout: 180_000 }, async () => {
  const env = { XDG_STATE_HOME: dir };
  let r = await runMr(['--sandbox', 'sandbox', 'fault', 'add', 'latency', '2', '--operation', 'DescribeServices'], { env });
  assert.equal(r.code, 0, r.stderr);
  r = await runMr(['--sandbox', 'failover', 'eu-west-1', '--yes'], { env, killAfterMs: 150_000 });
  assert.equal(r.code, 0, r.stderr);
  const runId = /run (\S+): succeeded/.exec(r.stdout)?.[1];
  assert.ok(runId, r.stdout);
  const json = await runMr(['--sandbox', '--json', 'report', runId], { env });
  const timing = JSON.parse(json.stdout) as { steps: { id: string }[]; rto: { ms: number }; rpo: { boundMs: number } };
  const record = JSON.parse(await readFile(join(dir, 'mr', 'runs', `${runId}.json`), 'utf8')) as {
    steps: { id: string; status: string; startedAt?: string }[];
    auditLog: string;
  };
  const events = (await readFile(record.auditLog, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { runId: string; hash: string });
  const file = join(dir, 'report.html');
  r = await runMr(['--sandbox', 'report', runId, '--html', file], { env });
  assert.equal(r.code, 0, r.stderr);
  const html = await readFile(file, 'utf8');
  assert.doesNotMatch(html, /<script|<link|https?:\/\/(?!www\.w3\.org\/2000\/svg)/, 'no scripts, no external assets');
  assert.deepEqual(
    timing.steps.map((s) => s.id),
    record.steps.map((s) => s.id),
  );
  const shot = join(dir, 'report.png');
  await checkInBrowser(
    file,
    {
      // A bar for each step that ran; a step planned as a no-op (the demo world names no data CNAME
      // and no latency record, so point-data and drain-others have nothing to do) has no time span.
      steps: record.steps.filter((s) => s.startedAt).map((s) => s.id),
      rto: `${(timing.rto.ms / 1000).toFixed(1)}s`,
      rpo: `${timing.rpo.boundMs} ms`,
      lastHash: events.filter((e) => e.runId === runId).at(-1)!.hash,
      faults: ['latency:DescribeServices'],
    },
    shot,
  );
  assert.ok((await stat(shot)).size > 20_000, 'a screenshot of the page was saved');

  // The same checks fail a broken or empty report.
  const empty = join(dir, 'empty.html');
  await writeFile(empty, '');
  await assert.rejects(checkInBrowser(empty, { steps: ['switch-db'], rto: '1.0s', rpo: '0 ms', lastHash: 'x', faults: [] }));
  const broken = join(dir, 'broken.html');
  await writeFile(broken, html.replace(/<rect class="bar[^>]*data-step="switch-db"[^>]*>/, '<rect>'));
  await assert.rejects(
    checkInBrowser(broken, {
      steps: record.steps.map((s) => s.id),
      rto: `${(timing.rto.ms / 1000).toFixed(1)}s`,
      rpo: `${timing.rpo.boundMs} ms`,
      lastHash: events.filter((e) => e.runId === runId).at(-1)!.hash,
      faults: [],
    }),
    /one bar per step/,
  );
});
