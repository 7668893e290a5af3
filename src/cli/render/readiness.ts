// `mr check` on a screen: per target region, ready or each finding on one line (resource: problem; fix).
import type { Style } from '../../io/types.js';
import type { ReadinessReport } from '../../readiness/types.js';

export function renderReadiness(report: ReadinessReport, style: Style): string {
  const lines: string[] = [];
  for (const t of report.targets) {
    if (t.ready) {
      lines.push(`${style.green('✓')} ${t.region}: ready for a failover`);
      continue;
    }
    lines.push(`${style.red('✗')} ${t.region}: not ready (${t.findings.length} finding${t.findings.length === 1 ? '' : 's'})`);
    for (const f of t.findings) {
      const mark = f.kind === 'could-not-check' ? style.yellow('?') : style.red('✗');
      lines.push(`  ${mark} ${t.region}: ${f.resource}: ${f.problem}; fix: ${f.fix}`);
    }
  }
  lines.push(
    '',
    report.ready
      ? style.green(`ready: a failover to ${report.targets.map((t) => t.region).join(', ')} has everything it needs`)
      : style.red('not ready: see the findings above'),
  );
  return lines.join('\n');
}
