// RDS / Aurora global database adapter.
// AWS sources: DescribeGlobalClusters, DescribeDBClusters, SwitchoverGlobalCluster (called in the primary's
// region) and FailoverGlobalCluster with AllowDataLoss (called in the target's region), each naming the
// target by ARN (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html,
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html; AWS-FACTS §10).
import type { DBCluster, DBInstance, GlobalCluster, RDSClient } from '@aws-sdk/client-rds';
import { AwsCallError } from './errors.js';
import { type Connection, requestIdOf } from './connection.js';
import type { MutationSink } from './mutation.js';
import type { DbClusterInfo, DbInstanceInfo, GlobalClusterInfo, GlobalClusterMember, RdsApi, RdsMutations } from './types.js';
import { dbInstanceFromSdk } from './rds-instances.js';
import { replicaClusterFields, replicaClusterMutations } from './rds-clusters.js';

type Sdk = typeof import('@aws-sdk/client-rds');
export type RdsConnection = Connection<Sdk, RDSClient>;

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resourceType: string;
  resourceId: string;
}

/** arn:<partition>:<service>:<region>:<account>:<type>:<id> (RDS uses ':' between type and id). */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, resourceType] = parts;
  return { partition, service, region, account, resourceType, resourceId: parts.slice(6).join(':') };
}

export function globalClusterFromSdk(gc: GlobalCluster): GlobalClusterInfo {
  const members: GlobalClusterMember[] = (gc.GlobalClusterMembers ?? []).map((m) => {
    const arn = m.DBClusterArn ?? '';
    const parsed = parseArn(arn);
    return {
      clusterArn: arn,
      clusterId: parsed?.resourceId ?? arn,
      region: parsed?.region ?? '',
      isWriter: m.IsWriter ?? false,
      syncStatus: m.SynchronizationStatus,
      writeForwarding: m.GlobalWriteForwardingStatus,
      readers: m.Readers ?? [],
    };
  });
  const info: GlobalClusterInfo = {
    id: gc.GlobalClusterIdentifier ?? '',
    arn: gc.GlobalClusterArn ?? '',
    status: gc.Status ?? '',
    engine: gc.Engine,
    engineVersion: gc.EngineVersion,
    members,
    ...(gc.Endpoint ? { writerEndpoint: gc.Endpoint } : {}),
  };
  // FailoverState is present but empty when nothing is in progress (AWS-FACTS §3.2); only a status means one is.
  const fs = gc.FailoverState;
  if (fs?.Status !== undefined) {
    info.failover = {
      status: fs.Status,
      fromArn: fs.FromDbClusterArn,
      toArn: fs.ToDbClusterArn,
      dataLossAllowed: fs.IsDataLossAllowed ?? false,
    };
  }
  return info;
}

export function dbClusterFromSdk(c: DBCluster, fallbackRegion: string): DbClusterInfo {
  const arn = c.DBClusterArn ?? '';
  return {
    id: c.DBClusterIdentifier ?? '',
    arn,
    region: parseArn(arn)?.region || fallbackRegion,
    status: c.Status ?? '',
    endpoint: c.Endpoint,
    globalClusterId: c.GlobalClusterIdentifier,
    ...(c.Engine !== undefined ? { engine: c.Engine } : {}),
    ...(c.EngineVersion !== undefined ? { engineVersion: c.EngineVersion } : {}),
    // RDS sends the list even when it is empty (a headless cluster); absent means not known.
    ...(c.DBClusterMembers !== undefined ? { instances: c.DBClusterMembers.length } : {}),
    // A cross-region read replica cluster: its source by ARN (a bare id names one in the same region).
    ...(c.ReplicationSourceIdentifier ? { source: clusterRef(c.ReplicationSourceIdentifier, parseArn(arn)?.region || fallbackRegion) } : {}),
    ...(c.ReadReplicaIdentifiers !== undefined ? { replicas: c.ReadReplicaIdentifiers } : {}),
    ...replicaClusterFields(c),
  };
}

function clusterRef(ref: string, region: string): { ref: string; region: string; id: string } {
  const a = parseArn(ref);
  return a ? { ref, region: a.region, id: a.resourceId.toLowerCase() } : { ref, region, id: ref.toLowerCase() };
}

function missingIn(region: string, operation: string, code: string, what: string, requestId: string | undefined): AwsCallError {
  return new AwsCallError('rds', region, operation, code, `${what} was not in the response`, { requestId, unreachable: false, throttled: false });
}

export function rdsAdapter(conn: RdsConnection): RdsApi {
  const missing = (operation: string, code: string, what: string, requestId: string | undefined) => missingIn(conn.region, operation, code, what, requestId);
  return {
    // DB instances and read replicas: src/aws/rds-instances.ts says what AWS documents of each call.
    async readDbInstance(instanceId) {
      const out = await conn.read('DescribeDBInstances', (sdk, c, o) => c.send(new sdk.DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }), o));
      const found = out.DBInstances?.[0];
      if (found === undefined) throw missing('DescribeDBInstances', 'DBInstanceNotFoundFault', `DB instance ${instanceId}`, requestIdOf(out));
      return dbInstanceFromSdk(found, conn.region);
    },

    async readGlobalCluster(globalClusterId) {
      // ⚠ AWS-FACTS §3.4: DescribeGlobalClusters is assumed answerable from any member's region; callers pick the region.
      const out = await conn.read('DescribeGlobalClusters', (sdk, c, o) =>
        c.send(new sdk.DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalClusterId }), o),
      );
      const gc = out.GlobalClusters?.[0];
      if (gc === undefined) throw missing('DescribeGlobalClusters', 'GlobalClusterNotFoundFault', `global cluster ${globalClusterId}`, requestIdOf(out));
      return globalClusterFromSdk(gc);
    },

    async readDbCluster(clusterId) {
      const out = await conn.read('DescribeDBClusters', (sdk, c, o) => c.send(new sdk.DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }), o));
      const cluster = out.DBClusters?.[0];
      if (cluster === undefined) throw missing('DescribeDBClusters', 'DBClusterNotFoundFault', `DB cluster ${clusterId}`, requestIdOf(out));
      return dbClusterFromSdk(cluster, conn.region);
    },
  };
}

