// `mr status`: the RDS section (DB instances and their cross-region read replicas), one column per region.
import type { Style } from '../../io/types.js';
import type { ObservedState, RdsClusterView, RdsInstanceView } from '../../inspect/types.js';
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
  const instances = Object.values(rds.regions).some((o) => !o.ok || o.value.length > 0) || !rds.clusters;
  return [...(instances ? instanceRows(st, s, cells, role) : []), ...clusterRows(st, s)];
}

function instanceRows(st: ObservedState, s: Style, cells: (show: (i: RdsInstanceView) => string) => string[], role: (i: RdsInstanceView) => string): Row[] {
  const rds = st.rds!;
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

/** Cross-region read replica clusters (rds.clusters): one line per region for each row. */
function clusterRows(st: ObservedState, s: Style): Row[] {
  const rds = st.rds!;
  const clusters = rds.clusters;
  if (!clusters) return [];
  const cells = (show: (c: RdsClusterView) => string) =>
    st.regions.map((r) => {
      const o = clusters[r];
      if (!o) return s.dim('-');
      if (!o.ok) return o.unreachable ? s.red('unreachable') : s.red('error');
      return o.value.length ? o.value.map(show).join(', ') : s.red('none');
    });
  const role = (c: RdsClusterView) => (c.source ? `replica of ${c.source.id} (${c.source.region})` : c.replicas?.length ? s.bold('source') : 'standalone');
  return [
    { kind: 'section', title: s.bold(`RDS  clusters (AuroraBinlogReplicaLag bound ${rds.maxLagMs} ms)`) },
    { kind: 'row', label: 'cluster', cells: cells((c) => c.id) },
    { kind: 'row', label: 'role', cells: cells(role) },
    { kind: 'row', label: 'status', cells: cells((c) => good(s, c.status, c.status === 'available')) },
    {
      kind: 'row',
      label: 'lag',
      cells: cells((c) => (!c.source ? s.dim('-') : c.lagMs === null ? s.dim('no data') : good(s, `${c.lagMs} ms`, c.lagMs <= rds.maxLagMs))),
    },
  ];
}
