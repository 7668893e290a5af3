// A plain text grid: a label column, then one column per region. Cells may carry ANSI styles;
// widths are measured without them.
import { stripAnsi } from '../../io/color.js';

export type Row = { kind: 'section'; title: string } | { kind: 'row'; label: string; cells: string[] };

const width = (s: string) => [...stripAnsi(s)].length;
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

function truncate(s: string, w: number): string {
  const plain = stripAnsi(s);
  if ([...plain].length <= w) return s;
  return `${[...plain].slice(0, Math.max(1, w - 1)).join('')}…`;
}

/** Lay out rows under a header of column titles; labels are shortened only when the screen is too narrow. */
export function grid(headers: string[], rows: Row[], columns: number): string {
  const GAP = 2;
  const colWidths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => (r.kind === 'row' ? width(r.cells[i] ?? '') : 0))));
  const cellsWidth = colWidths.reduce((a, b) => a + b + GAP, 0);
  const wantLabel = Math.max(0, ...rows.map((r) => (r.kind === 'row' ? width(r.label) + 2 : 0)));
  const labelWidth = Math.max(12, Math.min(wantLabel, columns - cellsWidth - GAP));
  const line = (label: string, cells: string[]) =>
    (pad(truncate(label, labelWidth), labelWidth + GAP) + cells.map((c, i) => pad(c, colWidths[i] + GAP)).join('')).trimEnd();
  const out = [line('', headers)];
  for (const r of rows) out.push(r.kind === 'section' ? r.title : line(`  ${r.label}`, r.cells));
  return out.join('\n');
}
