// Faults: what is broken, since when (simulated ms), and what was broken before (for health check
// history). Pure functions over the persisted Faults value, plus the in-memory Route 53 rate limiter.
import { UsageError } from '../io/errors.js';
import { faultPatchSchema, faultSettingsSchema, type FaultSettings, type InjectedError } from './world-schema.js';
import type { Faults, Outage } from './types.js';
import { diffFaults, FAULT_LOG_LIMIT, listFaults } from './fault-list.js';

/** Outages kept per region; older ones are dropped. */
const HISTORY_LIMIT = 20;

export function initialFaults(settings: FaultSettings, now: number): Faults {
  const empty: Faults = { ...faultSettingsSchema.parse({}), since: { regionsDown: {}, unhealthyApps: {}, outages: {} }, history: {} };
  return applyPatch(empty, settings, now);
}

function bad(f: Pick<Faults, 'regionsDown' | 'unhealthyApps'>, region: string): boolean {
  return f.regionsDown.includes(region) || f.unhealthyApps.includes(region);
}

function keepSince(list: string[], old: Record<string, number>, now: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of list) out[r] = old[r] ?? now;
  return out;
}

/** Merge a patch (each given key replaces the current value), keeping the start times of faults that persist. */
export function applyPatch(current: Faults, patch: unknown, now: number, realNow = Date.now()): Faults {
  const parsed = faultPatchSchema.safeParse(patch);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new UsageError(`Invalid faults: ${why}`);
  }
  const p = parsed.data;
  const next: Faults = {
    regionsDown: dedupe(p.regionsDown ?? current.regionsDown),
    unhealthyApps: dedupe(p.unhealthyApps ?? current.unhealthyApps),
    route53ControlPlaneDown: p.route53ControlPlaneDown ?? current.route53ControlPlaneDown,
    route53RateLimit: p.route53RateLimit ?? current.route53RateLimit,
    latencyMs: p.latencyMs ?? current.latencyMs,
    latency: { ...(p.latency ?? current.latency) },
    errors: (p.errors ?? current.errors).map((e) => ({ ...e })),
    strandedChanges: p.strandedChanges ?? current.strandedChanges ?? 0,
    // Absent in state files written before it existed.
    dnsLagMs: p.dnsLagMs ?? current.dnsLagMs ?? 0,
    // Absent in state files written before it existed.
    removed: dedupe(p.removed ?? current.removed ?? []),
    since: { regionsDown: {}, unhealthyApps: {}, outages: {} },
    history: structuredClone(current.history),
    log: [...(current.log ?? [])],
  };
  next.since.regionsDown = keepSince(next.regionsDown, current.since.regionsDown, now);
  next.since.unhealthyApps = keepSince(next.unhealthyApps, current.since.unhealthyApps, now);
  if (next.route53ControlPlaneDown) next.since.route53ControlPlaneDown = current.since.route53ControlPlaneDown ?? now;
  const regions = new Set([...next.regionsDown, ...next.unhealthyApps, ...Object.keys(current.since.outages)]);
  for (const r of regions) {
    const wasSince = current.since.outages[r];
    if (bad(next, r)) next.since.outages[r] = wasSince ?? now;
    else if (wasSince !== undefined) {
      const list = (next.history[r] ??= []);
      list.push({ since: wasSince, until: now });
      if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
    }
  }
  // Every change, whichever way it came (CLI, control endpoint, world file), for the run reports.
  next.log!.push(...diffFaults(listFaults(current), listFaults(next), now, realNow));
  if (next.log!.length > FAULT_LOG_LIMIT) next.log!.splice(0, next.log!.length - FAULT_LOG_LIMIT);
  return next;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

export function clearAll(current: Faults, now: number): Faults {
  return applyPatch(current, faultSettingsSchema.parse({}), now);
}

/** Past and current outages of a region's application, oldest first. */
export function outagesOf(f: Faults, region: string): Outage[] {
  const list: Outage[] = [...(f.history[region] ?? [])];
  const current = f.since.outages[region];
  if (current !== undefined) list.push({ since: current });
  return list;
}

/** Take the next injected error for this call, if any (mutates f: its count goes down). */
export function takeInjectedError(f: Faults, services: string[], operation: string): InjectedError | undefined {
  const i = f.errors.findIndex((e) => services.includes(e.service) && e.operation === operation && e.count > 0);
  if (i < 0) return undefined;
  const hit = f.errors[i]!;
  const taken = { ...hit };
  hit.count -= 1;
  if (hit.count <= 0) f.errors.splice(i, 1);
  return taken;
}

/**
 * Whether a global service's control plane is down. Route 53 is the one global service the sandbox
 * simulates; its control plane lives in us-east-1 as its own failure domain, apart from any region
 * the request is signed for (AWS-FACTS 2.3).
 */
export function globalControlPlaneDown(f: Faults, signingName: string): boolean {
  return signingName === 'route53' && f.route53ControlPlaneDown;
}

/** A global service's account-wide request rate (0: no limit). Route 53: 5 req/s on AWS (AWS-FACTS 2.3). */
export function accountRateLimit(f: Faults, signingName: string): number {
  return signingName === 'route53' ? f.route53RateLimit : 0;
}

/** Real milliseconds to delay a call. */
export function latencyFor(f: Faults, operation: string): number {
  return f.latencyMs + (f.latency[operation] ?? 0);
}

/**
 * Route 53's account-wide rate limit as a token bucket over REAL time (throttling is about the
 * request rate the operator's tools produce, not the simulated clock). Kept per process: two
 * processes sharing one state file each get the full rate.
 */
export class RateLimiter {
  private tokens = 0;
  private last = 0;
  private rate = 0;

  /** True when the call may proceed; false when it is throttled. A rate of 0 means no limit. */
  take(rate: number, realNow = Date.now()): boolean {
    if (rate <= 0) return true;
    if (rate !== this.rate) {
      // A new limit starts with a full bucket of one second's worth (at least one request).
      this.rate = rate;
      this.tokens = Math.max(1, rate);
      this.last = realNow;
    }
    this.tokens = Math.min(Math.max(1, rate), this.tokens + ((realNow - this.last) / 1000) * rate);
    this.last = realNow;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
