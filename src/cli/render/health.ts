// `mr health` on a screen: per health check, its configuration, each checker's latest observation,
// and the last failure each checker reported.
import type { Region } from '../../aws/types.js';
import type { Style } from '../../io/types.js';
import type { HealthCheckView, Observed } from '../../inspect/types.js';
import { describeVerdict } from '../../inspect/verdict.js';
import { grid } from './table.js';

function target(h: HealthCheckView): string {
  const c = h.config;
  const host = c.fqdn ?? c.ipAddress ?? '-';
  const port = c.port !== undefined ? `:${c.port}` : '';
  return `${host}${port}${c.resourcePath ?? ''}`;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function one(region: Region, o: Observed<HealthCheckView>, s: Style, columns: number): string {
  if (!o.ok) return `${s.bold(region)}  ${s.red(o.unreachable ? 'unreachable' : 'error')}: ${o.error}`;
  const h = o.value;
  const c = h.config;
  const verdict = c.disabled ? s.yellow('disabled (counts as healthy)') : h.healthy ? s.green('healthy') : s.red('FAILING');
  const lines = [
    `${s.bold(region)}  health check ${h.id}  ${verdict}  ${h.healthyCheckers}/${h.checkers.length} checkers healthy`,
    `  type ${c.type}  target ${target(h)}${c.searchString ? `  search "${c.searchString}"` : ''}`,
    `  interval ${c.requestInterval ?? '-'}s  failure threshold ${c.failureThreshold ?? '-'}  inverted ${yesNo(c.inverted)}  disabled ${yesNo(c.disabled)}${c.enableSni !== undefined ? `  sni ${yesNo(c.enableSni)}` : ''}`,
  ];
  // The raw observations and what Route 53 makes of them (Inverted and Disabled apply to the verdict only).
  if (h.verdict) lines.push(`  verdict  ${h.healthy ? 'healthy' : 'unhealthy'}: ${describeVerdict(h.verdict)}`);
  const rows = (list: typeof h.checkers) =>
    grid(
      ['checker', 'status', 'checked'],
      list.map((x) => ({ kind: 'row' as const, label: '', cells: [x.checkerRegion, x.healthy ? s.green(x.status) : s.red(x.status), x.checkedTime ?? '-'] })),
      columns,
    )
      .split('\n')
      .map((l) => `  ${l.trimStart()}`)
      .join('\n');
  lines.push(s.dim('  latest observations (raw, before Inverted)'));
  lines.push(h.checkers.length ? rows(h.checkers) : '  (no observations yet)');
  lines.push(s.dim('  last failures'));
  lines.push(h.lastFailures.length ? rows(h.lastFailures) : '  (none reported)');
  return lines.join('\n');
}

export function renderHealth(checks: Record<Region, Observed<HealthCheckView>>, s: Style, columns: number): string {
  const regions = Object.keys(checks);
  if (regions.length === 0) return 'The topology names no health checks.';
  return regions.map((r) => one(r, checks[r], s, columns)).join('\n\n');
}
