// What Aurora checks before a switchover or failover can move the writer to a member (Aurora user guide,
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
// the primary and the target need "the same major and minor engine versions" (patch levels may differ
// for some engines), and a secondary with no DB instance (headless) has nothing to promote.
// ⚠ The exact error codes are not documented; the SDK model lists InvalidDBClusterStateFault and
// InvalidGlobalClusterStateFault for both operations: a headless target is a state of that cluster, a
// version mismatch a state of the global cluster.
import { SandboxAwsError } from '../../contract.js';
import { memberOf, type AuroraGlobalCluster, type AuroraMember } from './state.js';

/** "16.4" of "16.4.1"; "3.04" of "8.0.mysql_aurora.3.04.1". */
export function majorMinor(version: string): string {
  const mysql = /mysql_aurora\.(\d+)\.(\d+)/.exec(version);
  if (mysql) return `${mysql[1]}.${mysql[2]}`;
  const m = /^(\d+)(?:\.(\d+))?/.exec(version);
  return m ? `${m[1]}.${m[2] ?? '0'}` : version;
}

export function versionOf(gc: AuroraGlobalCluster, m: AuroraMember): string {
  return m.engineVersion ?? gc.engineVersion;
}

export function checkCanTakeOver(gc: AuroraGlobalCluster, target: AuroraMember): void {
  if ((target.instances ?? 1) === 0) {
    throw new SandboxAwsError(
      'InvalidDBClusterStateFault',
      `DB cluster ${target.clusterId} has no DB instances (headless); add an instance before it can become the primary cluster.`,
    );
  }
  const writer = memberOf(gc, gc.writer);
  if (!writer) return;
  const [from, to] = [versionOf(gc, writer), versionOf(gc, target)];
  if (majorMinor(from) !== majorMinor(to)) {
    throw new SandboxAwsError(
      'InvalidGlobalClusterStateFault',
      `The primary cluster ${writer.clusterId} (engine version ${from}) and the target ${target.clusterId} (${to}) must have the same major and minor engine versions.`,
    );
  }
}
