// The RDS read replica lag metric as CloudWatch answers it in the sandbox. AWS: ReplicaLag, namespace
// AWS/RDS, dimension DBInstanceIdentifier, unit Seconds, published for read replicas in the replica's
// region ("Monitoring read replication", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html;
// "Amazon CloudWatch metrics for Amazon RDS", rds-metrics.html). A primary or standalone instance has no datapoints.
import type { ServiceContext } from '../../contract.js';
import { replicaLagAt, settleInstances, type RdsInstanceState } from './instances.js';

export const REPLICA_LAG_METRIC = 'ReplicaLag';

/** Lag in SECONDS of the replica `id` in `region` at simulated time t; undefined = no datapoint. */
export function replicaLagSeconds(state: RdsInstanceState | undefined, region: string, id: string, t: number, ctx: ServiceContext): number | undefined {
  if (!state) return undefined;
  const copy = structuredClone(state);
  settleInstances(copy, ctx);
  const i = copy.instances.find((x) => x.region === region && x.id === id.toLowerCase());
  if (!i) return undefined;
  const ms = replicaLagAt(i, t, ctx);
  return ms === undefined ? undefined : ms / 1000;
}
