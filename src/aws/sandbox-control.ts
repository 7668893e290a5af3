// The sandbox's control endpoint (/_sandbox/ on the endpoint override), for the sandbox.fault step of
// game-day playbooks. AWS has nothing like it: this models no AWS behaviour and sends no AWS request.
// It lives in the AWS layer because the endpoint override is known here, and so that its changes go
// through the choke point (mutation.ts) like every other change: an intent on record before the
// request, a result after it. A fault is a change to the world a run rehearses in, so it is audited,
// counted and shown in the run's report; it is never sent anywhere but an endpoint override.
// It speaks plain JSON over fetch (no SDK); the routes are src/sandbox/control.ts's (this layer may
// not import the sandbox, so the few shapes it needs are restated structurally below).
import { AwsCallError } from './errors.js';
import { sendMutation, type MutateOptions, type MutationResult, type MutationSink } from './mutation.js';

/** A fault in force, as the sandbox lists it (src/sandbox/fault-spec.ts FaultItem). */
export interface SandboxFault {
  id: string;
  kind: string;
  description: string;
}

/** What to inject, in the vocabulary of `mr sandbox fault add` (src/sandbox/fault-spec.ts FaultSpec). */
export type SandboxFaultSpec = { kind: string } & Record<string, unknown>;

export interface SandboxFaults extends MutationResult {
  /** The faults in force after the change. */
  faults: SandboxFault[];
}

export interface SandboxApi {
  /** The endpoint override, or undefined (real AWS: there is no sandbox to talk to). */
  readonly endpoint: string | undefined;
  /** The faults in force. Throws an AwsCallError (code NotASandbox) when nothing there answers as a sandbox. */
  listFaults(): Promise<SandboxFault[]>;
}

export interface SandboxMutations {
  addFault(spec: SandboxFaultSpec, opts?: MutateOptions<SandboxFaults>): Promise<SandboxFaults>;
  /** null clears every fault in force. */
  clearFault(id: string | null, opts?: MutateOptions<SandboxFaults>): Promise<SandboxFaults>;
}

const SERVICE = 'sandbox';
/** The sandbox is not in any region; the audit log needs a word for where the call went. */
export const SANDBOX_REGION = 'local';

function notASandbox(operation: string, why: string): AwsCallError {
  return new AwsCallError(SERVICE, SANDBOX_REGION, operation, 'NotASandbox', why, { unreachable: false, throttled: false });
}

async function call<T>(
  endpoint: string | undefined,
  operation: string,
  method: string,
  route: string,
  timeoutMs: number,
  body?: unknown,
): Promise<{ doc: T; requestId?: string }> {
  if (!endpoint)
    throw notASandbox(
      operation,
      'no endpoint override: mr talks to AWS itself, where faults cannot be injected (use --sandbox or the --endpoint-url of mr sandbox serve)',
    );
  const url = `${endpoint.replace(/\/+$/, '')}/_sandbox/${route}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new AwsCallError(SERVICE, SANDBOX_REGION, operation, cause, `no answer from ${endpoint}: ${(e as Error).message}`, {
      unreachable: true,
      throttled: false,
    });
  }
  const requestId = res.headers.get('x-amzn-requestid') ?? undefined;
  const text = await res.text();
  let doc: unknown;
  try {
    doc = text ? JSON.parse(text) : undefined;
  } catch {
    throw notASandbox(operation, `${endpoint} answered ${res.status} but not as the sandbox's control endpoint (not JSON): is it mr sandbox serve?`);
  }
  if (res.status === 404 && !(doc as { routes?: unknown })?.routes)
    throw notASandbox(operation, `${endpoint} has no sandbox control endpoint (${method} /_sandbox/${route}: 404): is it mr sandbox serve?`);
  if (!res.ok) {
    const message = (doc as { error?: string })?.error ?? res.statusText;
    throw new AwsCallError(SERVICE, SANDBOX_REGION, operation, res.status === 400 ? 'InvalidFault' : 'SandboxError', message, {
      requestId,
      httpStatus: res.status,
      unreachable: false,
      throttled: false,
    });
  }
  return { doc: doc as T, requestId };
}

function isFaultList(v: unknown): v is SandboxFault[] {
  return Array.isArray(v) && v.every((f) => typeof f === 'object' && f !== null && typeof (f as SandboxFault).id === 'string');
}

async function faults(
  endpoint: string | undefined,
  operation: string,
  method: string,
  route: string,
  timeoutMs: number,
  body?: unknown,
): Promise<SandboxFaults> {
  const { doc, requestId } = await call<unknown>(endpoint, operation, method, route, timeoutMs, body);
  if (!isFaultList(doc)) throw notASandbox(operation, `${endpoint} answered ${route} with something that is not a fault list: is it mr sandbox serve?`);
  return { faults: doc, ...(requestId ? { requestId } : {}) };
}

export function sandboxAdapter(endpoint: string | undefined, timeoutMs: number): SandboxApi {
  return {
    endpoint,
    listFaults: async () => (await faults(endpoint, 'ListFaults', 'GET', 'faults/list', timeoutMs)).faults,
  };
}

export function sandboxMutations(endpoint: string | undefined, timeoutMs: number, sink: MutationSink): SandboxMutations {
  const target = `sandbox ${endpoint ?? '(none)'}`;
  return {
    addFault: (spec, opts = {}) =>
      sendMutation(
        sink,
        { service: SERVICE, region: SANDBOX_REGION, operation: 'AddFault', target, params: { ...spec } },
        async () => ({ input: spec, send: () => faults(endpoint, 'AddFault', 'POST', 'faults/add', timeoutMs, spec) }),
        opts,
      ),
    clearFault: (id, opts = {}) => {
      const body = id === null ? { all: true } : { id };
      return sendMutation(
        sink,
        { service: SERVICE, region: SANDBOX_REGION, operation: 'ClearFault', target, params: { ...body } },
        async () => ({ input: body, send: () => faults(endpoint, 'ClearFault', 'POST', 'faults/clear', timeoutMs, body) }),
        opts,
      );
    },
  };
}
