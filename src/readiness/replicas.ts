// Readiness of RDS cross-region read replicas: a failover to a region promotes the replica there, so it
// must exist, be available, replicate (DBInstanceStatusInfo "read replication" status replicating; RDS
// API reference, DBInstanceStatusInfo, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceStatusInfo.html),
// and not lag over the topology's bound (ReplicaLag, "Monitoring read replication",
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html). A target that
// already holds the primary (no source) has nothing to promote. Judged from what `gather` read.
import type { ReadinessFinding, ReadinessKind } from './types.js';

export const replicasKind: ReadinessKind = {
  name: 'rds',
  applies: (t) => t.rds !== undefined,
  check({ topology: t, state }, target) {
    const out: ReadinessFinding[] = [];
    const add = (resource: string, problem: string, fix: string, kind: ReadinessFinding['kind'] = 'not-ready') =>
      out.push({ target, resource, problem, fix, kind });
    const ids = t.rds!.instances[target]!;
    const read = state.rds?.regions[target];
    if (!read) return out;
    if (!read.ok) {
      add(
        `rds instance ${ids[0]} (${target})`,
        `could not check: ${read.error}`,
        'make it readable (mr iam-policy --for read) and run mr check again',
        'could-not-check',
      );
      return out;
    }
    // The newest identifier that exists is the one a failover acts on (rds.instances lists rebuilt names after the original).
    const db = [...ids]
      .reverse()
      .map((id) => read.value.find((i) => i.id === id))
      .find((i) => i !== undefined);
    if (!db) {
      add(`rds instance ${ids.join(' or ')} (${target})`, 'does not exist', `create a read replica in ${target} (mr run failback --var target=${target})`);
      return out;
    }
    const name = `rds instance ${db.id} (${target})`;
    if (db.status !== 'available') add(name, `is ${db.status}, not available`, 'wait for it to be available');
    if (!db.source) return out;
    const replication = db.replication?.status;
    if (replication !== 'replicating')
      add(
        name,
        `is a replica of ${db.source.id} that is ${replication ?? 'not reporting replication'}, not replicating`,
        `restore replication from ${db.source.id}, or rebuild the replica (mr run failback --var target=${target})`,
      );
    else if (db.lagMs !== null && db.lagMs > t.rds!.maxLagMs)
      add(
        name,
        `lags ${db.lagMs} ms behind ${db.source.id}, over the bound of ${t.rds!.maxLagMs} ms`,
        'find why it lags (write load, instance class) before relying on it',
      );
    return out;
  },
};
