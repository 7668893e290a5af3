// Readiness of the data and traffic resources, judged from what `gather` read (pure): Aurora global
// database, Global Datastore, Route 53 records and health checks, ECS services.
import type { Region } from '../aws/types.js';
import type { Observed } from '../inspect/types.js';
import type { ReadinessContext, ReadinessFinding, ReadinessKind } from './types.js';

type Add = (resource: string, problem: string, fix: string, kind?: ReadinessFinding['kind']) => void;

function collector(target: Region): { add: Add; out: ReadinessFinding[] } {
  const out: ReadinessFinding[] = [];
  return { out, add: (resource, problem, fix, kind = 'not-ready') => out.push({ target, resource, problem, fix, kind }) };
}

/** A read that failed: gone (not found) is not ready; anything else is "could not check". */
function unread<T>(add: Add, resource: string, o: Observed<T>, fix: string): o is Extract<Observed<T>, { ok: false }> {
  if (o.ok) return false;
  if (/NotFound/i.test(o.error)) add(resource, `does not exist (${o.error})`, fix);
  else add(resource, `could not check: ${o.error}`, 'make it readable (mr iam-policy --for read) and run mr check again', 'could-not-check');
  return true;
}

// Switchover and failover need matching major and minor engine versions on every member, and a
// target with at least one DB instance (Aurora user guide, aurora-global-database-disaster-recovery;
// AWS-FACTS §10); members must be in sync (SynchronizationStatus connected, GlobalClusterMember API
// reference) and no switchover or failover under way (FailoverState empty).
export const auroraKind: ReadinessKind = {
  name: 'aurora',
  applies: (t) => t.aurora !== undefined,
  check({ topology: t, state }, target) {
    const { add, out } = collector(target);
    const a = state.aurora!;
    const gid = t.aurora!.globalClusterId;
    if (unread(add, `aurora global cluster ${gid}`, a.global, 'create it, or fix aurora.globalClusterId in the topology')) return out;
    const g = a.global.value;
    if (g.status !== 'available') add(`aurora global cluster ${gid}`, `is ${g.status}, not available`, 'wait for it to be available');
    if (g.failover) add(`aurora global cluster ${gid}`, `has a ${g.failover.status} operation under way`, 'wait for the switchover or failover to finish');
    for (const r of t.regions) {
      const id = t.aurora!.clusters[r];
      const c = a.clusters[r];
      if (unread(add, `aurora cluster ${id} (${r})`, c, `fix aurora.clusters.${r} in the topology`)) continue;
      const member = g.members.find((m) => m.clusterId === id && m.region === r);
      if (!member) {
        add(`aurora cluster ${id} (${r})`, `is not a member of ${gid}`, `add it to the global cluster, or fix aurora.clusters.${r}`);
        continue;
      }
      if (!member.isWriter && member.syncStatus !== undefined && member.syncStatus !== 'connected')
        add(`aurora cluster ${id} (${r})`, `is ${member.syncStatus}, not in sync`, 'wait for it to resynchronise');
      if (c.value.status !== 'available') add(`aurora cluster ${id} (${r})`, `is ${c.value.status}, not available`, 'wait for it to be available');
      if (g.engineVersion && c.value.engineVersion && c.value.engineVersion !== g.engineVersion) {
        add(
          `aurora cluster ${id} (${r})`,
          `runs ${c.value.engine ?? 'engine'} ${c.value.engineVersion}, the global cluster ${g.engineVersion}`,
          'upgrade the members to one engine version (switchover and failover need the same major and minor version)',
        );
      }
      if (r === target && c.value.instances === 0)
        add(`aurora cluster ${id} (${r})`, 'is headless (no DB instance), so it cannot take the writer role', `add a DB instance to ${id}`);
    }
    return out;
  },
};

// Members of a Global Datastore are "associated" when replicating (ElastiCache API reference,
// GlobalReplicationGroupMember; AWS-FACTS §10).
export const datastoreKind: ReadinessKind = {
  name: 'elasticache',
  applies: (t) => t.elasticache !== undefined,
  check({ topology: t, state }, target) {
    const { add, out } = collector(target);
    const e = state.elasticache!;
    const gid = t.elasticache!.globalReplicationGroupId;
    if (unread(add, `global datastore ${gid}`, e.datastore, 'create it, or fix elasticache.globalReplicationGroupId')) return out;
    const d = e.datastore.value;
    if (d.status !== 'available') add(`global datastore ${gid}`, `is ${d.status}, not available`, 'wait for it to be available');
    for (const r of t.regions) {
      const id = t.elasticache!.replicationGroups[r];
      if (unread(add, `replication group ${id} (${r})`, e.replicationGroups[r], `fix elasticache.replicationGroups.${r}`)) continue;
      const m = d.members.find((x) => x.replicationGroupId === id);
      if (!m) add(`replication group ${id} (${r})`, `is not a member of ${gid}`, 'add it to the Global Datastore');
      else if (m.status !== 'associated') add(`replication group ${id} (${r})`, `is ${m.status}, not associated`, 'wait for it to associate');
    }
    return out;
  },
};

// A record without a health check is not taken out of rotation by Route 53 when its region fails
// (Route 53 developer guide, "How health checks work in simple and complex configurations").
export const route53Kind: ReadinessKind = {
  name: 'route53',
  applies: (t) => t.route53 !== undefined,
  check({ topology: t, state }, target) {
    const { add, out } = collector(target);
    const r53 = state.route53!;
    const checkId = t.route53!.healthChecks[target];
    const hc = r53.healthChecks[target];
    if (hc) unread(add, `health check ${checkId} (${target})`, hc, `create it, or fix route53.healthChecks.${target}`);
    for (const rec of r53.records) {
      const name = `record ${rec.name} ${rec.type}`;
      if (unread(add, name, rec, 'fix route53.records in the topology')) continue;
      const set = rec.value.sets.find((s) => s.region === target);
      if (!set) continue;
      if (!set.found)
        add(`${name} ${set.setIdentifier}`, `has no record with set identifier ${set.setIdentifier}`, 'create the record, or fix its setIdentifiers');
      else if (set.healthCheckId !== checkId) {
        add(
          `${name} ${set.setIdentifier}`,
          set.healthCheckId ? `has health check ${set.healthCheckId} attached, not ${checkId}` : `has no health check attached (expected ${checkId})`,
          `attach health check ${checkId} to the record`,
        );
      }
    }
    return out;
  },
};

export const ecsKind: ReadinessKind = {
  name: 'ecs',
  applies: (t) => t.ecs !== undefined,
  check({ topology: t, state }, target) {
    const { add, out } = collector(target);
    const region = state.ecs?.[target];
    if (!region) return out;
    const cluster = t.ecs![target]!.cluster;
    if (unread(add, `ecs cluster ${cluster} (${target})`, region, `fix ecs.${target}.cluster`)) return out;
    for (const s of region.value.services) {
      if (s.status !== 'ACTIVE')
        add(
          `ecs service ${cluster}/${s.name} (${target})`,
          s.status === 'MISSING' ? 'does not exist' : `is ${s.status}, not ACTIVE`,
          'create the service, or fix the topology',
        );
    }
    return out;
  },
};

export type { ReadinessContext };
