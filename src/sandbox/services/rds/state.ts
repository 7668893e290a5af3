// Aurora global databases as state that is a function of the clock: a switchover or failover is stored
// as a transition with simulated start and end times and settled lazily on every read, so a state
// saved mid-transition continues correctly in another process.
import { z } from 'zod';
import type { ServiceContext } from '../../contract.js';
import { parseSection, sectionError } from '../section.js';

const sectionSchema = z.object({
  globalClusters: z
    .array(
      z.object({
        id: z.string().min(1),
        engine: z.string().default('aurora-postgresql'),
        engineVersion: z.string().default('16.4'),
        // false: a global database without a global writer endpoint (GlobalCluster.Endpoint absent; global-endpoint.ts).
        writerEndpoint: z.boolean().optional(),
        members: z
          .array(
            z.object({
              region: z.string(),
              clusterId: z.string().min(1),
              writer: z.boolean().optional(),
              lagMs: z.number().nonnegative().optional(),
              // A member on another version than the global cluster's (mid-upgrade), or headless (0 instances).
              engineVersion: z.string().min(1).optional(),
              instances: z.number().int().min(0).max(16).optional(),
              // false: CloudWatch has no lag datapoints for it (a secondary just added, a metric not published).
              publishesLag: z.boolean().optional(),
            }),
          )
          .min(1),
      }),
    )
    .default([]),
});

/** Replication lag of a secondary that the world file does not give one (ms). */
const DEFAULT_LAG_MS = 100;

export interface AuroraMember {
  region: string;
  clusterId: string;
  /** Steady-state replication lag while it is a secondary (ms). */
  lagMs: number;
  /** Its own engine version when it differs from the global cluster's. */
  engineVersion?: string;
  /** DB instances (DBClusterMembers); 0 = headless secondary. Default 1. */
  instances?: number;
  /** false: no lag datapoints in CloudWatch. */
  publishesLag?: boolean;
}

export interface AuroraTransition {
  kind: 'switchover' | 'failover';
  from: string; // cluster id of the writer when it started
  to: string;
  startedAt: number;
  endsAt: number;
  /** The old writer's region was down when a failover began (its rebuild waits for the region). */
  fromRegionDown?: boolean;
}

/**
 * A member Aurora is rebuilding after a failover with data loss, until it is a secondary again: the old
 * primary (re-added once its region recovers) and every other secondary except the new primary. Aurora
 * user guide, "Recovering an Amazon Aurora global database from an unplanned outage"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
 * after the promotion Aurora rebuilds the additional secondary clusters ("a few minutes to several hours"),
 * and they cannot serve reads meanwhile. GlobalClusterMember.SynchronizationStatus is `pending-resync`
 * while a member is rebuilt (the SDK model's enum: connected | pending-resync); ⚠ AWS does not say what
 * DBCluster.Status shows meanwhile, so it stays `available`, and no lag datapoint is published.
 */
export interface AuroraResync {
  clusterId: string;
  since: number;
  /** Its region was seen down after the failover; the rebuild then counts from when it is seen up again. */
  seenDown: boolean;
  upObservedAt?: number;
}

export interface AuroraGlobalCluster {
  id: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  members: AuroraMember[];
  /** false: no global writer endpoint (global-endpoint.ts). */
  writerEndpoint?: false;
  writer: string;
  writerSince: number;
  previousWriter?: string;
  transition?: AuroraTransition;
  /** Members being rebuilt after a failover with data loss (see AuroraResync). */
  resyncs?: AuroraResync[];
  /** A state saved before every secondary was rebuilt: the old primary only (read into `resyncs`). */
  resync?: AuroraResync;
}

export interface AuroraState {
  globalClusters: AuroraGlobalCluster[];
}

