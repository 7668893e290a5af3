// The sandbox's HTTP server: one port on 127.0.0.1 for every service and region, routed by the
// SigV4 credential scope. Faults are applied here, before a service module sees the request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../io/errors.js';
import { dispatch, operationOf, SandboxAwsError, type SandboxRequest, type SandboxResponse, type ServiceModule } from './contract.js';
import { validTimeScale } from './clock.js';
import { CONTROL_PREFIX, handleControl, makeControl } from './control.js';
import { accountRateLimit, globalControlPlaneDown, latencyFor, RateLimiter, takeInjectedError } from './faults.js';
import { coreError, credentialScope } from './routing.js';
import { Runtime } from './runtime.js';
import { serviceModules } from './services/index.js';
import type { CallLogEntry, SandboxDnsAddress, SandboxHandle, StartSandboxOptions } from './types.js';
import { startDnsResponder } from './dns/responder.js';
import { lookup } from './dns/zone.js';
import type { AuroraState } from './services/rds/state.js';
import { DEMO_WORLD_PATH, loadWorld, validateWorld } from './world.js';
import type { WorldFile } from './world-schema.js';
import { StateFile } from './state-file.js';

export type { SandboxHandle, SandboxControl, StartSandboxOptions, CallLogEntry, Faults, SandboxSnapshot } from './types.js';
export type { WorldFile } from './world-schema.js';

interface Outcome {
  entry: CallLogEntry;
  delayMs: number;
  /** Undefined: reset the connection. */
  response?: SandboxResponse;
}

/** Build the runtime (world, clock, faults, state file) without listening: `mr sandbox reset` uses it too. */
export function openRuntime(opts: Pick<StartSandboxOptions, 'world' | 'worldOverrides' | 'statePath' | 'timeScale'>, modules = serviceModules): Runtime {
  if (opts.timeScale !== undefined && !validTimeScale(opts.timeScale)) throw new UsageError(`Invalid time scale ${opts.timeScale}: expected a number above 0`);
  const file = opts.world ?? DEMO_WORLD_PATH;
  const sections = modules.map((m) => m.stateKey);
  let world = loadWorld(file, sections);
  if (opts.worldOverrides) {
    opts.worldOverrides(world);
    world = validateWorld(world, `${file} (after overrides)`, sections);
  }
  const rt = new Runtime(modules, opts.statePath);
  rt.open(world, opts.timeScale);
  return rt;
}

/**
 * Put a state file back to its world (the one recorded in it, or `worldPath`, or the demo world),
 * with a fresh clock. A file that cannot be read is replaced. Safe while sandboxes use the file.
 */
export function resetStateFile(statePath: string, worldPath?: string, modules = serviceModules): { world: string } {
  const sections = modules.map((m) => m.stateKey);
  const file = new StateFile(statePath);
  let world: WorldFile | undefined;
  let timeScale = 1;
  let source = worldPath ?? DEMO_WORLD_PATH;
  if (file.exists()) {
    try {
      const old = file.read();
      timeScale = old.clock.timeScale;
      if (!worldPath) {
        world = old.world;
        source = `the world recorded in ${statePath}`;
      }
    } catch {
      // unreadable: start over from the world file
    }
  }
  world ??= loadWorld(source, sections);
  new Runtime(modules, statePath).open(world, timeScale, true);
  return { world: source };
}

