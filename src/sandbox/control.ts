// Control of a running sandbox: in-process (SandboxControl) and over HTTP under /_sandbox/, a path
// no AWS API uses. JSON in and out, no auth (it listens on 127.0.0.1 only).
// Models no AWS behaviour itself: the sandbox's own plumbing (AWS behaviours are cited in src/sandbox/services/).
import { isMrError } from '../io/errors.js';
import type { SandboxResponse } from './contract.js';
import { applyPatch, clearAll } from './faults.js';
import { addPatch, clearPatch, listFaults, type FaultSpec } from './fault-list.js';
import type { Runtime } from './runtime.js';
import type { CallLogEntry, SandboxControl, SandboxDnsAddress } from './types.js';

export const CONTROL_PREFIX = '/_sandbox/';

export function makeControl(rt: Runtime, calls: CallLogEntry[], dns: () => SandboxDnsAddress | undefined = () => undefined): SandboxControl {
  const copy = <T>(v: T): T => structuredClone(v);
  return {
    reset() {
      rt.sync(() => rt.reset());
      calls.length = 0;
    },
    faults: () => rt.sync(() => copy(rt.state.faults)),
    setFaults: (partial) =>
      rt.sync(() => {
        rt.state.faults = applyPatch(rt.state.faults, partial, rt.now());
        rt.markDirty();
        return copy(rt.state.faults);
      }),
    clearFaults: () =>
      rt.sync(() => {
        rt.state.faults = clearAll(rt.state.faults, rt.now());
        rt.markDirty();
        return copy(rt.state.faults);
      }),
    listFaults: () => rt.sync(() => listFaults(rt.state.faults)),
    addFault: (spec) =>
      rt.sync(() => {
        rt.state.faults = applyPatch(rt.state.faults, addPatch(rt.state.faults, spec, rt.state.world.regions), rt.now());
        rt.markDirty();
        return listFaults(rt.state.faults);
      }),
    clearFault: (id) =>
      rt.sync(() => {
        const patch = id === null ? undefined : clearPatch(rt.state.faults, id);
        rt.state.faults = patch ? applyPatch(rt.state.faults, patch, rt.now()) : clearAll(rt.state.faults, rt.now());
        rt.markDirty();
        return listFaults(rt.state.faults);
      }),
    faultLog: () => rt.sync(() => copy(rt.state.faults.log ?? [])),
    advance: (ms) =>
      rt.sync(() => {
        if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance: ms must be a non-negative number, got ${ms}`);
        rt.state.clock.advanced += ms;
        rt.markDirty();
        return rt.now();
      }),
    calls: () => calls.map((c) => ({ ...c })),
    clearCalls() {
      calls.length = 0;
    },
    snapshot: () => rt.sync(() => copy({ now: rt.now(), clock: rt.state.clock, faults: rt.state.faults, services: rt.state.services })),
    now: () => rt.sync(() => rt.now()),
    dns,
  };
}

function json(status: number, doc: unknown): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) };
}

function parseBody(body: string): unknown {
  if (!body.trim()) return {};
  return JSON.parse(body);
}

/** Answer one control request. */
export function handleControl(control: SandboxControl, method: string, path: string, body: string): SandboxResponse {
  const route = `${method} ${path.slice(CONTROL_PREFIX.length).replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'POST reset':
        control.reset();
        return json(200, { ok: true, now: control.now() });
      case 'GET faults':
        return json(200, control.faults());
      case 'PATCH faults':
        return json(200, control.setFaults(parseBody(body) as never));
      case 'DELETE faults':
        return json(200, control.clearFaults());
      case 'GET faults/list':
        return json(200, control.listFaults());
      case 'POST faults/add':
        return json(200, control.addFault(parseBody(body) as FaultSpec));
      case 'POST faults/clear': {
        const { id, all } = parseBody(body) as { id?: unknown; all?: unknown };
        if (all === true && id === undefined) return json(200, control.clearFault(null));
        if (typeof id !== 'string' || !id || all !== undefined) return json(400, { error: 'body must be {"id": "<fault id>"} or {"all": true}' });
        return json(200, control.clearFault(id));
      }
      case 'GET faults/log':
        return json(200, control.faultLog());
      case 'POST advance': {
        const ms = (parseBody(body) as { ms?: unknown }).ms;
        if (typeof ms !== 'number') return json(400, { error: 'body must be {"ms": <simulated milliseconds>}' });
        return json(200, { now: control.advance(ms) });
      }
      case 'GET calls':
        return json(200, control.calls());
      case 'DELETE calls':
        control.clearCalls();
        return json(200, { ok: true });
      case 'GET state':
        return json(200, control.snapshot());
      case 'GET now':
        return json(200, { now: control.now() });
      case 'GET dns': {
        // mr asks this to find the DNS responder behind an --endpoint-url (src/aws/dns.ts).
        const dns = control.dns();
        return dns ? json(200, dns) : json(404, { error: 'this sandbox runs no DNS responder' });
      }
      default:
        return json(404, {
          error: `unknown control route ${route}`,
          routes: [
            'POST reset',
            'GET|PATCH|DELETE faults',
            'GET faults/list',
            'POST faults/add {kind,...}',
            'POST faults/clear {id}|{all}',
            'GET faults/log',
            'POST advance {ms}',
            'GET|DELETE calls',
            'GET state',
            'GET now',
            'GET dns',
          ].map((r) => `${r.split(' ')[0]} ${CONTROL_PREFIX}${r.split(' ').slice(1).join(' ')}`),
        });
    }
  } catch (e) {
    if (e instanceof SyntaxError) return json(400, { error: `body is not JSON: ${e.message}` });
    if (isMrError(e) || e instanceof RangeError) return json(400, { error: (e as Error).message });
    return json(500, { error: (e as Error).message });
  }
}
