// What Route 53's health checkers observe. A check watches a region's application; it fails once
// that app has been down (region down or app unhealthy) for failureThreshold x requestInterval
// simulated seconds, and recovers the same time after the outage ends. While it fails, exactly one
// of the eight checkers still reports success, so the verdict is unhealthy by the >18% rule but a
// partial count is visible.
import type { CoreServiceContext } from '../../runtime.js';
import type { Outage } from '../../types.js';
import type { HealthCheckState } from './model.js';
import type { Observation } from './xml-out.js';

/** Route 53's checker regions (AWS-FACTS 2.2, the HealthCheckRegion enum), each with an address in 15.177.0.0/18. */
export const CHECKERS: { region: string; ip: string }[] = [
  { region: 'us-east-1', ip: '15.177.2.21' },
  { region: 'us-west-1', ip: '15.177.10.21' },
  { region: 'us-west-2', ip: '15.177.18.21' },
  { region: 'eu-west-1', ip: '15.177.26.21' },
  { region: 'ap-southeast-1', ip: '15.177.34.21' },
  { region: 'ap-southeast-2', ip: '15.177.42.21' },
  { region: 'ap-northeast-1', ip: '15.177.50.21' },
  { region: 'sa-east-1', ip: '15.177.58.21' },
];

// ⚠ AWS-FACTS 2.2: StatusReport.Status is free text and these exact strings are unverified; they
// follow the forms seen in the console and the Route 53 developer guide.
export const SUCCESS = 'Success: HTTP Status Code 200, OK';
export const FAILURE =
  'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall. See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html';
// Inverted checks: the checkers report the RAW result of the check; Route 53 applies Inverted to its
// verdict afterwards ("Inverting health checks",
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-invert.html; AWS-FACTS §10).
// So observations never depend on Inverted here, and mr's verdict (src/steps/health-verdict.ts) flips.

function thresholdMs(h: HealthCheckState): number {
  return h.config.failureThreshold * h.config.requestInterval * 1000;
}

/** The outage whose failure checkers see at time t, if any. */
function failingOutage(outages: Outage[], th: number, t: number): Outage | undefined {
  return outages.find((o) => o.since + th <= t && (o.until === undefined || (o.until - o.since >= th && t < o.until + th)));
}

function checkers(h: HealthCheckState): typeof CHECKERS {
  const chosen = h.config.regions;
  return chosen && chosen.length ? CHECKERS.filter((c) => chosen.includes(c.region)) : CHECKERS;
}

/** The checker that still succeeds during a failure: one that is not in the failed region. */
function luckyChecker(h: HealthCheckState, list: typeof CHECKERS): string | undefined {
  return [...list].reverse().find((c) => c.region !== h.watches)?.region;
}

/** When checker k last checked, at or before t (checkers are spread across the interval). */
function lastCheck(h: HealthCheckState, k: number, count: number, t: number): number {
  const interval = h.config.requestInterval * 1000;
  const offset = Math.floor((interval * k) / count);
  return t - ((((t + offset) % interval) + interval) % interval);
}

function outagesOf(h: HealthCheckState, ctx: CoreServiceContext): Outage[] {
  return h.watches === undefined ? [] : ctx.appOutages(h.watches);
}

/**
 * The raw result of an endpoint check now, before Disabled and Inverted: what more than 18% of the
 * checkers report ("How Amazon Route 53 determines whether a health check is healthy",
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
 * Judged from the outage directly, so a check limited to three checker regions is no healthier than one
 * with all eight (observe() keeps one lucky checker succeeding, which is 1 of 3 there).
 */
export function rawHealthy(h: HealthCheckState, ctx: CoreServiceContext): boolean {
  return !failingOutage(outagesOf(h, ctx), thresholdMs(h), ctx.now());
}

export function observe(h: HealthCheckState, ctx: CoreServiceContext): Observation[] {
  const now = ctx.now();
  const list = checkers(h);
  const lucky = luckyChecker(h, list);
  const outages = outagesOf(h, ctx);
  const th = thresholdMs(h);
  return list.map((c, k) => {
    const checkedAt = lastCheck(h, k, list.length, now);
    // Disabled: Route 53 stops checking and considers the check healthy (AWS-FACTS 2.2).
    // Judged at `now` (not at checkedAt) so every checker agrees the moment the threshold passes.
    const endpointUp = h.config.disabled || c.region === lucky || !failingOutage(outages, th, now);
    return { region: c.region, ip: c.ip, status: endpointUp ? SUCCESS : FAILURE, checkedAt };
  });
}

/** The last failure each checker saw: the most recent outage long enough to be noticed. */
export function lastFailures(h: HealthCheckState, ctx: CoreServiceContext): Observation[] {
  const now = ctx.now();
  const th = thresholdMs(h);
  const seen = outagesOf(h, ctx).filter((o) => o.since + th <= now && (o.until === undefined || o.until - o.since >= th));
  const last = seen[seen.length - 1];
  if (!last) return [];
  const list = checkers(h);
  const lucky = luckyChecker(h, list);
  const end = Math.min(now, last.until === undefined ? now : last.until + th - 1);
  return list.flatMap((c, k) =>
    c.region === lucky ? [] : [{ region: c.region, ip: c.ip, status: FAILURE, checkedAt: Math.max(lastCheck(h, k, list.length, end), last.since + th) }],
  );
}
