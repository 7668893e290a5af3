// `mr sandbox serve` and `mr sandbox reset`: run the local AWS-compatible sandbox in the foreground,
// or put its state file back to its world.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../io/errors.js';
import type { CommandHandler } from '../types.js';
import { bundledWorld, DEFAULT_WORLD, isBundledWorldName, sandboxStatePath } from '../../sandbox/bundled.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function parsePort(v: unknown): number {
  const text = str(v) ?? '4566';
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`Invalid --port ${text}: expected 0-65535 (0 picks a free port)`);
  return Number(text);
}

function parseTimeScale(v: unknown): number | undefined {
  const text = str(v);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`Invalid --time-scale ${text}: expected a number above 0 (e.g. 60: one simulated minute per second)`);
  return n;
}

/** --world: a bundled world's name, or a world file of your own (which then has no topology of ours). */
function worldFrom(value: string | undefined): { name: string | undefined; file: string | undefined; topology: string | undefined } {
  if (value === undefined) return { name: undefined, file: undefined, topology: bundledWorld(DEFAULT_WORLD).topology };
  if (isBundledWorldName(value)) {
    const w = bundledWorld(value);
    return { name: w.name, file: w.world, topology: w.topology };
  }
  // Not a path either: a mistyped name gets the list of names, not "no such file".
  if (!/[./\\]/.test(value)) bundledWorld(value);
  return { name: undefined, file: resolve(value), topology: undefined };
}

export const serve: CommandHandler = async (ctx, _args, opts) => {
  const port = parsePort(opts.port);
  const timeScale = parseTimeScale(opts.timeScale);
  const chosen = worldFrom(ctx.globals.world);
  const world = chosen.file;
  const statePath = str(opts.state) === undefined ? undefined : resolve(str(opts.state)!);
  if (statePath) mkdirSync(dirname(statePath), { recursive: true });
  const { startSandbox } = await import('../../sandbox/server.js');
  let handle;
  try {
    handle = await startSandbox({ port, world, statePath, timeScale, log: (m) => ctx.io.warn(m) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(`Port ${port} on 127.0.0.1 is already in use`, 'Pick another with --port (0 picks a free one).');
    throw e;
  }
  const env = { AWS_ENDPOINT_URL: handle.endpoint, AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox', AWS_REGION: 'us-east-1' };
  const topology = chosen.topology;
  if (ctx.io.json) {
    ctx.io.resultJson({
      endpoint: handle.endpoint,
      env,
      topology: topology ?? null,
      statePath: statePath ?? null,
      timeScale: timeScale ?? 1,
      control: `${handle.endpoint}/_sandbox/`,
      dns: `${handle.dns.address}:${handle.dns.port}`,
    });
  } else {
    const lines = [
      `Sandbox listening on ${handle.endpoint} (time x${timeScale ?? 1}${statePath ? `, state ${statePath}` : ', state in memory'})`,
      '',
      'Point AWS tools at it:',
      ...Object.entries(env).map(([k, v]) => `  export ${k}=${v}`),
      '',
      topology ? `Topology for this world: ${topology}` : 'Topology: write one for your world file (a bundled topology matches only its own world).',
      topology ? `  mr --endpoint-url ${handle.endpoint} --config ${topology} status` : '',
      `Control: ${handle.endpoint}/_sandbox/ (faults, advance, calls, state, reset)`,
      // mr finds it through the control endpoint (GET /_sandbox/dns); other tools are pointed at it.
      `DNS: ${handle.dns.address}:${handle.dns.port} (UDP and TCP; the Aurora global writer endpoint and cluster endpoints), e.g. dig @${handle.dns.address} -p ${handle.dns.port} <name> CNAME`,
    ];
    ctx.io.result(lines.filter((l, i, all) => l !== '' || all[i - 1] !== '').join('\n'));
    ctx.io.info('Ctrl-C stops the sandbox.');
  }
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      ctx.signal.removeEventListener('abort', stop);
      done();
    };
    if (ctx.signal.aborted) return done();
    ctx.signal.addEventListener('abort', stop, { once: true });
    process.once('SIGTERM', stop);
  });
  // Every change was saved when it was made; stopping only closes the port.
  await handle.stop();
  if (!ctx.io.json) ctx.io.info(`Sandbox stopped${statePath ? `; state kept in ${statePath}` : ''}.`);
  return 0;
};

export const reset: CommandHandler = async (ctx, _args, opts) => {
  const chosen = worldFrom(ctx.globals.world);
  // The state file of the world named (each bundled world keeps its own), or --state.
  const statePath = resolve(str(opts.state) ?? sandboxStatePath(ctx.stateDir, chosen.name ?? DEFAULT_WORLD));
  const world = chosen.file;
  mkdirSync(dirname(statePath), { recursive: true });
  const { resetStateFile } = await import('../../sandbox/server.js');
  const done = resetStateFile(statePath, world);
  if (ctx.io.json) ctx.io.resultJson({ statePath, world: done.world });
  else ctx.io.success(`Sandbox state ${statePath} reset to ${chosen.name ? `the ${chosen.name} world` : done.world}.`);
  return 0;
};
