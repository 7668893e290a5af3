// CloudWatch adapter: the replication lag metrics mr reads: Aurora global replication lag (RPO lag where it
// exists), RDS ReplicaLag and the Global Datastore's replication lag.
// AWS sources: GetMetricData (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html);
// the Aurora global database lag metrics and their choice by engine (src/aws/aurora-engine.ts,
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
// No datapoint is "unknown", never zero (AWS-FACTS §10): AWS does not say a missing datapoint means no lag.
import type { CloudWatchClient, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { Connection } from './connection.js';
import type { CloudWatchApi } from './types.js';
import type { AuroraLagMetric } from './aurora-engine.js';

type Sdk = typeof import('@aws-sdk/client-cloudwatch');
export type CloudWatchConnection = Connection<Sdk, CloudWatchClient>;

const WINDOW_MS = 5 * 60_000;
const AURORA_LAG_METRICS: AuroraLagMetric[] = ['AuroraGlobalDBRPOLag', 'AuroraGlobalDBReplicationLag'];

/** The value with the newest timestamp, whatever order the service returned them in; null without datapoints. */
export function newestValue(result: MetricDataResult | undefined): number | null {
  const times = result?.Timestamps ?? [];
  const values = result?.Values ?? [];
  let best = -1;
  for (let i = 0; i < Math.min(times.length, values.length); i++) {
    if (best < 0 || new Date(times[i]).getTime() > new Date(times[best]).getTime()) best = i;
  }
  return best < 0 ? null : values[best];
}

interface MetricAsk {
  namespace: string;
  metric: string;
  dimensions: { Name: string; Value: string }[];
}

export function cloudWatchAdapter(conn: CloudWatchConnection, now: () => number = Date.now): CloudWatchApi {
  /** The newest Maximum (60 s periods, the last five minutes) of each metric asked for, in one GetMetricData call. */
  const metricRead = async (asks: MetricAsk[]): Promise<(number | null)[]> => {
    const end = now();
    const out = await conn.read('GetMetricData', (sdk, c, o) =>
      c.send(
        new sdk.GetMetricDataCommand({
          StartTime: new Date(end - WINDOW_MS),
          EndTime: new Date(end),
          ScanBy: 'TimestampDescending',
          MetricDataQueries: asks.map((a, i) => ({
            Id: `m${i}`,
            ReturnData: true,
            MetricStat: { Metric: { Namespace: a.namespace, MetricName: a.metric, Dimensions: a.dimensions }, Period: 60, Stat: 'Maximum' },
          })),
        }),
        o,
      ),
    );
    return asks.map((_, i) => newestValue(out.MetricDataResults?.find((r) => r.Id === `m${i}`)));
  };
  const one = async (ask: MetricAsk): Promise<number | null> => (await metricRead([ask]))[0];

  return {
    async replicaLag(instanceId) {
      // ReplicaLag: AWS/RDS, dimension DBInstanceIdentifier, unit Seconds, published for a read replica in its own
      // region ("Monitoring read replication", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html;
      // rds-metrics.html). Returned in ms like every lag mr shows.
      const seconds = await one({ namespace: 'AWS/RDS', metric: 'ReplicaLag', dimensions: [{ Name: 'DBInstanceIdentifier', Value: instanceId }] });
      return seconds === null ? null : Math.round(seconds * 1000);
    },

    async clusterReplicaLag(clusterId) {
      // AuroraBinlogReplicaLag: AWS/RDS, Seconds, the lag of a replica DB cluster behind its source across
      // regions (Aurora user guide, Aurora.AuroraMonitoring.Metrics.html). ⚠ Dimension DBClusterIdentifier
      // of the replica, read in the replica's region: the docs list the metric, not its dimensions for this use.
      const seconds = await one({ namespace: 'AWS/RDS', metric: 'AuroraBinlogReplicaLag', dimensions: [{ Name: 'DBClusterIdentifier', Value: clusterId }] });
      return seconds === null ? null : Math.round(seconds * 1000);
    },

    async auroraReplicationLags(clusterId) {
      // Which metric, and what is known of its dimensions: src/aws/aurora-engine.ts. ⚠ The docs disagree
      // on where it is published; we read it in the SECONDARY's region (this client's region) with the
      // single dimension DBClusterIdentifier=<secondary cluster id>, as the metrics reference lists it.
      // Both metrics in one call (GetMetricData takes up to 500 queries): the caller picks by engine when
      // the cluster's own read answers, so the lag read need not wait for it.
      const [rpo, replication] = await metricRead(
        AURORA_LAG_METRICS.map((metric) => ({ namespace: 'AWS/RDS', metric, dimensions: [{ Name: 'DBClusterIdentifier', Value: clusterId }] })),
      );
      return { AuroraGlobalDBRPOLag: rpo, AuroraGlobalDBReplicationLag: replication };
    },

    async datastoreReplicationLag(cacheClusterIds) {
      // GlobalDatastoreReplicationLag, namespace AWS/ElastiCache, unit Seconds: "the lag between the secondary
      // Region's primary node and the primary Region's primary node" (for cluster mode enabled, the largest
      // among the shards); like every Valkey/Redis OSS metric it "is calculated at the cache node level"
      // (ElastiCache user guide, Metrics for Valkey and Redis OSS,
      // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html), and node metrics carry
      // the dimension CacheClusterId (CacheMetrics.html). So it is read in the secondary's region for each of its
      // replication group's cache clusters (MemberClusters): AWS does not say which one publishes it, so the
      // largest value counts (the safer reading of what is at risk); no datapoint anywhere is unknown, never 0.
      if (cacheClusterIds.length === 0) return null;
      const values = await metricRead(
        cacheClusterIds.map((id) => ({
          namespace: 'AWS/ElastiCache',
          metric: 'GlobalDatastoreReplicationLag',
          dimensions: [{ Name: 'CacheClusterId', Value: id }],
        })),
      );
      const known = values.filter((v): v is number => v !== null);
      return known.length === 0 ? null : Math.round(Math.max(...known) * 1000);
    },
  };
}
