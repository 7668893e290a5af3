// The run's timeline as plain SVG: one row per fault and per step on one time axis. A step's bar
// runs from its start to when mr saw it finish; inside it, the AWS calls it made, the wait for
// AWS, and the window in which AWS finished (after the last read that saw it pending, by the read
// that saw it done). Deterministic text, so it can be tested and diffed.
import { esc } from './escape.js';
import type { RunReportData } from './run-report.js';

const W = 1120;
const LABEL = 230;
const RIGHT = 24;
const ROW = 28;
const TOP = 34;

interface Scale {
  t0: number;
  t1: number;
  x(iso: string | number): number;
}

function scaleOf(d: RunReportData): Scale {
  const times = [Date.parse(d.window.from), Date.parse(d.window.to)];
  for (const s of d.timing.steps) for (const t of [s.startedAt, s.endedAt]) if (t) times.push(Date.parse(t));
  const t0 = Math.min(...times);
  const t1 = Math.max(t0 + 1000, ...times);
  const x = (t: string | number) => {
    const ms = typeof t === 'number' ? t : Date.parse(t);
    return LABEL + ((Math.min(Math.max(ms, t0), t1) - t0) / (t1 - t0)) * (W - LABEL - RIGHT);
  };
  return { t0, t1, x };
}

/** A tick step of 1, 2 or 5 times a power of ten seconds, giving 5 to 12 ticks. */
function tickMs(spanMs: number): number {
  for (let p = 100; ; p *= 10) for (const m of [1, 2, 5]) if (spanMs / (p * m) <= 12) return p * m;
}

function secs(ms: number): string {
  if (ms >= 60_000) return `+${Math.floor(ms / 60_000)}m${ms % 60_000 ? `${Math.round((ms % 60_000) / 1000)}s` : ''}`;
  return `+${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)}s`;
}

const n = (v: number) => v.toFixed(1);

function rect(cls: string, x1: number, x2: number, y: number, h: number, title: string, extra = ''): string {
  return `<rect class="${cls}" x="${n(x1)}" y="${n(y)}" width="${n(Math.max(2, x2 - x1))}" height="${h}"${extra}><title>${esc(title)}</title></rect>`;
}

interface FaultRow {
  id: string;
  description: string;
  from: number;
  to?: number;
}

function faultRows(d: RunReportData, t0: number): FaultRow[] {
  const rows: FaultRow[] = d.faultsAtStart.map((f) => ({ id: f.id, description: f.description, from: t0 }));
  for (const c of d.faultChanges) {
    const open = rows.find((r) => r.id === c.id && r.to === undefined);
    if (c.action === 'added' && !open) rows.push({ id: c.id, description: c.description, from: c.realAt });
    if (c.action === 'cleared' && open) open.to = c.realAt;
  }
  return rows;
}

