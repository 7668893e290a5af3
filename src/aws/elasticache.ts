// ElastiCache Global Datastore adapter.
import type { ElastiCacheClient, GlobalReplicationGroup, ReplicationGroup } from '@aws-sdk/client-elasticache';
import { AwsCallError } from './errors.js';
import { type Connection, requestIdOf } from './connection.js';
import type { MutationSink } from './mutation.js';
import type { ElastiCacheApi, ElastiCacheMutations, GlobalDatastoreInfo, ReplicationGroupInfo } from './types.js';

type Sdk = typeof import('@aws-sdk/client-elasticache');
export type ElastiCacheConnection = Connection<Sdk, ElastiCacheClient>;

/**
 * Roles come back upper case in the CLI examples (PRIMARY) but the API docs say "primary or secondary"
 * (⚠ AWS-FACTS §4.2, case unverified); upper-casing lets callers compare with 'PRIMARY' either way.
 */
function role(value: string | undefined): string {
  return (value ?? '').toUpperCase();
}

export function globalDatastoreFromSdk(g: GlobalReplicationGroup): GlobalDatastoreInfo {
  return {
    id: g.GlobalReplicationGroupId ?? '',
    status: g.Status ?? '',
    engine: g.Engine,
    members: (g.Members ?? []).map((m) => ({
      replicationGroupId: m.ReplicationGroupId ?? '',
      region: m.ReplicationGroupRegion ?? '',
      role: role(m.Role),
      status: m.Status ?? '',
    })),
  };
}

export function replicationGroupFromSdk(r: ReplicationGroup): ReplicationGroupInfo {
  const globalRole = r.GlobalReplicationGroupInfo?.GlobalReplicationGroupMemberRole;
  // DescribeReplicationGroups: ConfigurationEndpoint for cluster mode enabled, NodeGroups[].PrimaryEndpoint
  // otherwise (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ReplicationGroup.html).
  const endpoint = r.ConfigurationEndpoint?.Address ?? r.NodeGroups?.[0]?.PrimaryEndpoint?.Address;
  return {
    id: r.ReplicationGroupId ?? '',
    status: r.Status ?? '',
    globalRole: globalRole === undefined ? undefined : role(globalRole),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(r.MemberClusters?.length ? { memberClusters: r.MemberClusters } : {}),
  };
}

export function elastiCacheAdapter(conn: ElastiCacheConnection): ElastiCacheApi {
  const missing = (operation: string, code: string, what: string, requestId: string | undefined) =>
    new AwsCallError('elasticache', conn.region, operation, code, `${what} was not in the response`, { requestId, unreachable: false, throttled: false });

  return {
    async readGlobalDatastore(globalReplicationGroupId) {
      // Members are listed only with ShowMemberInfo=true (⚠ AWS-FACTS §4.2, inferred from the CLI example).
      const out = await conn.read('DescribeGlobalReplicationGroups', (sdk, c, o) =>
        c.send(new sdk.DescribeGlobalReplicationGroupsCommand({ GlobalReplicationGroupId: globalReplicationGroupId, ShowMemberInfo: true }), o),
      );
      const g = out.GlobalReplicationGroups?.[0];
      if (g === undefined) {
        throw missing(
          'DescribeGlobalReplicationGroups',
          'GlobalReplicationGroupNotFoundFault',
          `global datastore ${globalReplicationGroupId}`,
          requestIdOf(out),
        );
      }
      return globalDatastoreFromSdk(g);
    },

    async readReplicationGroup(replicationGroupId) {
      const out = await conn.read('DescribeReplicationGroups', (sdk, c, o) =>
        c.send(new sdk.DescribeReplicationGroupsCommand({ ReplicationGroupId: replicationGroupId }), o),
      );
      const r = out.ReplicationGroups?.[0];
      if (r === undefined)
        throw missing('DescribeReplicationGroups', 'ReplicationGroupNotFoundFault', `replication group ${replicationGroupId}`, requestIdOf(out));
      return replicationGroupFromSdk(r);
    },
  };
}

export function elastiCacheMutations(conn: ElastiCacheConnection, sink: MutationSink): ElastiCacheMutations {
  return {
    failoverGlobalDatastore(globalReplicationGroupId, primaryRegion, primaryReplicationGroupId, opts) {
      // PrimaryRegion / PrimaryReplicationGroupId name the NEW primary, the secondary being promoted
      // (⚠ AWS-FACTS §4.2, our reading, consistent with published runbooks).
      const input = { GlobalReplicationGroupId: globalReplicationGroupId, PrimaryRegion: primaryRegion, PrimaryReplicationGroupId: primaryReplicationGroupId };
      return conn.mutate(
        sink,
        { operation: 'FailoverGlobalReplicationGroup', target: `global datastore ${globalReplicationGroupId}`, params: input },
        (sdk) => new sdk.FailoverGlobalReplicationGroupCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          const g = out.GlobalReplicationGroup;
          if (g === undefined) {
            throw new AwsCallError(
              'elasticache',
              conn.region,
              'FailoverGlobalReplicationGroup',
              'EmptyResponse',
              `global datastore ${globalReplicationGroupId} was not in the response`,
              {
                requestId: requestIdOf(out),
                unreachable: false,
                throttled: false,
              },
            );
          }
          return { ...globalDatastoreFromSdk(g), requestId: requestIdOf(out) };
        },
        opts,
      );
    },
  };
}
