// sandbox.fault: inject or clear a fault in the sandbox at a stage of a game-day playbook, in the words
// of `mr sandbox fault add|clear`:
//   with: { add: region-down, region: us-east-1 }     (also: unhealthy + region, route53-down,
//   with: { clear: "region-down:us-east-1" }           throttle + rate, latency + ms [+ operation],
//   with: { clear: all }                               error + service, operation, code [+ status, count],
//                                                      stranded-changes [+ count], dns-lag + ms)
// Sandbox only: planned against anything that is not a sandbox (no --sandbox, and no --endpoint-url
// whose /_sandbox/ control endpoint answers), the step is bad input (exit 2) before anything changes.
// The fault goes through the choke point like any change (src/aws/sandbox-control.ts): its intent and
// result are in the audit log and the run record, and the report shows it on the run's timeline. It is
// not an AWS call and AWS documents nothing about it: the sandbox's own behaviour (src/sandbox/fault-list.ts).
import type { z } from 'zod';
import { isAwsCallError } from '../aws/errors.js';
import type { SandboxFault, SandboxFaultSpec } from '../aws/types.js';
import { defineStep, stepUsageError, type PlanContext, type PlannedStep, type StepContext, type StepPlan } from './contract.js';
import { optional, region, stepParams, text, wholeNumber, type ParamEnv } from './params.js';

const KINDS = ['region-down', 'unhealthy', 'route53-down', 'throttle', 'latency', 'error', 'stranded-changes', 'dns-lag'] as const;
/** Each kind's own parameters (besides `add`), and which of them it needs. */
const FIELDS: Record<(typeof KINDS)[number], { needs: string[]; may: string[] }> = {
  'region-down': { needs: ['region'], may: [] },
  unhealthy: { needs: ['region'], may: [] },
  'route53-down': { needs: [], may: [] },
  throttle: { needs: ['rate'], may: [] },
  latency: { needs: ['ms'], may: ['operation'] },
  error: { needs: ['service', 'operation', 'code'], may: ['status', 'count'] },
  'stranded-changes': { needs: [], may: ['count'] },
  'dns-lag': { needs: ['ms'], may: [] },
};
const KIND_FIELDS = ['region', 'rate', 'ms', 'operation', 'service', 'code', 'status', 'count'] as const;

const params = (env: ParamEnv) =>
  stepParams(
    {
      add: optional(text()),
      clear: optional(text()),
      region: optional(region(env)),
      // Requests per second Route 53 answers before it throttles (the sandbox models only its limit).
      rate: optional(wholeNumber(1, 1000)),
      ms: optional(wholeNumber(1, 600_000)),
      operation: optional(text()),
      service: optional(text()),
      code: optional(text()),
      status: optional(wholeNumber(400, 599)),
      count: optional(wholeNumber(1, 1_000_000)),
    },
    { oneOf: ['add', 'clear'], oneOfHint: 'add a fault, or clear one by id or all' },
  );
type Params = z.output<ReturnType<typeof params>>;

type FaultData = {
  endpoint: string;
  /** What to inject, as the control endpoint takes it; absent for a clear. */
  spec?: SandboxFaultSpec;
  /** The fault id to clear, or null for every fault in force; absent for an add. */
  clear?: string | null;
  /** The fault's id once injected (what `mr sandbox fault list` shows). */
  faultId: string;
  description: string;
};