export function initAurora(section: unknown, ctx: ServiceContext): AuroraState {
  const parsed = parseSection(sectionSchema, section, 'aurora');
  return {
    globalClusters: parsed.globalClusters.map((gc, i) => {
      const writers = gc.members.filter((m) => m.writer);
      if (writers.length !== 1) throw sectionError(`aurora.globalClusters[${i}]`, `exactly one member must be the writer`);
      for (const m of gc.members) {
        if (!ctx.regions.includes(m.region)) throw sectionError(`aurora.globalClusters[${i}]`, `region ${m.region} is not in the world's regions`);
      }
      return {
        id: gc.id,
        resourceId: `cluster-${hexOf(gc.id).slice(0, 26)}`,
        engine: gc.engine,
        engineVersion: gc.engineVersion,
        ...(gc.writerEndpoint === false ? { writerEndpoint: false as const } : {}),
        members: gc.members.map((m) => ({
          region: m.region,
          clusterId: m.clusterId,
          lagMs: m.lagMs ?? DEFAULT_LAG_MS,
          ...(m.engineVersion !== undefined ? { engineVersion: m.engineVersion } : {}),
          ...(m.instances !== undefined ? { instances: m.instances } : {}),
          ...(m.publishesLag !== undefined ? { publishesLag: m.publishesLag } : {}),
        })),
        writer: writers[0].clusterId,
        writerSince: ctx.now(),
      };
    }),
  };
}

