// `mr status --dns` on a screen: per record name, which region answers a client near each region.
import type { Style } from '../../io/types.js';
import type { DnsRecordView } from '../../inspect/dns.js';
import { grid, type Row } from './table.js';

export function renderDns(views: DnsRecordView[], s: Style, columns: number): string {
  const clients = [...new Set(views.flatMap((v) => Object.keys(v.answers)))];
  const rows: Row[] = [{ kind: 'section', title: s.bold('DNS answers (TestDNSAnswer), by where the client is') }];
  for (const v of views) {
    rows.push({
      kind: 'row',
      label: `${v.name} ${v.type}`,
      cells: clients.map((c) => {
        const a = v.answers[c];
        if (!a) return s.dim('-');
        if (!a.ok) return s.red(a.unreachable ? 'unreachable' : 'error');
        if (a.value.region) return s.green(a.value.region);
        return a.value.data.length ? s.yellow(a.value.data.join(',')) : s.red(a.value.responseCode || 'no answer');
      }),
    });
  }
  return grid(
    clients.map((c) => (c === 'default' ? "Route 53's resolver" : `near ${c}`)),
    rows,
    columns,
  );
}