export function rdsMutations(conn: RdsConnection, sink: MutationSink): RdsMutations {
  const mutated = (operation: string, gc: GlobalCluster | undefined, requestId: string | undefined, globalId: string) => {
    if (gc === undefined) throw missingIn(conn.region, operation, 'EmptyResponse', `global cluster ${globalId}`, requestId);
    return { ...globalClusterFromSdk(gc), requestId };
  };
  const target = (globalClusterId: string) => `aurora global cluster ${globalClusterId}`;
  const instance = (operation: string, i: DBInstance | undefined, requestId: string | undefined, id: string): DbInstanceInfo & { requestId?: string } => {
    if (i === undefined) throw missingIn(conn.region, operation, 'EmptyResponse', `DB instance ${id}`, requestId);
    return { ...dbInstanceFromSdk(i, conn.region), requestId };
  };

  return {
    // CreateDBCluster (read replica form) and CreateDBInstance into it: src/aws/rds-clusters.ts.
    ...replicaClusterMutations(conn, sink, dbClusterFromSdk),
    // Called for the replica cluster, in its region only (API reference, PromoteReadReplicaDBCluster;
    // AuroraMySQL.Replication.CrossRegion.Promote.html: its instances reboot before it is available).
    promoteReadReplicaCluster(clusterId, opts) {
      const input = { DBClusterIdentifier: clusterId };
      return conn.mutate(
        sink,
        { operation: 'PromoteReadReplicaDBCluster', target: `rds cluster ${clusterId}`, params: input },
        (sdk) => new sdk.PromoteReadReplicaDBClusterCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          if (out.DBCluster === undefined)
            throw missingIn(conn.region, 'PromoteReadReplicaDBCluster', 'EmptyResponse', `DB cluster ${clusterId}`, requestIdOf(out));
          return { ...dbClusterFromSdk(out.DBCluster, conn.region), requestId: requestIdOf(out) };
        },
        opts,
      );
    },

    // Called for the replica, in its region only (USER_ReadRepl.Promote.html; src/aws/rds-instances.ts).
    promoteReadReplica(instanceId, opts) {
      const input = { DBInstanceIdentifier: instanceId };
      return conn.mutate(
        sink,
        { operation: 'PromoteReadReplica', target: `rds instance ${instanceId}`, params: input },
        (sdk) => new sdk.PromoteReadReplicaCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          return instance('PromoteReadReplica', out.DBInstance, requestIdOf(out), instanceId);
        },
        opts,
      );
    },

    // Called in the destination region, naming a source in another region by its ARN (USER_ReadRepl.XRgn.html).
    // Tags: CreateDBInstanceReadReplica's Tags (API reference); they stay on the instance when it is promoted.
    createReadReplica(instanceId, sourceArn, opts) {
      const { tags: given, ...mutateOpts } = opts ?? {};
      const tags = Object.entries(given ?? {}).map(([Key, Value]) => ({ Key, Value }));
      const input = { DBInstanceIdentifier: instanceId, SourceDBInstanceIdentifier: sourceArn, ...(tags.length ? { Tags: tags } : {}) };
      return conn.mutate(
        sink,
        { operation: 'CreateDBInstanceReadReplica', target: `rds instance ${instanceId}`, params: input },
        (sdk) => new sdk.CreateDBInstanceReadReplicaCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          return instance('CreateDBInstanceReadReplica', out.DBInstance, requestIdOf(out), instanceId);
        },
        mutateOpts,
      );
    },

    switchoverGlobalCluster(globalClusterId, targetClusterArn, opts) {
      const input = { GlobalClusterIdentifier: globalClusterId, TargetDbClusterIdentifier: targetClusterArn };
      return conn.mutate(
        sink,
        { operation: 'SwitchoverGlobalCluster', target: target(globalClusterId), params: input },
        (sdk) => new sdk.SwitchoverGlobalClusterCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          return mutated('SwitchoverGlobalCluster', out.GlobalCluster, requestIdOf(out), globalClusterId);
        },
        opts,
      );
    },

    failoverGlobalCluster(globalClusterId, targetClusterArn, opts) {
      // AllowDataLoss alone selects an unplanned failover; AllowDataLoss and Switchover "can't be specified together"
      // (AWS-FACTS §3.4), so Switchover is left out rather than sent as false.
      const input = { GlobalClusterIdentifier: globalClusterId, TargetDbClusterIdentifier: targetClusterArn, AllowDataLoss: true };
      return conn.mutate(
        sink,
        { operation: 'FailoverGlobalCluster', target: target(globalClusterId), params: input },
        (sdk) => new sdk.FailoverGlobalClusterCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          return mutated('FailoverGlobalCluster', out.GlobalCluster, requestIdOf(out), globalClusterId);
        },
        opts,
      );
    },
  };
}
