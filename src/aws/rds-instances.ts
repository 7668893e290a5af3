// RDS DB instances and cross-region read replicas: the SDK's DBInstance as a plain domain type.
// AWS sources: DescribeDBInstances (API reference; ReadReplicaSourceDBInstanceIdentifier, ReadReplicaDBInstanceIdentifiers,
// StatusInfos), DBInstanceStatusInfo (StatusType "read replication"; Status replicating | replication stop point set |
// replication stop point reached | error | stopped | terminated), "Working with DB instance read replicas"
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html), "Creating a read replica in a different
// AWS Region" (USER_ReadRepl.XRgn.html: CreateDBInstanceReadReplica is called in the destination region and names a
// source in another region by its ARN), PromoteReadReplica ("Promoting a read replica to be a standalone DB instance",
// USER_ReadRepl.Promote.html: called for the replica, in its region; one-way; RDS reboots it before it is available).
import type { DBInstance } from '@aws-sdk/client-rds';
import type { DbInstanceInfo } from './types.js';

/** arn:<partition>:rds:<region>:<account>:db:<id> -> region and id (src/aws/rds.ts parses every kind; kept apart to avoid a cycle). */
function parseDbArn(arn: string): { region: string; type: string; id: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn') return undefined;
  return { region: parts[3], type: parts[5], id: parts.slice(6).join(':') };
}

export function instanceArn(region: string, account: string, id: string): string {
  return `arn:aws:rds:${region}:${account}:db:${id}`;
}

/** An instance reference as RDS writes it: an ARN names its region, a bare id is in `region`. */
export function instanceRef(ref: string, region: string): { ref: string; region: string; id: string } {
  const arn = parseDbArn(ref);
  return arn && arn.type === 'db' ? { ref, region: arn.region, id: arn.id.toLowerCase() } : { ref, region, id: ref.toLowerCase() };
}

/** A TagList (DBInstance, DBCluster) as key -> value. */
export function tagsFromSdk(list: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));
}

export function dbInstanceFromSdk(i: DBInstance, fallbackRegion: string): DbInstanceInfo {
  const arn = i.DBInstanceArn ?? '';
  const region = parseDbArn(arn)?.region || fallbackRegion;
  const repl = i.StatusInfos?.find((s) => s.StatusType === 'read replication');
  return {
    id: (i.DBInstanceIdentifier ?? '').toLowerCase(),
    arn,
    region,
    status: i.DBInstanceStatus ?? '',
    ...(i.Endpoint?.Address !== undefined ? { endpoint: i.Endpoint.Address } : {}),
    ...(i.Engine !== undefined ? { engine: i.Engine } : {}),
    ...(i.EngineVersion !== undefined ? { engineVersion: i.EngineVersion } : {}),
    ...(i.ReadReplicaSourceDBInstanceIdentifier ? { source: instanceRef(i.ReadReplicaSourceDBInstanceIdentifier, region) } : {}),
    replicas: i.ReadReplicaDBInstanceIdentifiers ?? [],
    tags: tagsFromSdk(i.TagList),
    ...(i.DBInstanceClass !== undefined ? { instanceClass: i.DBInstanceClass } : {}),
    ...(i.DBClusterIdentifier ? { clusterId: i.DBClusterIdentifier.toLowerCase() } : {}),
    ...(repl ? { replication: { status: repl.Status ?? '', normal: repl.Normal ?? false, ...(repl.Message ? { message: repl.Message } : {}) } } : {}),
  };
}
