// The HTML report of a run (and its resumes): one self-contained file, no scripts, no network, no
// external assets, so it opens from file:// and can be attached to a post-mortem as it is.
import { esc } from './escape.js';
import { renderGantt } from './gantt.js';
import type { RunReportData } from './run-report.js';

const CSS = `
:root{--ink:#1d2330;--mute:#5d6677;--line:#e3e7ee;--bg:#f6f7fb;--card:#fff;--ok:#2f9e6e;--bad:#d64545;--warn:#d98b1c;--acc:#3867d6}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:var(--bg)}
header{background:linear-gradient(120deg,#1e2a44,#2b3f6b);color:#fff;padding:22px 32px}
header h1{margin:0 0 6px;font-size:22px;font-weight:650}header .cmd{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:15px;opacity:.95}
header dl{display:flex;flex-wrap:wrap;gap:6px 28px;margin:12px 0 0}header dt{font-size:11px;text-transform:uppercase;letter-spacing:.06em;opacity:.7}header dd{margin:0;font-weight:550}
.badge{display:inline-block;padding:2px 10px;border-radius:999px;font-weight:650;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.b-succeeded,.b-noop{background:#d5f2e4;color:#16603f}.b-failed,.b-partial{background:#fbdcdc;color:#8a1f1f}.b-running,.b-interrupted,.b-declined,.b-refused{background:#fdecc8;color:#7a4b00}
main{padding:20px 32px 40px;max-width:1240px}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:14px;margin-bottom:18px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}.kpi .k{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:var(--mute)}
.kpi .v{font-size:26px;font-weight:700;margin-top:2px}.kpi .s{color:var(--mute);font-size:12px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin-bottom:18px}
h2{font-size:15px;margin:0 0 10px}table{border-collapse:collapse;width:100%;font-size:13px}
th{text-align:left;color:var(--mute);font-weight:600;font-size:11px;text-transform:uppercase;letter-spacing:.05em;border-bottom:1px solid var(--line);padding:6px 8px}
td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}td.mono{white-space:nowrap}td.mono,.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
.legend{display:flex;gap:18px;flex-wrap:wrap;color:var(--mute);font-size:12px;margin:0 0 6px}.sw{display:inline-block;width:14px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
svg.gantt{width:100%;height:auto;display:block}
.gantt .label{font-size:12px;fill:var(--ink);font-family:ui-monospace,"DejaVu Sans Mono",monospace}.gantt .fault-label{fill:var(--bad)}
.gantt .tick{font-size:11px;fill:var(--mute)}.gantt .grid{stroke:var(--line)}.gantt .zebra{fill:#f9fafc}
.gantt .bar{fill:#9db7ef}.gantt .outcome-succeeded{fill:#8fd1b2}.gantt .outcome-skipped{fill:#cfd6e2}.gantt .outcome-failed{fill:#f0a3a3}.gantt .outcome-interrupted{fill:#f5cf8a}
.gantt .wait{fill:url(#hatch)}.hatch-bg{fill:#e7ecf7}.hatch-line{stroke:#8a9bc2;stroke-width:2}
.gantt .aws-done{fill:#f2b84b;opacity:.9}.gantt .seen{fill:#1e2a44}.gantt .call{fill:var(--acc)}.gantt .call-failed{fill:var(--bad)}
.gantt .fault{fill:#f6c3c3;stroke:var(--bad)}.gantt .fault-mark{stroke:var(--bad);stroke-dasharray:4 3}.gantt .fault-note{font-size:11px;fill:var(--bad)}
.gantt .rto line{stroke:var(--ink);stroke-width:1.5}.gantt .rto text{font-size:12px;font-weight:650;fill:var(--ink)}.gantt .not-run{font-size:12px;fill:var(--mute)}
.ok{color:var(--ok);font-weight:600}.bad{color:var(--bad);font-weight:600}.muted{color:var(--mute)}
footer{color:var(--mute);font-size:12px;padding:0 32px 30px}footer .mono{word-break:break-all;color:var(--ink)}
`;

