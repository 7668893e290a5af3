// CloudWatch adapter: the one metric mr gates on, Aurora global replication lag (RPO lag where it exists).
// AWS sources: GetMetricData (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html);
// the Aurora global database lag metrics and their choice by engine (src/aws/aurora-engine.ts,
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
// No datapoint is "unknown", never zero (AWS-FACTS §10): AWS does not say a missing datapoint means no lag.
import type { CloudWatchClient, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { Connection } from './connection.js';
import type { CloudWatchApi } from './types.js';

type Sdk = typeof import('@aws-sdk/client-cloudwatch');
export type CloudWatchConnection = Connection<Sdk, CloudWatchClient>;

const WINDOW_MS = 5 * 60_000;

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

export function cloudWatchAdapter(conn: CloudWatchConnection, now: () => number = Date.now): CloudWatchApi {
  const latest = async (metric: string, dimension: string, value: string): Promise<number | null> => {
    const end = now();
    const out = await conn.read('GetMetricData', (sdk, c, o) =>
      c.send(
        new sdk.GetMetricDataCommand({
          StartTime: new Date(end - WINDOW_MS),
          EndTime: new Date(end),
          ScanBy: 'TimestampDescending',
          MetricDataQueries: [
            {
              Id: 'lag',
              ReturnData: true,
              MetricStat: {
                Metric: { Namespace: 'AWS/RDS', MetricName: metric, Dimensions: [{ Name: dimension, Value: value }] },
                Period: 60,
                Stat: 'Maximum',
              },
            },
          ],
        }),
        o,
      ),
    );
    return newestValue(out.MetricDataResults?.find((r) => r.Id === 'lag'));
  };

  return {
    async replicaLag(instanceId) {
      // ReplicaLag: AWS/RDS, dimension DBInstanceIdentifier, unit Seconds, published for a read replica in its own
      // region ("Monitoring read replication", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html;
      // rds-metrics.html). Returned in ms like every lag mr shows.
      const seconds = await latest('ReplicaLag', 'DBInstanceIdentifier', instanceId);
      return seconds === null ? null : Math.round(seconds * 1000);
    },

    async clusterReplicaLag(clusterId) {
      // AuroraBinlogReplicaLag: AWS/RDS, Seconds, the lag of a replica DB cluster behind its source across
      // regions (Aurora user guide, Aurora.AuroraMonitoring.Metrics.html). ⚠ Dimension DBClusterIdentifier
      // of the replica, read in the replica's region: the docs list the metric, not its dimensions for this use.
      const seconds = await latest('AuroraBinlogReplicaLag', 'DBClusterIdentifier', clusterId);
      return seconds === null ? null : Math.round(seconds * 1000);
    },

    async auroraReplicationLag(clusterId, metric = 'AuroraGlobalDBReplicationLag') {
      // Which metric, and what is known of its dimensions: src/aws/aurora-engine.ts. ⚠ The docs disagree
      // on where it is published; we read it in the SECONDARY's region (this client's region) with the
      // single dimension DBClusterIdentifier=<secondary cluster id>, as the metrics reference lists it.
      const end = now();
      const out = await conn.read('GetMetricData', (sdk, c, o) =>
        c.send(
          new sdk.GetMetricDataCommand({
            StartTime: new Date(end - WINDOW_MS),
            EndTime: new Date(end),
            ScanBy: 'TimestampDescending',
            MetricDataQueries: [
              {
                Id: 'lag',
                ReturnData: true,
                MetricStat: {
                  Metric: {
                    Namespace: 'AWS/RDS',
                    MetricName: metric,
                    Dimensions: [{ Name: 'DBClusterIdentifier', Value: clusterId }],
                  },
                  Period: 60,
                  Stat: 'Maximum',
                },
              },
            ],
          }),
          o,
        ),
      );
      return newestValue(out.MetricDataResults?.find((r) => r.Id === 'lag'));
    },
  };
}
