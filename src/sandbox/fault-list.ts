// Faults as a list of named items, for `mr sandbox fault add|list|clear` and the fault history a
// run's report reads. The persisted Faults value stays the settings object (world files and PATCH
// /_sandbox/faults keep their shape); an item's id is derived from it, so it is stable and needs
// no counter: region-down:us-east-1, unhealthy:eu-west-1, route53-down, throttle:route53,
// latency (every operation) or latency:<Operation>, dns-lag, error:<service>:<Operation>:<Code>.
import { z } from 'zod';
import { UsageError } from '../io/errors.js';
import type { FaultPatch } from './world-schema.js';
import type { Faults } from './types.js';

export { faultSpecSchema, type FaultEvent, type FaultItem, type FaultSpec } from './fault-spec.js';
import { faultSpecSchema, type FaultEvent, type FaultItem, type FaultSpec } from './fault-spec.js';

/** Events kept; older ones are dropped (a report only needs the ones during its run). */
export const FAULT_LOG_LIMIT = 500;

/** Services an error can be injected into: the sandbox modules' signing names. */
export const ERROR_SERVICES = ['route53', 'rds', 'elasticache', 'ecs', 'monitoring', 'sts', 'ecr', 'secretsmanager', 'iam'];

export function listFaults(
  f: Pick<Faults, 'regionsDown' | 'unhealthyApps' | 'route53ControlPlaneDown' | 'route53RateLimit' | 'latencyMs' | 'latency' | 'errors'> & {
    removed?: string[];
    strandedChanges?: number;
    dnsLagMs?: number;
    since?: Faults['since'];
  },
): FaultItem[] {
  const out: FaultItem[] = [];
  for (const r of f.regionsDown)
    out.push({
      id: `region-down:${r}`,
      kind: 'region-down',
      description: `${r} is down: every call to it gets no answer, its application is unhealthy`,
      since: f.since?.regionsDown[r],
    });
  for (const r of f.unhealthyApps)
    out.push({
      id: `unhealthy:${r}`,
      kind: 'unhealthy',
      description: `the application in ${r} is unhealthy (health checks fail; the AWS APIs answer)`,
      since: f.since?.unhealthyApps[r],
    });
  if (f.route53ControlPlaneDown)
    out.push({
      id: 'route53-down',
      kind: 'route53-down',
      description: 'the Route 53 control plane is down (changes and reads get no answer; DNS keeps answering)',
      since: f.since?.route53ControlPlaneDown,
    });
  if (f.route53RateLimit > 0)
    out.push({ id: 'throttle:route53', kind: 'throttle', description: `Route 53 throttles above ${f.route53RateLimit} requests per second` });
  if (f.latencyMs > 0) out.push({ id: 'latency', kind: 'latency', description: `every call is answered ${f.latencyMs} ms late` });
  for (const [op, ms] of Object.entries(f.latency)) {
    if (ms > 0) out.push({ id: `latency:${op}`, kind: 'latency', description: `${op} is answered ${ms} ms late` });
  }
  for (const key of f.removed ?? []) {
    const [what, region, ...rest] = key.split(':');
    if (what === 'image') out.push({ id: key, kind: 'image-missing', description: `image ${rest.join(':')} is missing from ${region}'s ECR registry` });
    else out.push({ id: key, kind: 'secret-unreplicated', description: `secret ${rest.join(':')} has no replica in ${region}` });
  }
  if (f.strandedChanges)
    out.push({
      id: 'stranded-changes',
      kind: 'stranded-changes',
      description: `the next ${f.strandedChanges} Route 53 change batch${f.strandedChanges === 1 ? ' is' : 'es are'} stranded (accepted, never applied, GetChange answers NoSuchChange)`,
    });
  if (f.dnsLagMs)
    out.push({
      id: 'dns-lag',
      kind: 'dns-lag',
      description: `the Aurora global writer endpoint's DNS answer names the writer of ${f.dnsLagMs} simulated ms ago (it follows a switchover that late)`,
    });
  for (const e of f.errors) {
    out.push({
      id: errorId(e),
      kind: 'error',
      description: `${e.service} ${e.operation} fails with ${e.code} (HTTP ${e.status}), ${e.count} more time${e.count === 1 ? '' : 's'}`,
    });
  }
  return out;
}

function errorId(e: { service: string; operation: string; code: string }): string {
  return `error:${e.service}:${e.operation}:${e.code}`;
}