export function renderGantt(d: RunReportData): string {
  const s = scaleOf(d);
  const faults = faultRows(d, s.t0);
  const steps = d.timing.steps;
  const rows = faults.length + steps.length;
  const height = TOP + rows * ROW + (d.faultChanges.length ? 84 : 56);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="gantt" viewBox="0 0 ${W} ${height}" role="img" aria-label="timeline of run ${esc(d.runId)}">`);
  out.push(
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>',
  );

  // Axis: grid lines and labels, seconds from the start of the chain.
  const step = tickMs(s.t1 - s.t0);
  for (let t = 0; t <= s.t1 - s.t0; t += step) {
    const x = s.x(s.t0 + t);
    out.push(
      `<line class="grid" x1="${n(x)}" y1="${TOP - 6}" x2="${n(x)}" y2="${TOP + rows * ROW}"/><text class="tick" x="${n(x)}" y="${TOP - 12}" text-anchor="middle">${secs(t)}</text>`,
    );
  }
  let y = TOP;
  for (const f of faults) {
    const x2 = s.x(f.to ?? s.t1);
    out.push(
      `<g class="fault-row" data-fault="${esc(f.id)}"><text class="label fault-label" x="${LABEL - 10}" y="${n(y + ROW / 2 + 4)}" text-anchor="end">⚡ ${esc(f.id)}</text>`,
    );
    out.push(
      rect(
        'fault',
        s.x(f.from),
        x2,
        y + 5,
        ROW - 10,
        `${f.id}: ${f.description} (${f.to === undefined ? 'still in force at the end' : `cleared at ${new Date(f.to).toISOString()}`})`,
        ' rx="3"',
      ),
    );
    out.push('</g>');
    y += ROW;
  }
  for (const [i, st] of steps.entries()) {
    out.push(`<g class="step-row" data-step="${esc(st.id)}" data-index="${i}">`);
    if (i % 2 === 0) out.push(`<rect class="zebra" x="0" y="${y}" width="${W}" height="${ROW}"/>`);
    out.push(`<text class="label" x="${LABEL - 10}" y="${n(y + ROW / 2 + 4)}" text-anchor="end">${esc(st.id)}</text>`);
    if (st.startedAt) {
      const end = st.endedAt ?? d.window.to;
      const took = st.durationMs !== undefined ? ` (${(st.durationMs / 1000).toFixed(1)}s)` : '';
      out.push(
        rect(
          `bar outcome-${esc(st.status)}`,
          s.x(st.startedAt),
          s.x(end),
          y + 5,
          ROW - 10,
          `${st.id} · ${st.kind} · ${st.status}${took}${st.fromRun ? ` · in run ${st.fromRun}` : ''}`,
          ` rx="4" data-step="${esc(st.id)}"`,
        ),
      );
      for (const w of d.waits.filter((w) => w.step === st.id)) {
        out.push(rect('wait', s.x(w.startedAt), s.x(w.seenAt), y + 9, ROW - 18, `waiting for ${w.what}: ${w.polls} reads, seen done at ${w.seenAt}`));
        if (w.pendingAt)
          out.push(
            rect(
              'aws-done',
              s.x(w.pendingAt),
              s.x(w.readAt),
              y + 7,
              ROW - 14,
              `AWS finished between ${w.pendingAt} (last read pending) and ${w.readAt} (the read that saw it done)`,
            ),
          );
        const sx = s.x(w.seenAt);
        out.push(`<path class="seen" d="M${n(sx)} ${y + 6}l4 8l-4 8l-4 -8z"><title>${esc(`mr saw ${w.what} done at ${w.seenAt}`)}</title></path>`);
      }
      for (const c of d.changes.filter((c) => c.step === st.id)) {
        out.push(
          rect(
            c.ok ? 'call' : 'call call-failed',
            s.x(c.sentAt),
            s.x(c.answeredAt),
            y + 3,
            ROW - 6,
            `${c.operation} (${c.service}, ${c.region})${c.requestId ? ` request ${c.requestId}` : ''}${c.ok ? '' : ` failed: ${c.error ?? ''}`}`,
          ),
        );
      }
    } else {
      out.push(`<text class="not-run" x="${LABEL + 6}" y="${n(y + ROW / 2 + 4)}">${esc(st.status)}: not started</text>`);
    }
    out.push('</g>');
    y += ROW;
  }
  // A marker where each fault was injected or cleared, across every row, so a game day's outage and
  // recovery read against the failover steps on the same axis.
  for (const [i, c] of d.faultChanges.entries()) {
    const x = s.x(c.realAt);
    const word = c.action === 'added' ? 'injected' : 'cleared';
    out.push(
      `<g class="fault-change" data-fault="${esc(c.id)}" data-action="${word}" data-x="${n(x)}"><line class="fault-mark" x1="${n(x)}" y1="${TOP - 4}" x2="${n(x)}" y2="${TOP + rows * ROW}"><title>${esc(`${word} ${c.id} at ${new Date(c.realAt).toISOString()}`)}</title></line>`,
    );
    out.push(`<text class="fault-note" x="${n(x + 3)}" y="${TOP + rows * ROW + 12 + (i % 2) * 12}">⚡ ${word} ${esc(c.id)}</text></g>`);
  }
  if (d.timing.rto) {
    const ry = TOP + rows * ROW + (d.faultChanges.length ? 48 : 20);
    const a = s.x(d.timing.rto.from);
    const b = s.x(d.timing.rto.to);
    out.push(
      `<g class="rto"><line x1="${n(a)}" y1="${ry}" x2="${n(b)}" y2="${ry}"/><line x1="${n(a)}" y1="${ry - 6}" x2="${n(a)}" y2="${ry + 6}"/><line x1="${n(b)}" y1="${ry - 6}" x2="${n(b)}" y2="${ry + 6}"/>`,
    );
    out.push(
      `<text x="${n((a + b) / 2)}" y="${ry + 20}" text-anchor="middle">RTO ${(d.timing.rto.ms / 1000).toFixed(1)}s: first change to ${d.timing.rto.verified ? 'verified' : 'last finished step'}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
