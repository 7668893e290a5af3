// Aurora DB clusters replicating across regions without a global database: the return trip's two calls.
// AWS sources: "Replicating Amazon Aurora MySQL DB clusters across AWS Regions"
// (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Replication.CrossRegion.html): with the
// API, call CreateDBCluster in the destination region with ReplicationSourceIdentifier = the source cluster's ARN,
// wait until the cluster is available, then CreateDBInstance with DBClusterIdentifier for its primary instance (a
// cluster with no DB instance serves nothing). CreateDBCluster in the API reference and the SDK model
// (node_modules/@aws-sdk/client-rds/dist-types/models/models_0.d.ts, CreateDBClusterMessage):
// - Engine is required: mr sends the source's, and its EngineVersion, so the replica is not created on a newer default.
// - KmsKeyId: "If you create a read replica of an encrypted DB cluster in another Amazon Web Services Region, make sure
//   to set KmsKeyId to a KMS key identifier that is valid in the destination Amazon Web Services Region"; mr sends the
//   key the topology names for that region (rds.kmsKeyIds) and nothing for an unencrypted source.
// - PreSignedUrl ("Specify PreSignedUrl only when you are performing cross-Region replication from an encrypted DB
//   cluster"; SDKs may take SourceRegion instead): mr sends neither. The JS SDK's RDS middleware
//   (@aws-sdk/middleware-sdk-rds, crossRegionPresignedUrlMiddleware) presigns one locally whenever
//   ReplicationSourceIdentifier is an ARN of another region (it signs; it calls nothing in the source region), with
//   the KmsKeyId and DestinationRegion the docs list, so it is right for an encrypted source and harmless otherwise.
// - Tags: mr:replica-of = the source's ARN, as rds.create-replica tags its instance (DBCluster.TagList), so a re-run
//   after the promotion knows the rebuild was done.
import type { DBCluster, RDSClient } from '@aws-sdk/client-rds';
import { AwsCallError } from './errors.js';
import { type Connection, requestIdOf } from './connection.js';
import type { MutationSink } from './mutation.js';
import { dbInstanceFromSdk, tagsFromSdk } from './rds-instances.js';
import type { DbClusterInfo, RdsMutations } from './types.js';

// rds.ts's RdsConnection, spelled here so the two modules do not import each other.
type RdsConnection = Connection<typeof import('@aws-sdk/client-rds'), RDSClient>;

const tagList = (tags: Record<string, string> | undefined) => Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));

/** What dbClusterFromSdk adds for a replica cluster's return trip: its writer instance, encryption and tags. */
export function replicaClusterFields(c: DBCluster): Pick<DbClusterInfo, 'writerInstance' | 'encrypted' | 'tags'> {
  const writer = c.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
  return {
    ...(writer ? { writerInstance: writer.toLowerCase() } : {}),
    ...(c.StorageEncrypted !== undefined ? { encrypted: c.StorageEncrypted } : {}),
    ...(c.TagList !== undefined ? { tags: tagsFromSdk(c.TagList) } : {}),
  };
}

function empty(region: string, operation: string, what: string, requestId: string | undefined): AwsCallError {
  return new AwsCallError('rds', region, operation, 'EmptyResponse', `${what} was not in the response`, { requestId, unreachable: false, throttled: false });
}

export function replicaClusterMutations(
  conn: RdsConnection,
  sink: MutationSink,
  fromSdk: (c: DBCluster, region: string) => DbClusterInfo,
): Pick<RdsMutations, 'createReplicaCluster' | 'createClusterInstance'> {
  return {
    createReplicaCluster(clusterId, spec, opts) {
      const tags = tagList(spec.tags);
      const input = {
        DBClusterIdentifier: clusterId,
        Engine: spec.engine,
        ReplicationSourceIdentifier: spec.sourceArn,
        ...(spec.engineVersion ? { EngineVersion: spec.engineVersion } : {}),
        ...(spec.kmsKeyId ? { KmsKeyId: spec.kmsKeyId } : {}),
        ...(tags.length ? { Tags: tags } : {}),
      };
      return conn.mutate(
        sink,
        { operation: 'CreateDBCluster', target: `rds cluster ${clusterId}`, params: input },
        (sdk) => new sdk.CreateDBClusterCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          if (out.DBCluster === undefined) throw empty(conn.region, 'CreateDBCluster', `DB cluster ${clusterId}`, requestIdOf(out));
          return { ...fromSdk(out.DBCluster, conn.region), requestId: requestIdOf(out) };
        },
        opts,
      );
    },

    createClusterInstance(instanceId, clusterId, spec, opts) {
      const tags = tagList(spec.tags);
      const input = {
        DBInstanceIdentifier: instanceId,
        DBClusterIdentifier: clusterId,
        Engine: spec.engine,
        DBInstanceClass: spec.instanceClass,
        ...(tags.length ? { Tags: tags } : {}),
      };
      return conn.mutate(
        sink,
        { operation: 'CreateDBInstance', target: `rds instance ${instanceId}`, params: input },
        (sdk) => new sdk.CreateDBInstanceCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          if (out.DBInstance === undefined) throw empty(conn.region, 'CreateDBInstance', `DB instance ${instanceId}`, requestIdOf(out));
          return { ...dbInstanceFromSdk(out.DBInstance, conn.region), requestId: requestIdOf(out) };
        },
        opts,
      );
    },
  };
}