function clock(iso: string | undefined): string {
  return iso ? iso.slice(11, 23) : '-';
}

function took(ms: number | undefined): string {
  return ms === undefined ? '-' : ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

function badge(outcome: string): string {
  return `<span class="badge b-${esc(outcome)}">${esc(outcome)}</span>`;
}

function table(head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="muted">${esc(empty)}</p>`;
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}

const td = (v: unknown, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${esc(v)}</td>`;

export function renderHtmlReport(d: RunReportData, generatedAt: string): string {
  const first = d.runs[0]!;
  const last = d.runs[d.runs.length - 1]!;
  const approvedBy = d.approvals.length ? d.approvals.map((a) => a.by).join(', ') : (last.approval ?? 'no approval recorded');
  const rto = d.timing.rto;
  const rpo = d.timing.rpo;
  const kpis = [
    [
      'RTO',
      rto ? took(rto.ms) : 'none',
      rto ? `first change ${clock(rto.from)} to ${rto.verified ? 'verified' : 'last finished step'} ${clock(rto.to)}` : 'no change was made',
    ],
    ['RPO bound', rpo ? `${rpo.boundMs} ms` : 'n/a', rpo ? `${rpo.step}${rpo.region ? `, ${rpo.region}` : ''}: ${rpo.note}` : 'no Aurora cut in this run'],
    ['Steps', String(d.timing.steps.length), `${d.timing.steps.filter((s) => s.status === 'succeeded').length} succeeded`],
    ['Changes', String(d.changes.length), `${d.changes.filter((c) => !c.ok).length} failed; ${d.faultChanges.length + d.faultsAtStart.length} fault events`],
  ];
  const waitsOf = (id: string) => d.waits.filter((w) => w.step === id);
  const stepRows = d.timing.steps.map((s) => {
    const w = waitsOf(s.id);
    const lastWait = w[w.length - 1];
    const awsDone = lastWait ? (lastWait.pendingAt ? `${clock(lastWait.pendingAt)} – ${clock(lastWait.readAt)}` : `by ${clock(lastWait.readAt)}`) : '-';
    return [
      td(s.stage),
      td(s.id, 'mono'),
      td(s.kind, 'mono'),
      td(clock(s.startedAt), 'mono'),
      td(awsDone, 'mono'),
      td(clock(lastWait?.seenAt ?? s.endedAt), 'mono'),
      td(took(s.durationMs)),
      `<td>${badge(s.status)}${s.fromRun ? ` <span class="muted">in ${esc(s.fromRun)}</span>` : ''}</td>`,
    ];
  });
  const faultRows = [
    ...d.faultsAtStart.map((f) => [td('in force at start', 'bad'), td(clock(first.createdAt), 'mono'), td(f.id, 'mono'), td(f.description)]),
    ...d.faultChanges.map((f) => [
      td(f.action === 'added' ? 'injected' : 'cleared', f.action === 'added' ? 'bad' : 'ok'),
      td(clock(new Date(f.realAt).toISOString()), 'mono'),
      td(f.id, 'mono'),
      td(f.description),
    ]),
  ];
  const changeRows = d.changes.map((c) => [
    td(clock(c.sentAt), 'mono'),
    td(c.step, 'mono'),
    td(`${c.service} ${c.region}`),
    td(c.operation, 'mono'),
    td(c.target),
    td(c.requestId ?? '-', 'mono'),
    `<td class="${c.ok ? 'ok' : 'bad'}">${c.ok ? 'ok' : esc(c.error ?? 'failed')}</td>`,
  ]);
  const approvalRows = d.approvals.map((a) => [td(clock(a.at), 'mono'), td(a.runId, 'mono'), td(a.by)]);
  const runRows = d.runs.map((r) => [
    td(r.runId, 'mono'),
    td(r.argv.join(' '), 'mono'),
    td(r.actor),
    td(clock(r.createdAt), 'mono'),
    td(clock(r.endedAt), 'mono'),
    `<td>${badge(r.outcome)}${r.error ? ` <span class="muted">${esc(r.error)}</span>` : ''}</td>`,
  ]);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>mr run ${esc(d.runId)}: ${esc(last.command)} (${esc(d.outcome)})</title><style>${CSS}</style></head>
<body>
<header><h1>Run report ${badge(d.outcome)}</h1><div class="cmd">mr ${esc(last.command)}</div>
<dl><div><dt>run</dt><dd class="mono" id="run-id">${esc(d.runId)}</dd></div>${
    d.runs.length > 1
      ? `<div><dt>continues</dt><dd class="mono">${esc(
          d.runs
            .slice(0, -1)
            .map((r) => r.runId)
            .join(', '),
        )}</dd></div>`
      : ''
  }
<div><dt>approved by</dt><dd id="approved-by">${esc(approvedBy)}</dd></div><div><dt>operator</dt><dd>${esc(last.actor)}</dd></div>
<div><dt>topology</dt><dd>${esc(d.topology)}${d.playbook ? ` · playbook ${esc(d.playbook)}` : ''}</dd></div>
<div><dt>started</dt><dd>${esc(first.createdAt)}</dd></div><div><dt>ended</dt><dd>${esc(last.endedAt ?? 'no end recorded')}</dd></div></dl></header>
<main>
<div class="kpis">${kpis.map(([k, v, s], i) => `<div class="kpi" id="kpi-${i}"><div class="k">${esc(k)}</div><div class="v" id="${['rto', 'rpo', 'steps', 'change-count'][i]}">${esc(v)}</div><div class="s">${esc(s)}</div></div>`).join('')}</div>
<section><h2>Timeline</h2>
<div class="legend"><span><i class="sw" style="background:#8fd1b2"></i>step, start to when mr saw it finish</span><span><i class="sw" style="background:#3867d6"></i>AWS call (sent to answered)</span><span><i class="sw" style="background:#d3dbef;border:1px solid #8a9bc2"></i>waiting for AWS</span><span><i class="sw" style="background:#f2b84b"></i>AWS finished in this window</span><span><i class="sw" style="background:#1e2a44"></i>mr saw it done</span><span><i class="sw" style="background:#f6c3c3;border:1px solid #d64545"></i>fault in force</span></div>
${renderGantt(d)}
</section>
<section><h2>Steps</h2>${table(['stage', 'step', 'kind', 'started', 'AWS finished', 'mr saw it', 'took', 'outcome'], stepRows, 'no steps')}</section>
<section id="faults"><h2>Faults injected</h2>${table(['event', 'at', 'fault', 'what'], faultRows, `No fault was in force or injected during the run (${d.faultSource}).`)}</section>
<section id="changes"><h2>Changes</h2>${table(['sent', 'step', 'where', 'operation', 'target', 'request id', 'result'], changeRows, 'No change was made.')}</section>
<section id="approvals"><h2>Approvals</h2>${table(['at', 'run', 'by'], approvalRows, 'No approval was recorded.')}</section>
<section><h2>Runs</h2>${table(['run', 'command line', 'operator', 'started', 'ended', 'outcome'], runRows, 'no runs')}</section>
</main>
<footer>Audit log <span class="mono">${esc(d.audit.path)}</span>: hash of the run's last event (${esc(d.audit.lastType ?? 'none')} at ${esc(d.audit.lastAt ?? '-')})<br><span class="mono" id="last-hash">${esc(d.audit.lastHash ?? 'no event of this run in the audit log')}</span><br>Check it with <span class="mono">mr audit verify</span>. Generated ${esc(generatedAt)} by mr.</footer>
</body></html>
`;
}