/** Stable, id-derived hex for resource ids (deterministic across processes). */
function hexOf(s: string): string {
  let out = '';
  let h = 2166136261;
  while (out.length < 32) {
    for (const c of s + out.length) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.toUpperCase();
}

export function memberOf(gc: AuroraGlobalCluster, clusterId: string): AuroraMember | undefined {
  return gc.members.find((m) => m.clusterId.toLowerCase() === clusterId.toLowerCase());
}

export function regionOf(gc: AuroraGlobalCluster, clusterId: string): string {
  const m = memberOf(gc, clusterId);
  if (!m) throw new Error(`cluster ${clusterId} is not a member of ${gc.id}`);
  return m.region;
}

export function clusterArn(account: string, region: string, clusterId: string): string {
  return `arn:aws:rds:${region}:${account}:cluster:${clusterId}`;
}

/** How long Aurora takes to rebuild a member as a secondary (once its region answers, for the old primary). */
export function resyncMs(ctx: ServiceContext): number {
  // Aurora says "a few minutes to several hours"; by default twice a failover keeps rehearsals short but visible.
  const rebuild = ctx.durationMs('auroraRebuild');
  return Number.isFinite(rebuild) ? rebuild : 2 * ctx.durationMs('auroraFailover');
}

/** The part of a transition before Aurora starts moving the writer (FailoverState pending). */
export function pendingMs(t: AuroraTransition): number {
  return Math.round((t.endsAt - t.startedAt) / 10);
}

/** Apply whatever the clock says has finished. Deterministic in the clock, so it is safe on reads. */
export function settle(gc: AuroraGlobalCluster, ctx: ServiceContext): void {
  const now = ctx.now();
  if (gc.resync) {
    gc.resyncs = [...(gc.resyncs ?? []), gc.resync];
    delete gc.resync;
  }
  const t = gc.transition;
  if (t && now >= t.endsAt) {
    gc.previousWriter = t.from;
    gc.writer = t.to;
    gc.writerSince = t.endsAt;
    delete gc.transition;
    if (t.kind === 'failover') {
      // The old primary and every other secondary are rebuilt from the new primary.
      const others = gc.members.filter((m) => m.clusterId !== t.to && m.clusterId !== t.from);
      gc.resyncs = [
        { clusterId: t.from, since: t.endsAt, seenDown: t.fromRegionDown === true },
        ...others.map((m) => ({ clusterId: m.clusterId, since: t.endsAt, seenDown: ctx.regionDownSince(m.region) !== undefined })),
      ];
    }
  }
  if (!gc.resyncs) return;
  gc.resyncs = gc.resyncs.filter((r) => !settleResync(gc, r, now, ctx));
  if (gc.resyncs.length === 0) delete gc.resyncs;
}

/** Advance one member's rebuild; true once it is done (or no longer needed). */
function settleResync(gc: AuroraGlobalCluster, r: AuroraResync, now: number, ctx: ServiceContext): boolean {
  // Switched back to it before its rebuild finished: nothing left to rebuild.
  if (r.clusterId === gc.writer) return true;
  if (ctx.regionDownSince(regionOf(gc, r.clusterId)) !== undefined) {
    r.seenDown = true;
    delete r.upObservedAt;
    return false;
  }
  // The clock only tells whether a region is down now, not when it came back: the rebuild counts from
  // the first read that sees it up again (a saved state keeps that moment).
  if (r.seenDown && r.upObservedAt === undefined) r.upObservedAt = now;
  const start = Math.max(r.since, r.upObservedAt ?? r.since);
  return now >= start + resyncMs(ctx);
}

export function settleAll(state: AuroraState, ctx: ServiceContext): void {
  for (const gc of state.globalClusters) settle(gc, ctx);
}

export type GlobalStatus = 'available' | 'switching-over' | 'failing-over';

export function globalStatus(gc: AuroraGlobalCluster): GlobalStatus {
  if (!gc.transition) return 'available';
  return gc.transition.kind === 'switchover' ? 'switching-over' : 'failing-over';
}

/** FailoverState.Status while a transition runs: pending first, then switching-over / failing-over. */
export function failoverStatus(t: AuroraTransition, now: number): string {
  if (now < t.startedAt + pendingMs(t)) return 'pending';
  return t.kind === 'switchover' ? 'switching-over' : 'failing-over';
}

export function resyncOf(gc: AuroraGlobalCluster, clusterId: string): AuroraResync | undefined {
  return (gc.resyncs ?? []).find((r) => r.clusterId === clusterId) ?? (gc.resync?.clusterId === clusterId ? gc.resync : undefined);
}

export function syncStatus(gc: AuroraGlobalCluster, clusterId: string): 'connected' | 'pending-resync' {
  return resyncOf(gc, clusterId) ? 'pending-resync' : 'connected';
}

/**
 * DBCluster.Status. ⚠ AWS does not document the member clusters' status during a global switchover or
 * failover; we show `modifying` on the two clusters changing roles once Aurora starts moving the writer.
 */
export function clusterStatus(gc: AuroraGlobalCluster, clusterId: string, now: number): string {
  const t = gc.transition;
  if (t && now >= t.startedAt + pendingMs(t) && (t.from === clusterId || t.to === clusterId)) return 'modifying';
  return 'available';
}

/** The writer at simulated time t (t may be in the recent past, for metric datapoints). */
export function writerAt(gc: AuroraGlobalCluster, t: number): string {
  if (gc.transition && t >= gc.transition.endsAt) return gc.transition.to;
  if (t < gc.writerSince && gc.previousWriter) return gc.previousWriter;
  return gc.writer;
}

/**
 * Replication lag (ms) of a secondary at simulated time t, or undefined when the cluster does not
 * replicate at t (it is the writer, or a member being rebuilt after a failover). While the writer's region
 * is down the secondary stops receiving changes, so its lag grows with the time since the outage.
 */
export function lagAt(gc: AuroraGlobalCluster, clusterId: string, t: number, ctx: ServiceContext): number | undefined {
  const member = memberOf(gc, clusterId);
  if (!member) return undefined;
  const writer = writerAt(gc, t);
  if (writer === member.clusterId) return undefined;
  const rebuild = resyncOf(gc, member.clusterId);
  if (rebuild && t >= rebuild.since) return undefined;
  const down = ctx.regionDownSince(regionOf(gc, writer));
  if (down !== undefined && t >= down) return member.lagMs + (t - down);
  return member.lagMs;
}

/** Lag of a cluster by id across every global cluster, as CloudWatch reads it (settling a copy). */
export function auroraLagMs(state: AuroraState | undefined, clusterId: string, t: number, ctx: ServiceContext): number | undefined {
  for (const raw of state?.globalClusters ?? []) {
    if (!memberOf(raw, clusterId)) continue;
    const gc = structuredClone(raw);
    settle(gc, ctx);
    return lagAt(gc, clusterId, t, ctx);
  }
  return undefined;
}

/** The region a cluster lives in, across every global cluster. */
export function auroraClusterRegion(state: AuroraState | undefined, clusterId: string): string | undefined {
  for (const gc of state?.globalClusters ?? []) {
    const m = memberOf(gc, clusterId);
    if (m) return m.region;
  }
  return undefined;
}
