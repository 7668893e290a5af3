// The CommandContext every handler gets: the topology, the AWS factory and, behind --sandbox, an
// in-process sandbox. Everything heavy (SDK, sandbox) is imported here on first use only.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Aws } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { bundleBuildId, defaultCacheDir, loadTopologyCached } from '../config/cached.js';
import type { Io } from '../io/types.js';
import { UsageError } from '../io/errors.js';
import { bundledWorld, DEFAULT_WORLD, sandboxStatePath, type BundledWorld } from '../sandbox/bundled.js';
import type { CommandContext, GlobalOptions } from './types.js';
import { createAws } from '../aws/factory.js';
import { unknownRegions } from '../aws/regions.js';

export const DEFAULT_CONFIG = 'mr.config.yaml';

/**
 * The bundled world `--sandbox` runs (`--world <name>`, default demo). Under --sandbox only a bundled
 * name is accepted: a world file of your own is served with `mr sandbox serve --world <file>`.
 */
export function sandboxWorld(globals: GlobalOptions): BundledWorld {
  return bundledWorld(globals.world ?? DEFAULT_WORLD);
}

/** The topology file a command reads: --config, else under --sandbox the world's own. */
export function topologyPath(globals: GlobalOptions): { path: string; label: string } {
  if (globals.world !== undefined && !globals.sandbox)
    throw new UsageError(
      `--world ${globals.world} selects a sandbox world: add --sandbox`,
      'Or run `mr sandbox serve --world <name>` and point --endpoint-url at it.',
    );
  if (globals.config !== undefined || !globals.sandbox) return { path: globals.config ?? DEFAULT_CONFIG, label: globals.config ?? DEFAULT_CONFIG };
  const world = sandboxWorld(globals);
  if (!world.topology) throw new UsageError(`The bundled world ${world.name} has no topology.yaml yet`, 'Pass --config <file> with a topology for it.');
  return { path: world.topology, label: `${world.name} topology.yaml` };
}

/**
 * Simulated seconds per real second for `--sandbox` (override with MR_SANDBOX_TIME_SCALE): at 20 a
 * one-minute switchover takes three seconds, quick to rehearse yet slow enough to watch each step.
 */
export const DEFAULT_SANDBOX_TIME_SCALE = 20;

/** Dummy keys: the sandbox checks the SigV4 scope, never the secret. */
const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIAMRSANDBOX0000000', secretAccessKey: 'mr-sandbox-secret' };

export interface ContextInit {
  globals: GlobalOptions;
  argv: string[];
  io: Io;
  signal: AbortSignal;
  version: string;
  env?: NodeJS.ProcessEnv;
}

export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_STATE_HOME;
  return xdg ? join(xdg, 'mr') : join(homedir(), '.local', 'state', 'mr');
}

export function sandboxTimeScale(env: NodeJS.ProcessEnv): number {
  const raw = env.MR_SANDBOX_TIME_SCALE;
  if (raw === undefined || raw === '') return DEFAULT_SANDBOX_TIME_SCALE;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_SANDBOX_TIME_SCALE;
}

/** An endpoint override must be an http(s) URL; anything else would only fail later as a confusing network error (exit 1). */
export function checkEndpointUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new UsageError(
      `--endpoint-url (or AWS_ENDPOINT_URL): expected an http:// or https:// URL, got ${JSON.stringify(url.length > 80 ? `${url.slice(0, 77)}...` : url)}`,
    );
  }
  return url;
}

const UNWRITABLE: Record<string, string> = {
  ENOTDIR: 'a part of it is a file',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left',
};

/**
 * A file error under the state dir is bad input (exit 2) in one line, not a raw ENOTDIR: nothing was
 * changed, as the audit intent is written before any call is made.
 */
