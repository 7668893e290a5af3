// `mr status` on a screen: regions as columns, one section per service, then the findings.
import type { Style } from '../../io/types.js';
import type { Finding, ObservedState, Observed } from '../../inspect/types.js';
import { isHealthy } from '../../inspect/judge.js';
import { grid, type Row } from './table.js';
import { rdsRows } from './status-rds.js';

/** The text a cell shows for a read that failed. */
function failed(o: Observed<unknown>, s: Style): string {
  return o.ok ? '' : o.unreachable ? s.red('unreachable') : s.red('error');
}

function cellOf<T>(o: Observed<T> | undefined, s: Style, show: (v: T) => string): string {
  if (!o) return s.dim('-');
  return o.ok ? show(o.value) : failed(o, s);
}

const good = (s: Style, v: string, ok: boolean, warn = false) => (ok ? s.green(v) : warn ? s.yellow(v) : s.red(v));

function route53Rows(st: ObservedState, s: Style): Row[] {
  const r53 = st.route53;
  if (!r53) return [];
  const rows: Row[] = [{ kind: 'section', title: s.bold(`Route 53  zone ${r53.hostedZoneId}`) }];
  for (const rec of r53.records) {
    if (!rec.ok) {
      rows.push({ kind: 'row', label: `${rec.name} ${rec.type}`, cells: st.regions.map(() => failed(rec, s)) });
      continue;
    }
    const { name, type, sets } = rec.value;
    rows.push({
      kind: 'row',
      label: `${name} ${type}`,
      cells: st.regions.map((r) => {
        const set = sets.find((x) => x.region === r);
        if (!set || !set.found) return s.red('no record');
        if (set.weight === undefined) return s.yellow('not weighted');
        return set.weight > 0 ? s.bold(String(set.weight)) : String(set.weight);
      }),
    });
  }
  rows.push({
    kind: 'row',
    label: 'health check',
    cells: st.regions.map((r) =>
      cellOf(r53.healthChecks[r], s, (h) => {
        if (h.config.disabled) return s.yellow('disabled');
        const n = `${h.healthyCheckers}/${h.checkers.length}`;
        if (h.config.inverted) return s.yellow(`inverted ${n}`);
        return h.healthy ? s.green(`healthy ${n}`) : s.red(`FAILING ${n}`);
      }),
    ),
  });
  const controls = r53.controlChecks;
  if (controls) {
    rows.push({
      kind: 'row',
      label: 'control check',
      cells: st.regions.map((r) => cellOf(controls[r], s, (h) => (h.config.inverted ? s.yellow('INVERTED') : s.green('not inverted')))),
    });
  }
  for (const rec of r53.routed ?? []) rows.push(routedRow(st, rec, s));
  return rows;
}

/**
 * A latency or failover record: per region whether Route 53 answers with it. In DNS when its application
 * check is healthy and no inversion (control check, or its own check) takes it out; AWS's rules in
 * src/steps/route53-routing.ts.
 */
function routedRow(st: ObservedState, rec: NonNullable<NonNullable<ObservedState['route53']>['routed']>[number], s: Style): Row {
  const label = `${rec.name} ${rec.type}`;
  if (!rec.ok) return { kind: 'row', label, cells: st.regions.map(() => failed(rec, s)) };
  const r53 = st.route53!;
  return {
    kind: 'row',
    label,
    cells: st.regions.map((r) => {
      const set = rec.value.sets.find((x) => x.region === r);
      if (!set) return s.dim('-');
      if (!set.found) return s.red('no record');
      const role = set.failover ? `${set.failover === 'PRIMARY' ? 'primary' : 'secondary'} ` : '';
      const app = r53.healthChecks[r];
      const control = r53.controlChecks?.[r];
      if (control?.ok && control.value.config.inverted) return s.yellow(`${role}out (control inverted)`);
      if (app?.ok && app.value.config.inverted && !control) return s.yellow(`${role}out (check inverted)`);
      if (app?.ok && !app.value.healthy) return s.red(`${role}out (unhealthy)`);
      return s.green(`${role}in DNS`);
    }),
  };
}

/**
 * Where the global writer endpoint resolves: under the region whose cluster endpoint it names, green when that
 * is the writer, yellow when it is not (it still names the old writer after a switchover); absent when not resolved.
 */
function writerEndpointRow(st: ObservedState, s: Style): Row[] {
  const we = st.aurora?.writerEndpoint;
  if (!we) return [];
  const writerRegion = st.aurora!.global.ok ? st.aurora!.global.value.members.find((m) => m.isWriter)?.region : undefined;
  const cells = st.regions.map((r) => {
    if (!we.ok) return r === writerRegion ? s.yellow('not resolved') : s.dim('-');
    const c = st.aurora!.clusters[r];
    const endpoint = c?.ok ? c.value.endpoint?.toLowerCase() : undefined;
    const named = !!endpoint && we.value.names.includes(endpoint);
    if (named) return r === writerRegion ? s.green('names this writer') : s.yellow('names this (not the writer)');
    return r === writerRegion ? s.yellow('not named') : s.dim('-');
  });
  return [{ kind: 'row', label: 'global name', cells }];
}

