// The HTML report escapes everything it shows and draws one bar per step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtmlReport } from '../../src/report/html.js';
import type { RunReportData } from '../../src/report/run-report.js';

const evil = `<img src=x onerror="alert('x')">&`;

function data(): RunReportData {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();
  return {
    runId: 'r1',
    runs: [
      {
        runId: 'r1',
        command: `failover ${evil}`,
        argv: ['--sandbox', evil],
        actor: evil,
        createdAt: t(0),
        endedAt: t(30),
        outcome: 'succeeded',
        approval: evil,
      },
    ],
    topology: evil,
    playbook: evil,
    outcome: 'succeeded',
    timing: {
      version: 1,
      runId: 'r1',
      continues: [],
      changes: 1,
      steps: [
        { id: `a${evil}`, kind: 'gate.health', stage: evil, status: 'succeeded', startedAt: t(1), endedAt: t(2), durationMs: 1000 },
        { id: 'b', kind: 'aurora.failover', stage: 'data', status: 'succeeded', startedAt: t(2), endedAt: t(20), durationMs: 18000 },
        { id: 'c', kind: 'wait', stage: 'data', status: 'pending' },
      ],
      rto: { ms: 19000, from: t(1), to: t(20), verified: true },
      rpo: { boundMs: 750, step: 'b', kind: 'aurora.failover', region: 'eu-west-1', note: evil },
    },
    changes: [
      {
        runId: 'r1',
        step: 'b',
        service: 'rds',
        region: 'eu-west-1',
        operation: 'FailoverGlobalCluster',
        target: evil,
        sentAt: t(3),
        answeredAt: t(4),
        ok: false,
        requestId: evil,
        error: evil,
      },
    ],
    waits: [{ step: 'b', what: evil, polls: 3, startedAt: t(4), pendingAt: t(15), readAt: t(18), seenAt: t(19) }],
    approvals: [{ runId: 'r1', at: t(0), by: evil }],
    faultsAtStart: [{ id: 'region-down:us-east-1', description: evil }],
    faultChanges: [{ action: 'cleared', id: 'region-down:us-east-1', description: evil, realAt: Date.parse(t(25)) }],
    faultSource: evil,
    audit: { path: evil, lastHash: 'abc123', lastType: 'run.finished', lastAt: t(30) },
    window: { from: t(0), to: t(30) },
  };
}

test('everything from the records is escaped: no markup of theirs gets through', () => {
  const html = renderHtmlReport(data(), evil);
  assert.doesNotMatch(html, /<img/);
  assert.doesNotMatch(html, /onerror="/);
  assert.match(html, /&lt;img src=x onerror=&quot;alert\(&#39;x&#39;\)&quot;&gt;&amp;/);
  assert.doesNotMatch(html, /<script/);
});

test('one bar per started step, in order; a step that never started has none but keeps its row', () => {
  const html = renderHtmlReport(data(), 'now');
  const bars = [...html.matchAll(/<rect class="bar[^"]*"[^>]*data-step="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(bars, ['a&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;', 'b']);
  assert.match(html, /data-step="c"[^]*pending: not started/);
  assert.match(html, /id="rto">19\.0s</);
  assert.match(html, /id="rpo">750 ms</);
  assert.match(html, /class="aws-done"/);
  assert.match(html, /id="last-hash">abc123</);
});