/** The patch that adds `spec` to `f` (an error with the same service, operation and code is replaced). */
export function addPatch(f: Faults, input: unknown, regions: string[]): FaultPatch {
  const parsed = faultSpecSchema.safeParse(input);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(fault)'}: ${i.message}`).join('; ');
    throw new UsageError(`Invalid fault: ${why}`);
  }
  const spec = parsed.data;
  const region = (r: string) => {
    if (!regions.includes(r)) throw new UsageError(`unknown region ${r}: this sandbox's world has ${regions.join(', ')}`);
    return r;
  };
  switch (spec.kind) {
    case 'region-down':
      return { regionsDown: [...f.regionsDown, region(spec.region)] };
    case 'unhealthy':
      return { unhealthyApps: [...f.unhealthyApps, region(spec.region)] };
    case 'route53-down':
      return { route53ControlPlaneDown: true };
    case 'throttle':
      return { route53RateLimit: spec.rate };
    case 'stranded-changes':
      return { strandedChanges: (f.strandedChanges ?? 0) + (spec.count ?? 1) };
    case 'dns-lag':
      return { dnsLagMs: spec.ms };
    case 'latency':
      return spec.operation ? { latency: { ...f.latency, [spec.operation]: spec.ms } } : { latencyMs: spec.ms };
    case 'image-missing':
      return { removed: [...(f.removed ?? []), `image:${region(spec.region)}:${spec.repository}:${spec.tag}`] };
    case 'secret-unreplicated':
      return { removed: [...(f.removed ?? []), `secret-replica:${region(spec.region)}:${spec.secret}`] };
    case 'error': {
      if (!ERROR_SERVICES.includes(spec.service)) throw new UsageError(`error: unknown service ${spec.service}; one of ${ERROR_SERVICES.join(', ')}`);
      const next = {
        service: spec.service,
        operation: spec.operation,
        code: spec.code,
        message: `Injected by the sandbox (mr sandbox fault)`,
        status: spec.status ?? 400,
        count: spec.count ?? 1,
      };
      return { errors: [...f.errors.filter((e) => errorId(e) !== errorId(next)), next] };
    }
  }
}

/** The patch that removes the fault named `id`; an unknown id is bad input. */
export function clearPatch(f: Faults, id: string): FaultPatch {
  if (!listFaults(f).some((i) => i.id === id)) {
    const ids = listFaults(f).map((i) => i.id);
    throw new UsageError(`no fault ${id} in the sandbox; ${ids.length ? `current: ${ids.join(', ')}` : 'none is set'}`);
  }
  const [kind, ...rest] = id.split(':');
  const arg = rest.join(':');
  switch (kind) {
    case 'region-down':
      return { regionsDown: f.regionsDown.filter((r) => r !== arg) };
    case 'unhealthy':
      return { unhealthyApps: f.unhealthyApps.filter((r) => r !== arg) };
    case 'route53-down':
      return { route53ControlPlaneDown: false };
    case 'throttle':
      return { route53RateLimit: 0 };
    case 'stranded-changes':
      return { strandedChanges: 0 };
    case 'dns-lag':
      return { dnsLagMs: 0 };
    case 'latency': {
      if (!arg) return { latencyMs: 0 };
      const latency = { ...f.latency };
      delete latency[arg];
      return { latency };
    }
    case 'image':
    case 'secret-replica':
      return { removed: (f.removed ?? []).filter((k) => k !== id) };
    default:
      return { errors: f.errors.filter((e) => errorId(e) !== id) };
  }
}

/** The events that turn `before` into `after`: new or changed items are "added", gone ones "cleared". */
export function diffFaults(before: FaultItem[], after: FaultItem[], at: number, realAt: number): FaultEvent[] {
  const events: FaultEvent[] = [];
  const old = new Map(before.map((i) => [i.id, i]));
  const now = new Map(after.map((i) => [i.id, i]));
  for (const i of before) if (!now.has(i.id)) events.push({ action: 'cleared', id: i.id, description: i.description, at, realAt });
  for (const i of after) {
    // A changed item (a new latency, an error's count set again) is added anew. Calls taking an
    // injected error count it down outside a patch, so that never shows here.
    if (old.get(i.id)?.description !== i.description) events.push({ action: 'added', id: i.id, description: i.description, at, realAt });
  }
  return events;
}
