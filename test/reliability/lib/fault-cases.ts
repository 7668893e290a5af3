// The fault matrices' cases, for any world's failover: throttling storms, bursts of HTTP 500 on each
// operation the failover calls, latency spikes, and a region (or Route 53's control plane) going down at
// each stage. A world names its operations and stages; `pick` keeps a matrix to a subset for runtime.
import type { FaultPatch } from '../../../src/sandbox/types.js';

export interface FaultCase {
  name: string;
  /** Faults in place from the start. */
  faults?: FaultPatch;
  /** Faults injected when the first event of this type (and step) reaches the audit log. */
  at?: { type: string; step?: string; faults: FaultPatch };
}

export const burst = (service: string, operation: string, count: number): FaultCase => ({
  name: `${count} x HTTP 500 on ${operation}`,
  faults: { errors: [{ service, operation, code: 'InternalFailure', message: 'injected 5xx', status: 500, count }] },
});

export interface FaultWorld {
  /** The mutating calls the failover makes, as [service, operation]. */
  mutations: [string, string][];
  /** Reads it polls, burst only past the SDK's retries. */
  polls: [string, string][];
  /** Reads slowed by 2.5 s each (one service's, named). */
  slowReads: { name: string; operations: string[] };
  /** The cut: answers after 16 s, longer than the mutation timeout (15 s), so mr never hears it made. */
  cut: { name: string; operation: string };
  /** Where the stages start: [stage, first step]. */
  stages: [string, string][];
  source: string;
  target: string;
}

export function faultCases(w: FaultWorld): FaultCase[] {
  return [
    { name: 'throttling storm: Route 53 at 1 request/s', faults: { route53RateLimit: 1 } },
    { name: 'throttling storm: Route 53 at 1 request every 3 s', faults: { route53RateLimit: 0.33 } },
    // Two are absorbed by the SDK's retries (3 attempts); six outlast them.
    ...[2, 6].flatMap((n) => w.mutations.map(([service, op]) => burst(service, op, n))),
    ...w.polls.map(([service, op]) => burst(service, op, 6)),
    { name: 'latency spike: 400 ms on every call', faults: { latencyMs: 400 } },
    { name: `latency spike: 2.5 s on every ${w.slowReads.name}`, faults: { latency: Object.fromEntries(w.slowReads.operations.map((op) => [op, 2500])) } },
    { name: `latency spike: ${w.cut.name} answers after 16 s`, faults: { latency: { [w.cut.operation]: 16_000 } } },
    ...w.stages.flatMap(([stage, step]) => [
      { name: `${w.source} (the source) goes down in ${stage}`, at: { type: 'step.started', step, faults: { regionsDown: [w.source] } } },
      { name: `${w.target} (the target) goes down in ${stage}`, at: { type: 'step.started', step, faults: { regionsDown: [w.target] } } },
      { name: `Route 53's control plane goes down in ${stage}`, at: { type: 'step.started', step, faults: { route53ControlPlaneDown: true } } },
    ]),
  ];
}

/** The cases whose names match one of `names` (each must match one: a renamed case fails loudly). */
export function pick(cases: FaultCase[], names: RegExp[]): FaultCase[] {
  for (const n of names) if (!cases.some((c) => n.test(c.name))) throw new Error(`no fault case matches ${n}`);
  return cases.filter((c) => names.some((n) => n.test(c.name)));
}