export async function startSandbox(opts: StartSandboxOptions = {}): Promise<SandboxHandle> {
  const modules = serviceModules;
  const rt = openRuntime(opts, modules);
  const calls: CallLogEntry[] = [];
  let dnsAddress: SandboxDnsAddress | undefined;
  const control = makeControl(rt, calls, () => dnsAddress);
  const limiter = new RateLimiter();
  const log = opts.log ?? (() => {});

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith(CONTROL_PREFIX)) return send(res, handleControl(control, req.method ?? 'GET', url.pathname, body), requestId);
    const scope = credentialScope(req.headers, url.searchParams);
    if (!scope.ok) return send(res, coreError(req.headers, 403, scope.code, scope.message, requestId), requestId);
    const module = moduleFor(modules, scope.service, { method: req.method ?? 'GET', url, body, headers: req.headers });
    if (!module) {
      const known = modules.map((m) => m.signingName).join(', ');
      return send(
        res,
        coreError(req.headers, 400, 'UnknownService', `The sandbox does not simulate service ${scope.service} (it answers: ${known})`, requestId),
        requestId,
      );
    }
    const sreq: SandboxRequest = {
      service: scope.service,
      region: scope.region,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      requestId,
    };
    const outcome = await rt.exclusive(() => handle(module, sreq));
    calls.push(outcome.entry);
    if (outcome.delayMs > 0) await sleep(outcome.delayMs);
    if (!outcome.response) {
      req.socket.destroy();
      return;
    }
    send(res, outcome.response, requestId);
  }

  /** Inside the critical section: faults first, then the service. Synchronous unless the module is not. */
  function handle(module: ServiceModule, req: SandboxRequest): Outcome | Promise<Outcome> {
    const faults = rt.state.faults;
    let operation: string;
    try {
      operation = module.operation(req);
    } catch {
      operation = 'Unknown';
    }
    const mutating = operationOf(module, operation)?.mutating ?? false;
    const entry: CallLogEntry = {
      service: req.service,
      region: req.region,
      operation,
      mutating,
      at: rt.now(),
      realAt: Date.now(),
      status: 0,
      requestId: req.requestId,
      request: { path: req.path, query: req.query.toString(), body: req.body.slice(0, 4096) },
    };
    const delayMs = latencyFor(faults, operation);
    const failWith = (err: SandboxAwsError): Outcome => {
      const response = module.renderError(err, req, operation);
      entry.status = response.status;
      entry.error = err.code;
      return { entry, delayMs, response };
    };
    const failed = (e: unknown): Outcome => {
      if (e instanceof SandboxAwsError) return failWith(e);
      log(`sandbox: ${module.signingName} ${operation} failed inside the sandbox: ${(e as Error).stack ?? String(e)}`);
      return failWith(new SandboxAwsError('InternalFailure', 'The sandbox failed to process the request (a sandbox bug).', 500, 'Receiver'));
    };
    const answered = (response: SandboxResponse): Outcome => {
      if (mutating && response.status < 400) rt.markDirty();
      entry.status = response.status;
      return { entry, delayMs, response };
    };
    // A global service's control plane is its own failure domain, not the region in its scope.
    const unreachable = module.global ? globalControlPlaneDown(faults, module.signingName) : faults.regionsDown.includes(req.region);
    if (unreachable) return { entry, delayMs };
    if (module.global && !limiter.take(accountRateLimit(faults, module.signingName))) {
      entry.throttled = true;
      return failWith(new SandboxAwsError('Throttling', 'Rate exceeded', 400));
    }
    const injected = takeInjectedError(faults, [module.signingName, module.stateKey], operation);
    if (injected) {
      rt.markDirty();
      return failWith(new SandboxAwsError(injected.code, injected.message, injected.status, injected.status >= 500 ? 'Receiver' : 'Sender'));
    }
    try {
      const result = dispatch(module, req, rt.state.services[module.stateKey], rt.ctx, operation);
      return result instanceof Promise ? result.then(answered, failed) : answered(result);
    } catch (e) {
      return failed(e);
    }
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      log(`sandbox: request failed: ${(e as Error).message}`);
      if (!res.headersSent && !res.destroyed) send(res, coreError(req.headers, 500, 'InternalFailure', (e as Error).message, randomUUID()), randomUUID());
    });
  });
  // A client that reuses an idle keep-alive socket just as the server times it out gets ECONNRESET
  // (a test harness read with one attempt failed that way in CI). AWS does not document its API
  // endpoints' idle timeout; 65 s outlasts any gap between one client's calls here, and headersTimeout
  // must stay above it (Node http server docs, server.keepAliveTimeout). Idle sockets do not keep a
  // client process alive, and stop() closes every connection.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Every answer reads the state as it is now (another process sharing the state file may have moved it).
  const dnsLookup = (name: string, type: string) =>
    rt.sync(() => lookup({ aurora: rt.state.services.aurora as AuroraState | undefined, ctx: rt.ctx, dnsLagMs: rt.state.faults.dnsLagMs ?? 0 }, name, type));
  let dns;
  try {
    dns = await startDnsResponder(dnsLookup, { port: opts.dnsPort, log });
  } catch (e) {
    server.close();
    throw e;
  }
  dnsAddress = { address: '127.0.0.1', port: dns.port };
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dns: dnsAddress,
    control,
    stop() {
      stopped ??= Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        dns.stop(),
      ]).then(() => undefined);
      return stopped;
    },
  };
}

/**
 * The module answering a signing name. Two modules may share one (RDS: Aurora clusters and DB instances,
 * each with its own state): the one whose table has the operation, else the first (its unknown-operation error).
 */
function moduleFor(
  modules: ServiceModule[],
  service: string,
  r: { method: string; url: URL; body: string; headers: SandboxRequest['headers'] },
): ServiceModule | undefined {
  const candidates = modules.filter((m) => m.signingName === service);
  if (candidates.length < 2) return candidates[0];
  const probe: SandboxRequest = {
    service,
    region: '',
    method: r.method,
    path: r.url.pathname,
    query: r.url.searchParams,
    headers: r.headers,
    body: r.body,
    requestId: '',
  };
  return (
    candidates.find((m) => {
      try {
        return operationOf(m, m.operation(probe)) !== undefined;
      } catch {
        return false;
      }
    }) ?? candidates[0]
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: SandboxResponse, requestId: string): void {
  if (res.destroyed) return;
  const body = Buffer.from(r.body, 'utf8');
  res.writeHead(r.status, { ...r.headers, 'x-amzn-RequestId': requestId, 'content-length': String(body.length) });
  res.end(body);
}
