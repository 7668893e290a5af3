// The HTML report in a real browser: a real sandbox failover, its report opened from file:// in
// headless Chromium (kept off the network), checked for every step, the RTO, the RPO, one timeline
// bar per step in plan order, the faults and the audit hash; a screenshot is left in the temp dir.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runMr } from '../helpers/run-mr.js';

export const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium; CI installs it)`;

export interface Expected {
  steps: string[];
  rto: string;
  rpo: string;
  lastHash: string;
  faults: string[];
}

/** Open `file` in Chromium and check it against what the run recorded; throws when anything is missing. */
export async function checkInBrowser(file: string, want: Expected, screenshot?: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    const text = await page.locator('body').innerText();
    for (const id of want.steps) assert.ok(text.includes(id), `step ${id} is on the page`);
    assert.equal((await page.locator('#rto').innerText()).trim(), want.rto);
    assert.equal((await page.locator('#rpo').innerText()).trim(), want.rpo);
    const bars = await page
      .locator('svg.gantt rect.bar')
      .evaluateAll((els) => els.map((e) => ({ step: e.getAttribute('data-step'), x: Number(e.getAttribute('x')), w: Number(e.getAttribute('width')) })));
    assert.deepEqual(
      bars.map((b) => b.step),
      want.steps,
      'one bar per step, in plan order',
    );
    for (const b of bars) assert.ok(b.w > 0 && b.x > 0, `bar of ${b.step} is drawn`);
    // The bars are on one time axis: a later stage never starts left of an earlier one's start.
    for (let i = 1; i < bars.length; i++) assert.ok(bars[i]!.x >= bars[i - 1]!.x - 0.1, `${bars[i]!.step} starts after ${bars[i - 1]!.step}`);
    // Rendered, not just present in the markup: the chart has a real size on screen.
    const box = await page.locator('svg.gantt').boundingBox();
    assert.ok(box && box.width > 800 && box.height > 100, `the timeline is laid out (${JSON.stringify(box)})`);
    assert.equal((await page.locator('#last-hash').innerText()).trim(), want.lastHash);
    const faults = await page.locator('#faults').innerText();
    for (const f of want.faults) assert.ok(faults.includes(f), `fault ${f} is in the report`);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:')),
      [],
      'the report loads nothing from the network',
    );
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  } finally {
    await browser.close();
  }
}

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