/** The spec the sandbox takes for these params, or the problem with them. */
function specOf(id: string, p: Params): SandboxFaultSpec {
  const kind = p.add as (typeof KINDS)[number];
  if (!KINDS.includes(kind)) throw stepUsageError('sandbox.fault', id, `"add" must be one of ${KINDS.join(', ')} (got ${JSON.stringify(p.add)})`);
  const { needs, may } = FIELDS[kind];
  for (const f of KIND_FIELDS) {
    const given = p[f] !== undefined;
    if (!given && needs.includes(f)) throw stepUsageError('sandbox.fault', id, `add ${kind} needs "${f}"`);
    if (given && !needs.includes(f) && !may.includes(f))
      throw stepUsageError(
        'sandbox.fault',
        id,
        `"${f}" does not apply to add ${kind}${needs.length + may.length ? ` (it takes ${[...needs, ...may].join(', ')})` : ''}`,
      );
  }
  if (kind === 'throttle') return { kind, service: 'route53', rate: p.rate };
  const spec: SandboxFaultSpec = { kind };
  for (const f of [...needs, ...may]) if (p[f as keyof Params] !== undefined) spec[f] = p[f as keyof Params];
  if (kind === 'error' && !/^[A-Z][A-Za-z0-9]*$/.test(String(p.operation)))
    throw stepUsageError('sandbox.fault', id, `"operation" must be an operation name such as FailoverGlobalCluster (got ${JSON.stringify(p.operation)})`);
  if (kind === 'latency' && p.operation !== undefined && !/^[A-Z][A-Za-z0-9]*$/.test(p.operation))
    throw stepUsageError('sandbox.fault', id, `"operation" must be an operation name such as GetChange (got ${JSON.stringify(p.operation)})`);
  return spec;
}

/** The id the sandbox lists the fault under (src/sandbox/fault-list.ts listFaults). */
function idOf(spec: SandboxFaultSpec): string {
  switch (spec.kind) {
    case 'region-down':
    case 'unhealthy':
      return `${spec.kind}:${String(spec.region)}`;
    case 'throttle':
      return 'throttle:route53';
    case 'latency':
      return spec.operation ? `latency:${String(spec.operation)}` : 'latency';
    case 'error':
      return `error:${String(spec.service)}:${String(spec.operation)}:${String(spec.code)}`;
    default:
      return spec.kind;
  }
}

function wordsOf(spec: SandboxFaultSpec): string {
  return [
    spec.kind,
    ...Object.entries(spec).flatMap(([k, v]) => (k === 'kind' || (spec.kind === 'throttle' && k === 'service') ? [] : [`${k} ${String(v)}`])),
  ].join(', ');
}

/** The sandbox's faults, or bad input when there is no sandbox to inject into. */
async function faultsInForce(id: string, ctx: PlanContext): Promise<{ endpoint: string; faults: SandboxFault[] }> {
  const api = ctx.aws.sandbox?.();
  const refuse = (why: string) =>
    stepUsageError(
      'sandbox.fault',
      id,
      `faults can be injected only into the sandbox: ${why}. Run it with --sandbox, or --endpoint-url <url of mr sandbox serve>`,
    );
  if (!api?.endpoint) throw refuse('there is no endpoint override, so this run talks to AWS itself');
  try {
    return { endpoint: api.endpoint, faults: await api.listFaults() };
  } catch (e) {
    throw refuse(`${api.endpoint} does not answer as a sandbox (${isAwsCallError(e) ? e.message : (e as Error).message})`);
  }
}

