// CloudWatch adapter: the one metric mr gates on, Aurora global replication lag.
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
  return {
    async auroraReplicationLag(clusterId) {
      // ⚠ AWS-FACTS §3.5: the docs disagree on where this metric is published and under which dimensions.
      // Our choice: read it in the SECONDARY's region (this client's region) with the single dimension
      // DBClusterIdentifier=<secondary cluster id>, as the metrics reference and most IaC examples do.
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
                    MetricName: 'AuroraGlobalDBReplicationLag',
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
