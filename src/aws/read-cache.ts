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
//
// One exception, for gates only (planReadsForGate): a gate reached right after the latest plan (the
// preflight gates, about a second after the plan under the lock when nothing is asked) may take that
// plan's read of its own question once, if it was sent less than GATE_REUSE_MS ago and no step has
// changed anything since. Only the gates' questions: a health check's status, the global cluster
// (who writes) and the replication lag. A gate's further polls, and every other step, read AWS.
import type { CloudWatchApi, ReadAws, Route53Api } from './types.js';

type Reader<A extends unknown[], R> = (...args: A) => Promise<R>;

/**
 * How old a plan's read a gate may take instead of reading: 2 s. A health check's status is what its
 * checkers last reported, and they report every 10 or 30 s (HealthCheckConfig RequestInterval,
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html); the lag is the
 * latest datapoint of a metric published at most once a second. A read 2 s old says what a new one would.
 */
export const GATE_REUSE_MS = 2000;

export interface SharedReads {
  aws: ReadAws;
  /** Calls actually made (not answered from the cache). */
  readonly calls: number;
}

interface Kept {
  /** When the read was sent (ms since the epoch). */
  at: number;
  answer: Promise<unknown>;
}

/** The gate questions of the latest plan made over each Aws (keyed by the Aws object the plan was given). */
const latestPlan = new WeakMap<object, Map<string, Kept>>();

const keyOf = (name: string, args: unknown[]) => `${name}:${JSON.stringify(args)}`;

/** `owner`: the Aws the plan is made over, whose gates may take the plan's reads once (planReadsForGate). */
export function sharedReads(aws: ReadAws, owner?: object): SharedReads {
  const seen = new Map<string, Kept>();
  // The latest plan replaces the one before: the plan under the lock replaces the plan before it.
  const forGates = new Map<string, Kept>();
  if (owner) latestPlan.set(owner, forGates);
  let calls = 0;
  function share<A extends unknown[], R>(name: string, read: Reader<A, R>, gateQuestion = false): Reader<A, R> {
    return (...args: A) => {
      const key = keyOf(name, args);
      let kept = seen.get(key);
      if (kept === undefined) {
        calls++;
        const answer = read(...args);
        answer.catch(() => {
          seen.delete(key);
          forGates.delete(key);
        });
        kept = { at: Date.now(), answer };
        seen.set(key, kept);
        if (gateQuestion) forGates.set(key, kept);
      }
      return kept.answer.then((v) => structuredClone(v as R));
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
        getHealthCheckStatus: share('route53.getHealthCheckStatus', r.getHealthCheckStatus, true),
      };
    },
    rds: (region) => {
      const r = aws.rds(region);
      return {
        ...r,
        readGlobalCluster: share(`rds.${region}.readGlobalCluster`, r.readGlobalCluster, true),
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
        auroraReplicationLags: share(`cloudwatch.${region}.auroraReplicationLags`, c.auroraReplicationLags, true),
        replicaLag: share(`cloudwatch.${region}.replicaLag`, c.replicaLag, true),
        datastoreReplicationLag: share(`cloudwatch.${region}.datastoreReplicationLag`, c.datastoreReplicationLag, true),
        clusterReplicaLag: share(`cloudwatch.${region}.clusterReplicaLag`, c.clusterReplicaLag, true),
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

/** A step changed something: no gate may take a plan's read from before it. */
export function forgetPlanReads(owner: object): void {
  latestPlan.delete(owner);
}

/**
 * A gate's reads: each of its questions the latest plan over `owner` asked less than GATE_REUSE_MS
 * ago is answered once from that plan's read; everything else, and every later poll, reads AWS.
 */
export function planReadsForGate(aws: ReadAws, owner: object, now: () => number = Date.now): ReadAws {
  function take<A extends unknown[], R>(name: string, read: Reader<A, R>): Reader<A, R> {
    return (...args: A) => {
      const kept = latestPlan.get(owner);
      const key = keyOf(name, args);
      const hit = kept?.get(key);
      if (hit === undefined) return read(...args);
      kept!.delete(key);
      if (now() - hit.at >= GATE_REUSE_MS) return read(...args);
      return hit.answer.then((v) => structuredClone(v as R));
    };
  }
  return {
    ...aws,
    route53: (): Route53Api => {
      const r = aws.route53();
      return { ...r, getHealthCheckStatus: take('route53.getHealthCheckStatus', r.getHealthCheckStatus) };
    },
    rds: (region) => {
      const r = aws.rds(region);
      return { ...r, readGlobalCluster: take(`rds.${region}.readGlobalCluster`, r.readGlobalCluster) };
    },
    cloudwatch: (region): CloudWatchApi => {
      const c = aws.cloudwatch(region);
      return {
        ...c,
        auroraReplicationLags: take(`cloudwatch.${region}.auroraReplicationLags`, c.auroraReplicationLags),
        replicaLag: take(`cloudwatch.${region}.replicaLag`, c.replicaLag),
        datastoreReplicationLag: take(`cloudwatch.${region}.datastoreReplicationLag`, c.datastoreReplicationLag),
        clusterReplicaLag: take(`cloudwatch.${region}.clusterReplicaLag`, c.clusterReplicaLag),
      };
    },
  };
}