export function stateDirProblem(e: unknown, stateDir: string): UsageError | undefined {
  const err = e as NodeJS.ErrnoException;
  const why = typeof err?.code === 'string' ? UNWRITABLE[err.code] : undefined;
  if (!why || typeof err.path !== 'string' || !(err.path === stateDir || err.path.startsWith(`${stateDir}/`))) return undefined;
  return new UsageError(
    `The state dir ${stateDir} is not writable (${why}: ${err.code} on ${err.path})`,
    'Pass --state-dir <dir> or set XDG_STATE_HOME to a directory mr can write.',
  );
}

/** A topology region that is a typo of a known AWS region is bad input (exit 2); one unknown to this SDK, a warning. */
export async function checkRegionNames(regions: readonly string[], label: string, io: Io): Promise<void> {
  const unknown = await unknownRegions(regions);
  const typos = unknown.filter((u) => u.near);
  if (typos.length) throw new UsageError(typos.map((u) => `${label}: regions: ${u.message}`).join('\n'));
  for (const u of unknown) io.warn(`${label}: regions: ${u.message}`);
}

export function createContext(init: ContextInit): CommandContext {
  const { globals, io } = init;
  const env = init.env ?? process.env;
  const stateDir = globals.stateDir ?? defaultStateDir(env);
  let topology: Promise<Topology> | undefined;
  let sandbox: Promise<{ endpoint: string; stop(): Promise<void> }> | undefined;
  const factories: Aws[] = [];

  const loadTopology = (): Promise<Topology> => {
    topology ??= (async () => {
      const { path, label } = topologyPath(globals);
      // Through the topology cache in the bundle (config/cached.ts): an unchanged file skips YAML and zod.
      const buildId = bundleBuildId();
      const loaded = await loadTopologyCached(path, label, buildId ? { dir: defaultCacheDir(env), buildId } : undefined);
      await checkRegionNames(loaded.regions, label, io);
      return loaded;
    })();
    return topology;
  };

  const startSandbox = () => {
    sandbox ??= (async () => {
      const world = sandboxWorld(globals);
      const statePath = sandboxStatePath(stateDir, world.name);
      await mkdir(join(stateDir, 'sandbox'), { recursive: true });
      const { startSandbox: start } = await import('../sandbox/server.js');
      const handle = await start({ statePath, world: world.world, timeScale: sandboxTimeScale(env), log: (m) => io.debugLog(m) });
      io.debugLog(`sandbox: ${handle.endpoint}, state ${statePath}, time x${sandboxTimeScale(env)}`);
      return handle;
    })();
    return sandbox;
  };

  return {
    io,
    globals,
    argv: init.argv,
    stateDir,
    signal: init.signal,
    loadTopology,
    async aws(opts = {}) {
      let requestTimeoutMs = opts.requestTimeoutMs;
      let route53Rate: { rate: number; burst?: number } | undefined;
      if (requestTimeoutMs === undefined) {
        // The read bound comes from the topology; a command that needs AWS has a topology anyway.
        const topology = await loadTopology();
        requestTimeoutMs = topology.timeouts.readMs;
        route53Rate = topology.route53?.rateLimit;
      } else {
        route53Rate = (await loadTopology().catch(() => undefined))?.route53?.rateLimit;
      }
      const userAgentSuffix = `mr/${init.version}${opts.runId ? ` run/${opts.runId}` : ''}`;
      const endpointUrl = globals.sandbox ? (await startSandbox()).endpoint : checkEndpointUrl(globals.endpointUrl);
      const aws = createAws({
        profile: globals.sandbox ? undefined : globals.profile,
        endpointUrl,
        requestTimeoutMs,
        route53Rate,
        userAgentSuffix,
        credentials: globals.sandbox ? SANDBOX_CREDENTIALS : undefined,
        cacheDir: defaultCacheDir(env),
      });
      factories.push(aws);
      return aws;
    },
    async close() {
      for (const aws of factories.splice(0)) aws.destroy();
      const s = sandbox;
      sandbox = undefined;
      if (s)
        await s.then(
          (h) => h.stop(),
          () => undefined,
        );
    },
  };
}
