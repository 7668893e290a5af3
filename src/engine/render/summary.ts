// The end-of-run summary: each step's outcome and duration, the run id, where the record is. Pure.
import type { Style } from '../../io/types.js';
import type { RunResultDoc } from '../run-record.js';
import { formatElapsed } from '../../util/duration.js';

const OUTCOME_TEXT: Record<RunResultDoc['outcome'], string> = {
  running: 'still running',
  succeeded: 'succeeded',
  noop: 'nothing to do',
  failed: 'failed; nothing was applied',
  partial: 'stopped part way; resumable',
  'rolled-back': 'rolled back; the world is as it was before the run',
  refused: 'refused',
  declined: 'declined',
  interrupted: 'interrupted',
};

/** Gates check and change nothing: one that held when the run reached it "passed". */
export function isGate(kind: string): boolean {
  return kind.startsWith('gate.');
}

export function renderSummary(doc: RunResultDoc, style: Style): string {
  const rows = doc.steps.map((s) => {
    const mark = {
      succeeded: style.green('✓'),
      failed: style.red('✗'),
      interrupted: style.yellow('!'),
      skipped: style.dim('-'),
      pending: style.dim('·'),
      running: '…',
    }[s.status];
    const status =
      s.status === 'pending' ? 'not run' : s.status === 'skipped' ? 'skipped (already done)' : s.status === 'succeeded' && isGate(s.kind) ? 'passed' : s.status;
    const took = s.durationMs !== undefined ? formatElapsed(s.durationMs) : '';
    return { cells: [mark, s.id, s.kind, status, took], error: s.error };
  });
  const widths = [1, 2, 3].map((col) => Math.max(0, ...rows.map((r) => r.cells[col].length)));
  const out = rows.map((r) => {
    const [mark, id, kind, status, took] = r.cells;
    const line = `${mark} ${id.padEnd(widths[0])}  ${kind.padEnd(widths[1])}  ${status.padEnd(widths[2])}  ${took}`.trimEnd();
    return r.error ? `${line}\n    ${style.dim(r.error)}` : line;
  });
  const outcome =
    doc.outcome === 'succeeded' ? style.green(OUTCOME_TEXT[doc.outcome]) : doc.outcome === 'noop' ? OUTCOME_TEXT.noop : style.yellow(OUTCOME_TEXT[doc.outcome]);
  out.push(`run ${style.bold(doc.runId)}: ${outcome}`);
  out.push(`audit log: ${doc.auditLog}`);
  out.push(`run record: ${doc.runRecord}`);
  return out.join('\n');
}
