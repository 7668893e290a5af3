// The HTML report checked in a real browser: headless Chromium (kept off the network) opens a report
// from file:// and checks it against what the run recorded. Shared by the report and game-day tests.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export interface Expected {
  steps: string[];
  rto: string;
  rpo: string;
  lastHash: string;
  faults: string[];
}

/** Open `file` in Chromium and check it against what the run recorded; throws when anything is missing. */
export async function checkInBrowser(file: string, want: Expected, screenshot?: string, more?: (page: Page) => Promise<void>): Promise<void> {
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
    if (more) await more(page);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  } finally {
    await browser.close();
  }
}
