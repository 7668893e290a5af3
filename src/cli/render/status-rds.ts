// `mr status`: the RDS section (DB instances and their cross-region read replicas), one column per region.
import type { Style } from '../../io/types.js';
import type { ObservedState, RdsInstanceView } from '../../inspect/types.js';
import type { Row } from './table.js';

const good = (s: Style, v: string, ok: boolean) => (ok ? s.green(v) : s.yellow(v));

/** One line per region for each row; a region with several instances (an old primary kept) joins them. */
export function rdsRows(st: ObservedState, s: Style): Row[] {
  const rds = st.rds;
  if (!rds) return [];
  const cells = (show: (i: RdsInstanceView) => string) =>
    st.regions.map((r) => {
      const o = rds.regions[r];
      if (!o) return s.dim('-');
      if (!o.ok) return o.unreachable ? s.red('unreachable') : s.red('error');
      return o.value.length ? o.value.map(show).join(', ') : s.red('none');
    });
  const role = (i: RdsInstanceView) =>
    i.source ? `replica of ${i.source.id}${i.source.region !== '' ? ` (${i.source.region})` : ''}` : i.replicas.length ? s.bold('primary') : 'standalone';
  return [
    { kind: 'section', title: s.bold(`RDS  instances (ReplicaLag bound ${rds.maxLagMs} ms)`) },
    { kind: 'row', label: 'instance', cells: cells((i) => i.id) },
    { kind: 'row', label: 'role', cells: cells(role) },
    { kind: 'row', label: 'status', cells: cells((i) => good(s, i.status, i.status === 'available')) },
    {
      kind: 'row',
      label: 'replication',
      cells: cells((i) => (i.replication ? good(s, i.replication.status, i.replication.status === 'replicating') : s.dim('-'))),
    },
    {
      kind: 'row',
      label: 'lag',
      cells: cells((i) => (!i.source ? s.dim('-') : i.lagMs === null ? s.dim('no data') : good(s, `${i.lagMs} ms`, i.lagMs <= rds.maxLagMs))),
    },
  ];
}