async function plan(id: string, p: Params, ctx: PlanContext): Promise<StepPlan<FaultData>> {
  const spec = p.add !== undefined ? specOf(id, p) : undefined;
  if (!spec) {
    const given = KIND_FIELDS.filter((f) => p[f] !== undefined);
    if (given.length) throw stepUsageError('sandbox.fault', id, `"${given[0]}" goes with "add", not "clear"`);
  }
  const { endpoint, faults } = await faultsInForce(id, ctx);
  const inForce = faults.map((f) => f.id);
  const observed = { faults: inForce };
  if (spec) {
    const faultId = idOf(spec);
    const present = faults.find((f) => f.id === faultId);
    // A fault with no value of its own that is already in force (a resumed game day) is left as it is;
    // one with a value (a rate, a delay, an error count) is set again.
    const noop = !!present && ['region-down', 'unhealthy', 'route53-down'].includes(spec.kind);
    return {
      title: `Inject sandbox fault ${faultId}`,
      changes: noop
        ? []
        : [{ resource: `sandbox ${endpoint}`, attribute: `fault ${faultId}`, from: present ? 'in force' : 'none', to: wordsOf(spec), risk: 'disruptive' }],
      checks: [],
      noop,
      data: { endpoint, spec, faultId, description: present?.description ?? wordsOf(spec) },
      observed,
    };
  }
  const all = p.clear === 'all';
  if (!all && !/^[a-z0-9-]+(:[A-Za-z0-9.:-]+)?$/.test(p.clear!))
    throw stepUsageError(
      'sandbox.fault',
      id,
      `"clear" must be a fault id (as mr sandbox fault list shows, e.g. region-down:us-east-1) or all (got ${JSON.stringify(p.clear)})`,
    );
  const clearing = all ? faults : faults.filter((f) => f.id === p.clear);
  // Never a no-op at plan time: the fault it clears is usually injected by an earlier step of the same
  // run. When the run reaches it and the fault is not in force (a resumed game day), it changes nothing.
  const later = `(injected by an earlier step, or not in force)`;
  return {
    title: all ? 'Clear every sandbox fault' : `Clear sandbox fault ${p.clear}`,
    changes: clearing.length
      ? clearing.map((f) => ({ resource: `sandbox ${endpoint}`, attribute: `fault ${f.id}`, from: f.description, to: 'cleared', risk: 'safe' as const }))
      : [{ resource: `sandbox ${endpoint}`, attribute: `fault ${all ? 'all' : p.clear!}`, from: later, to: 'cleared', risk: 'safe' as const }],
    checks: [],
    noop: false,
    data: { endpoint, clear: all ? null : p.clear!, faultId: all ? 'all' : p.clear!, description: clearing.map((f) => f.description).join('; ') || later },
    observed,
  };
}

function mutations(ctx: StepContext, id: string) {
  const m = ctx.mutating.sandbox?.();
  // Planned against a sandbox, so only a different AWS layer (a test's fake) lacks it.
  if (!m) throw stepUsageError('sandbox.fault', id, 'this AWS layer has no sandbox control');
  return m;
}

async function apply(step: PlannedStep<FaultData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  const m = mutations(ctx, step.id);
  // Answer lost: the fault list read back says whether the change took effect.
  const listed = () => ctx.aws.sandbox!().listFaults();
  if (d.spec) {
    ctx.report(`injecting ${d.faultId}`);
    await m.addFault(d.spec, {
      reconcile: async () => {
        const after = await listed();
        return after.some((f) => f.id === d.faultId) ? { faults: after } : undefined;
      },
    });
  } else {
    const now = await listed();
    if (d.clear === null ? now.length === 0 : !now.some((f) => f.id === d.clear)) {
      ctx.report(`${d.faultId}: not in force, nothing to clear`);
      return;
    }
    ctx.report(`clearing ${d.faultId}`);
    await m.clearFault(d.clear ?? null, {
      reconcile: async () => {
        const after = await listed();
        const gone = d.clear === null ? after.length === 0 : !after.some((f) => f.id === d.clear);
        return gone ? { faults: after } : undefined;
      },
    });
  }
}

async function verify(step: PlannedStep<FaultData>, ctx: StepContext): Promise<void> {
  const d = step.data;
  await ctx.waitFor(`sandbox fault ${d.faultId} to be ${d.spec ? 'in force' : 'cleared'}`, async () => {
    const now = await ctx.aws.sandbox!().listFaults();
    const present = d.clear === null ? now.length > 0 : now.some((f) => f.id === d.faultId);
    const done = d.spec ? present : !present;
    return { done, detail: now.length ? `in force: ${now.map((f) => f.id).join(', ')}` : 'no faults in force' };
  });
}

// A game day's clear ends the outage it simulated: recovery is timed up to it (src/engine/report.ts).
const endsOutage = (step: Pick<PlannedStep<FaultData>, 'data'>) => step.data.clear !== undefined;

export const sandboxFault = defineStep({ kind: 'sandbox.fault', params, plan, apply, verify, endsOutage });
