// Which lag metric a cluster publishes in the sandbox (Aurora user guide, aurora-global-database-disaster-recovery:
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
// AuroraGlobalDBRPOLag for every Aurora PostgreSQL version and Aurora MySQL 3.04.0+ / 2.12.0+,
// AuroraGlobalDBReplicationLag for lower Aurora MySQL versions.
import { memberOf, type AuroraState } from './state.js';
import { versionOf } from './preconditions.js';

export function lagMetricOf(engine: string, version: string): string {
  if (engine === 'aurora-postgresql') return 'AuroraGlobalDBRPOLag';
  const m = /mysql_aurora\.(\d+)\.(\d+)/.exec(version);
  if (engine === 'aurora-mysql' && m) {
    const [major, minor] = [Number(m[1]), Number(m[2])];
    if (major > 3 || (major === 3 && minor >= 4) || (major === 2 && minor >= 12)) return 'AuroraGlobalDBRPOLag';
  }
  return 'AuroraGlobalDBReplicationLag';
}

export function auroraLagMetric(state: AuroraState | undefined, clusterId: string): string | undefined {
  for (const gc of state?.globalClusters ?? []) {
    const m = memberOf(gc, clusterId);
    if (m) return m.publishesLag === false ? undefined : lagMetricOf(gc.engine, versionOf(gc, m));
  }
  return undefined;
}
