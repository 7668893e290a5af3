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

interface StatusGroup {
  status: string;
  healthy: boolean;
  regions: string[];
  latest: string | undefined;
}

/** Checkers that report the same status, in the order first seen, with the latest time any of them checked. */
export function groupByStatus(list: readonly { checkerRegion: string; status: string; healthy: boolean; checkedTime?: string }[]): StatusGroup[] {
  const groups = new Map<string, StatusGroup>();
  for (const x of list) {
    const g = groups.get(x.status) ?? { status: x.status, healthy: x.healthy, regions: [], latest: undefined };
    g.regions.push(x.checkerRegion);
    if (x.checkedTime && (!g.latest || x.checkedTime > g.latest)) g.latest = x.checkedTime;
    groups.set(x.status, g);
  }
  return [...groups.values()];
}

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
  // Eight checkers usually say one of two things: each reason once, with how many said it and when last.
  const rows = (list: typeof h.checkers) =>
    grid(
      ['checkers', 'status', 'latest'],
      groupByStatus(list).map((g) => ({
        kind: 'row' as const,
        label: '',
        cells: [g.regions.length > 3 ? `${g.regions.length} checkers` : g.regions.join(', '), g.healthy ? s.green(g.status) : s.red(g.status), g.latest ?? '-'],
      })),
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
