// What an Aurora engine and engine version decide: which CloudWatch metric carries a secondary's
// replication lag, and whether two clusters may switch or fail over between them. Pure; no SDK.
//
// Lag metric (Aurora user guide, "Using switchover or failover in Amazon Aurora Global Database",
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
// "For all versions of Aurora PostgreSQL-based global databases, and for Aurora MySQL-based global
// databases starting with engine versions 3.04.0 and higher or 2.12.0 and higher, use ...
// `AuroraGlobalDBRPOLag` ... For lower minor versions of Aurora MySQL-based global databases, view the
// `AuroraGlobalDBReplicationLag` metric instead." Both are milliseconds, namespace AWS/RDS.
// Dimensions, as found (AWS-FACTS terms):
//   ✔ "Amazon CloudWatch dimensions for Aurora" (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/dimensions.html)
//     lists DBClusterIdentifier ("a specific Aurora DB cluster") and, separately, SourceRegion.
//   ✔ The same DR page: "Some CloudWatch metrics, such as replication lag, are only available for
//     secondary Regions", yet also "When you examine these metrics, do so from the current primary cluster".
//   ⚠ Which region publishes the datapoints and whether SourceRegion must accompany DBClusterIdentifier
//     is not settled (AWS-FACTS §10). mr asks in the secondary's region with DBClusterIdentifier=<secondary>
//     alone, and treats "no datapoint" as unknown, never as zero: the safe reading refuses instead of
//     passing a gate on a lag it never saw.
// Engine versions (same page): "You can perform managed cross-Region failovers with Aurora Global
// Database only if the primary and secondary DB clusters have the same major and minor engine
// versions"; patch levels may differ for some engines, so only major.minor is compared here.

export type AuroraLagMetric = 'AuroraGlobalDBRPOLag' | 'AuroraGlobalDBReplicationLag';

/** Aurora MySQL's own version inside an engine version such as "8.0.mysql_aurora.3.04.0". */
function auroraMysqlVersion(engineVersion: string): [number, number] | undefined {
  const m = /mysql_aurora\.(\d+)\.(\d+)/.exec(engineVersion);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The lag metric AWS says to read for a cluster of this engine and version. */
export function lagMetricFor(engine: string | undefined, engineVersion: string | undefined): AuroraLagMetric {
  if (engine === 'aurora-postgresql') return 'AuroraGlobalDBRPOLag';
  if (engine === 'aurora-mysql' && engineVersion) {
    const v = auroraMysqlVersion(engineVersion);
    if (v && ((v[0] === 3 && v[1] >= 4) || v[0] > 3 || (v[0] === 2 && v[1] >= 12))) return 'AuroraGlobalDBRPOLag';
  }
  // Older Aurora MySQL, the 5.6-compatible `aurora` engine, or an engine we could not read.
  return 'AuroraGlobalDBReplicationLag';
}

/**
 * The major.minor that must match for a managed switchover or failover. Aurora MySQL is compared on its
 * Aurora version (3.04 of "8.0.mysql_aurora.3.04.1"), Aurora PostgreSQL on its own ("16.4" of "16.4.1").
 */
export function majorMinor(engineVersion: string | undefined): string | undefined {
  if (!engineVersion) return undefined;
  const mysql = auroraMysqlVersion(engineVersion);
  if (mysql) return `${mysql[0]}.${String(mysql[1]).padStart(2, '0')}`;
  const m = /^(\d+)(?:\.(\d+))?/.exec(engineVersion);
  return m ? `${m[1]}.${m[2] ?? '0'}` : undefined;
}
