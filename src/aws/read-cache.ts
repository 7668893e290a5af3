// Reads shared by the steps of one plan. Planning reads the world once, before anything changes:
// every step of a failover plans at the same moment and no mutation is sent while it does, so when
// two steps ask the same question (the target's health check for the preflight gate, the shift's
// gate and the final gate; the global cluster for the lag gate and the switchover; the same lag
// metric) one call answers both, and the plan is judged on one coherent picture.
//
// Scope, deliberately narrow: one call of planSpec (src/engine/planner.ts) wraps its context's reads
// in a fresh cache and drops it when the plan is made. So:
// - the plan made under the lock (the stale check, src/engine/run.ts) never sees a read from before
//   the lock: it plans again with a new cache and re-reads everything;
// - apply, verify and every poll (StepContext.aws) read AWS each time: they must see the change.
// Only reads that are pure functions of the world at one moment are shared (not GetChange, not
// TestDNSAnswer); a read that fails is not kept, so a later step asks again. Each caller gets its
// own copy of the answer, so no step can alter what another sees.
import type { ReadAws } from './types.js';

type Reader<A extends unknown[], R> = (...args: A) => Promise<R>;

export interface SharedReads {
  aws: ReadAws;
  /** Calls actually made (not answered from the cache). */
  readonly calls: number;
}

export function sharedReads(aws: ReadAws): SharedReads {
  const seen = new Map<string, Promise<unknown>>();
  let calls = 0;
  function share<A extends unknown[], R>(name: string, read: Reader<A, R>): Reader<A, R> {
    return (...args: A) => {
      const key = `${name}:${JSON.stringify(args)}`;
      let p = seen.get(key) as Promise<R> | undefined;
      if (p === undefined) {
        calls++;
        const fresh = read(...args);
        fresh.catch(() => seen.delete(key));
        seen.set(key, fresh);
        p = fresh;
      }
      return p.then((v) => structuredClone(v));
    };
  }
  const wrapped: ReadAws = {
    ecr: (region) => aws.ecr(region),
    secretsManager: (region) => aws.secretsManager(region),
    iam: () => aws.iam(),
    discovery: () => aws.discovery(),
    ...(aws.sandbox ? { sandbox: () => aws.sandbox!() } : {}),
    route53: () => {
      const r = aws.route53();
      return {
        ...r,
        getHostedZone: share('route53.getHostedZone', r.getHostedZone),
        readRecords: share('route53.readRecords', r.readRecords),
        getHealthCheck: share('route53.getHealthCheck', r.getHealthCheck),
        getHealthCheckStatus: share('route53.getHealthCheckStatus', r.getHealthCheckStatus),
      };
    },
    rds: (region) => {
      const r = aws.rds(region);
      return {
        ...r,
        readGlobalCluster: share(`rds.${region}.readGlobalCluster`, r.readGlobalCluster),
        readDbCluster: share(`rds.${region}.readDbCluster`, r.readDbCluster),
        readDbInstance: share(`rds.${region}.readDbInstance`, r.readDbInstance),
      };
    },
    elasticache: (region) => {
      const e = aws.elasticache(region);
      return {
        ...e,
        readGlobalDatastore: share(`elasticache.${region}.readGlobalDatastore`, e.readGlobalDatastore),
        readReplicationGroup: share(`elasticache.${region}.readReplicationGroup`, e.readReplicationGroup),
      };
    },
    ecs: (region) => {
      const e = aws.ecs(region);
      return { ...e, describeServices: share(`ecs.${region}.describeServices`, e.describeServices) };
    },
    cloudwatch: (region) => {
      const c = aws.cloudwatch(region);
      return {
        ...c,
        auroraReplicationLag: share(`cloudwatch.${region}.auroraReplicationLag`, c.auroraReplicationLag),
        replicaLag: share(`cloudwatch.${region}.replicaLag`, c.replicaLag),
        datastoreReplicationLag: share(`cloudwatch.${region}.datastoreReplicationLag`, c.datastoreReplicationLag),
        clusterReplicaLag: share(`cloudwatch.${region}.clusterReplicaLag`, c.clusterReplicaLag),
      };
    },
    applicationAutoScaling: (region) => {
      const a = aws.applicationAutoScaling(region);
      return { ...a, readEcsScalableTarget: share(`aas.${region}.readEcsScalableTarget`, a.readEcsScalableTarget) };
    },
    sts: (region) => {
      const s = aws.sts(region);
      return { ...s, callerIdentity: share(`sts.${region ?? ''}.callerIdentity`, s.callerIdentity) };
    },
  };
  return {
    aws: wrapped,
    get calls() {
      return calls;
    },
  };
}