function auroraRows(st: ObservedState, s: Style): Row[] {
  const a = st.aurora;
  if (!a) return [];
  const g = a.global.ok ? a.global.value : undefined;
  let title = `Aurora  ${a.globalClusterId}  `;
  if (!a.global.ok) title += s.red(a.global.unreachable ? 'unreachable' : 'error');
  else {
    title += good(s, g!.status, g!.status === 'available', true);
    if (g!.failover) {
      const region = (arn?: string) => g!.members.find((m) => m.clusterArn === arn)?.region ?? '?';
      title += s.yellow(
        `  ${g!.failover.status} ${region(g!.failover.fromArn)} -> ${region(g!.failover.toArn)}${g!.failover.dataLossAllowed ? ' (data loss allowed)' : ''}`,
      );
    }
  }
  if (g?.writerEndpoint) title += s.dim(`  global writer endpoint ${g.writerEndpoint}`);
  const member = (r: string) => g?.members.find((m) => m.region === r);
  const noGlobal = () => (a.global.ok ? s.red('not a member') : failed(a.global, s));
  return [
    { kind: 'section', title: s.bold(title) },
    { kind: 'row', label: 'role', cells: st.regions.map((r) => (member(r) ? (member(r)!.isWriter ? s.bold('writer') : 'reader') : noGlobal())) },
    ...writerEndpointRow(st, s),
    {
      kind: 'row',
      label: 'sync',
      cells: st.regions.map((r) => {
        const m = member(r);
        if (!m) return noGlobal();
        if (m.syncStatus && m.syncStatus !== 'connected') return s.yellow(`rebuilding (${m.syncStatus})`);
        return m.syncStatus ? good(s, m.syncStatus, true, true) : s.dim('-');
      }),
    },
    {
      kind: 'row',
      label: 'lag',
      cells: st.regions.map((r) => {
        if (member(r)?.isWriter) return s.dim('-');
        const sync = member(r)?.syncStatus;
        if (sync && sync !== 'connected') return s.yellow('rebuilding');
        return cellOf(a.lagMs[r], s, (v) => (v === null ? s.dim('no data') : good(s, `${v} ms`, v <= a.maxLagMs, true)));
      }),
    },
    { kind: 'row', label: 'cluster', cells: st.regions.map((r) => cellOf(a.clusters[r], s, (c) => good(s, c.status, c.status === 'available', true))) },
  ];
}

function elastiCacheRows(st: ObservedState, s: Style): Row[] {
  const e = st.elasticache;
  if (!e) return [];
  const d = e.datastore.ok ? e.datastore.value : undefined;
  const title = `Global Datastore  ${e.globalReplicationGroupId}  ${d ? good(s, d.status, d.status === 'available', true) : s.red(!e.datastore.ok && e.datastore.unreachable ? 'unreachable' : 'error')}`;
  const member = (r: string) => d?.members.find((m) => m.region === r);
  const noGlobal = () => (e.datastore.ok ? s.red('not a member') : failed(e.datastore, s));
  return [
    { kind: 'section', title: s.bold(title) },
    {
      kind: 'row',
      label: 'role',
      cells: st.regions.map((r) => (member(r) ? (member(r)!.role.toUpperCase() === 'PRIMARY' ? s.bold('primary') : 'secondary') : noGlobal())),
    },
    {
      kind: 'row',
      label: 'member',
      cells: st.regions.map((r) => (member(r) ? good(s, member(r)!.status, member(r)!.status === 'associated', true) : noGlobal())),
    },
    {
      kind: 'row',
      label: 'replication group',
      cells: st.regions.map((r) => cellOf(e.replicationGroups[r], s, (g) => good(s, g.status, g.status === 'available', true))),
    },
  ];
}

function ecsRows(st: ObservedState, s: Style): Row[] {
  const ecs = st.ecs;
  if (!ecs) return [];
  const names = [...new Set(Object.values(ecs).flatMap((o) => (o.ok ? o.value.services.map((x) => x.name) : [])))];
  const rows: Row[] = [{ kind: 'section', title: s.bold('ECS  desired/running/pending') }];
  if (names.length === 0) rows.push({ kind: 'row', label: 'services', cells: st.regions.map((r) => cellOf(ecs[r], s, () => '')) });
  for (const name of names) {
    rows.push({
      kind: 'row',
      label: name,
      cells: st.regions.map((r) =>
        cellOf(ecs[r], s, (v) => {
          const svc = v.services.find((x) => x.name === name);
          if (!svc) return s.dim('-');
          if (svc.status === 'MISSING') return s.red('missing');
          return good(s, `${svc.desired}/${svc.running}/${svc.pending}`, svc.running >= svc.desired && svc.status === 'ACTIVE', true);
        }),
      ),
    });
  }
  return rows;
}

export function renderFindings(findings: Finding[], s: Style): string {
  if (findings.length === 0) return s.green('No findings: every region is healthy.');
  const tag = { critical: s.red('critical'), warning: s.yellow('warning '), info: s.dim('info    ') };
  return [s.bold('Findings'), ...findings.map((f) => `  ${tag[f.severity]}  ${f.message}`)].join('\n');
}

export function renderStatus(st: ObservedState, findings: Finding[], s: Style, columns: number, endpoint?: string): string {
  const healthy = isHealthy(findings);
  // An endpoint override is named in the header: every answer below came from there, not from AWS.
  const via = endpoint ? `  ${s.yellow(`via ${endpoint}`)}` : '';
  const head = `${s.bold(st.topology)}  ${s.dim(st.observedAt)}  ${healthy ? s.green('healthy') : s.red('DEGRADED')}${via}`;
  const endpoints: Row = { kind: 'row', label: 'endpoints', cells: st.regions.map((r) => (st.unreachable[r] ? s.red('UNREACHABLE') : s.green('ok'))) };
  const rows = [endpoints, ...route53Rows(st, s), ...auroraRows(st, s), ...rdsRows(st, s), ...elastiCacheRows(st, s), ...ecsRows(st, s)];
  return [head, '', grid(st.regions, rows, columns), '', renderFindings(findings, s)].join('\n');
}
