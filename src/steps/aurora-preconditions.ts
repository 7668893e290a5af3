// What Aurora itself requires before a switchover or failover can move the writer, checked at plan time
// so the refusal comes before anything changes and names the value (Aurora user guide, "Using switchover
// or failover in Amazon Aurora Global Database",
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
// - "only if the primary and secondary DB clusters have the same major and minor engine versions";
// - a headless secondary (no DB instance) has no instance to promote: one must be added first;
// - a switchover is requested in the primary's region ("--region: the AWS Region where the primary DB
//   cluster ... is running"), so a primary region that does not answer rules a planned switchover out.
// - after an unplanned failover Aurora rebuilds every other secondary (and later the old primary); a member
//   being rebuilt (SynchronizationStatus pending-resync) is unreadable and cannot be promoted until it is in sync.
// None of these can be overridden, since AWS would refuse the call anyway.
import { majorMinor } from '../aws/aurora-engine.js';
import { isAwsCallError } from '../aws/errors.js';
import type { DbClusterInfo, GlobalClusterMember, ReadAws } from '../aws/types.js';
import type { Check } from './contract.js';

const reason = (e: unknown) => (isAwsCallError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e));

export function engineVersionCheck(target: DbClusterInfo, primaryVersion: string | undefined, primaryLabel: string): Check {
  const [want, have] = [majorMinor(primaryVersion), majorMinor(target.engineVersion)];
  // Unknown on either side: nothing to compare, and AWS still checks when the call is made.
  const passed = want === undefined || have === undefined || want === have;
  return {
    name: 'engine versions match',
    passed,
    observed: target.engineVersion ?? 'unknown',
    bound: primaryVersion ?? 'unknown',
    message: passed
      ? `${target.id} runs ${target.engineVersion ?? 'an unknown version'}, ${primaryLabel} ${primaryVersion ?? 'an unknown version'}`
      : `${target.id} in ${target.region} runs engine version ${target.engineVersion}, ${primaryLabel} ${primaryVersion}: Aurora needs the same major and minor version (${have} vs ${want}); upgrade the target first`,
  };
}

export function headlessCheck(target: DbClusterInfo): Check {
  const headless = target.instances === 0;
  return {
    name: 'target has a DB instance',
    passed: !headless,
    observed: target.instances ?? 'unknown',
    bound: 'at least 1',
    message: headless
      ? `${target.id} in ${target.region} has no DB instances (a headless secondary): add an instance before it can take the writer role`
      : `${target.id} in ${target.region} has ${target.instances ?? 'its'} DB instance${target.instances === 1 ? '' : 's'}`,
  };
}

/** The primary's cluster, read in its own region; a failure means a planned switchover cannot be asked for there. */
export async function readPrimary(aws: ReadAws, writer: GlobalClusterMember): Promise<{ cluster?: DbClusterInfo; error?: string }> {
  try {
    return { cluster: await aws.rds(writer.region).readDbCluster(writer.clusterId) };
  } catch (e) {
    return { error: reason(e) };
  }
}

export function primaryAnswersCheck(writer: GlobalClusterMember, target: string, read: { error?: string }): Check {
  return {
    name: "primary's region answers",
    passed: read.error === undefined,
    observed: read.error === undefined ? 'answers' : 'no answer',
    message:
      read.error === undefined
        ? `${writer.clusterId} in ${writer.region} answers`
        : `the primary's region ${writer.region} does not answer (${read.error}): a planned switchover is requested there; use \`mr failover ${target} --unplanned\` (data loss allowed) instead`,
    instead: '--unplanned',
  };
}

/** The target is not being rebuilt after an earlier unplanned failover (SynchronizationStatus pending-resync). */
export function rebuildingCheck(target: GlobalClusterMember | undefined, region: string): Check {
  const sync = target?.syncStatus;
  const rebuilding = !!sync && sync !== 'connected';
  return {
    name: 'target not rebuilding',
    passed: !rebuilding,
    observed: sync ?? 'unknown',
    bound: 'connected',
    message: rebuilding
      ? `${target!.clusterId} in ${region} is rebuilding (${sync}) after an unplanned failover: Aurora cannot promote it until it is in sync; choose another region`
      : `${target?.clusterId ?? 'the target'} in ${region} is ${sync ?? 'of unknown sync status'}`,
  };
}
