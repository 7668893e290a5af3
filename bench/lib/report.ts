// What one benchmark reports, and how the runner prints it: each figure next to the baseline
// measured in the same run, the ratio, the target and whether it is met.

export interface Figure {
  /** What was measured, e.g. "mr --version". */
  label: string;
  /** The measured value, already formatted (e.g. "84 ms", "41 calls"). */
  value: string;
  /** The baseline it is compared with, formatted, and what it is. */
  baseline: string;
  /** value / baseline (or the compared quantity), formatted. */
  ratio: string;
  /** e.g. "<= 1.30x". */
  target: string;
  met: boolean;
}

export interface BenchResult {
  id: number;
  title: string;
  /** How it was measured: runs, scale, what the baseline is. */
  method: string;
  figures: Figure[];
  /** Extra facts worth reading next to the figures (call counts by operation, causes of a miss). */
  notes: string[];
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function renderText(r: BenchResult): string {
  const lines = [`${r.id}. ${r.title}`, `   ${r.method}`];
  const w = Math.max(...r.figures.map((f) => f.label.length), 10);
  for (const f of r.figures) {
    lines.push(
      `   ${pad(f.label, w)}  ${pad(f.value, 12)} vs ${pad(f.baseline, 28)} ${pad(f.ratio, 8)} target ${pad(f.target, 10)} ${f.met ? 'MET' : 'NOT MET'}`,
    );
  }
  for (const n of r.notes) lines.push(`   - ${n}`);
  return lines.join('\n') + '\n';
}

export function renderMarkdown(results: BenchResult[]): string {
  const out: string[] = ['| # | benchmark | measured | baseline (same run) | ratio | target | result |', '|---|---|---|---|---|---|---|'];
  for (const r of results) {
    for (const f of r.figures) out.push(`| ${r.id} | ${f.label} | ${f.value} | ${f.baseline} | ${f.ratio} | ${f.target} | ${f.met ? 'MET' : 'NOT MET'} |`);
  }
  out.push('');
  for (const r of results) {
    out.push(`**${r.id}. ${r.title}.** ${r.method}`);
    for (const n of r.notes) out.push(`- ${n}`);
    out.push('');
  }
  return out.join('\n');
}
