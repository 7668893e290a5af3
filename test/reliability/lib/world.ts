// The reliability suite's world: a sandbox in the test process behind a recording proxy, a topology (the
// demo's, or a bundled world's) polling fast, a private state dir, and mr spawned with distinctive fake credentials.
// Every output mr printed and every file it wrote is kept for the secrets scan at the end.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAws } from '../../../src/aws/factory.js';
import type { Aws } from '../../../src/aws/types.js';
import { startSandbox, type SandboxHandle, type StartSandboxOptions } from '../../../src/sandbox/server.js';
import type { AuditEvent } from '../../../src/audit/types.js';
import { demoTopology, distRoot } from '../../helpers/paths.js';
import { runMr, startMr, type MrResult, type RunMrOptions } from '../../helpers/run-mr.js';
import { leaksIn, leaksUnder, SECRET_ENV } from './secrets.js';
import { startRecorder, type Recorder } from './wire.js';

export interface RWorld {
  sandbox: SandboxHandle;
  recorder: Recorder;
  stateDir: string;
  /** Reads the world as a client sees it (straight to the sandbox, not through the proxy). */
  aws: Aws;
  globals: string[];
  /** The topology's name: its audit log is <stateDir>/audit/<name>.ndjson. */
  topologyName: string;
  /** The audit log's events so far (a line being written is left for the next read). */
  events(): Promise<AuditEvent[]>;
  /** The first event `pick` finds, polling the audit log; rejects when `done` settles first. */
  waitForEvent(pick: (events: AuditEvent[]) => AuditEvent | undefined, done: Promise<unknown>): Promise<AuditEvent>;
  mr(args: string[], opts?: RunMrOptions): Promise<MrResult>;
  start(args: string[], opts?: RunMrOptions): ReturnType<typeof startMr>;
  /** Back to the demo world, a fresh state dir, empty call log and wire record. */
  reset(): Promise<void>;
  /** Secret leaks found so far, in outputs and in state dirs already scanned. */
  leaks: string[];
  /** How many outputs and files were scanned (so a test can say the scan saw something). */
  scanned: { outputs: number; files: number };
  close(): Promise<void>;
}

/** A bundled world's world and topology files (src/sandbox/worlds/<name>), as built into dist. */
export function bundled(name: 'demo' | 'latency' | 'active-passive'): { world: string; topology: string } {
  const dir = join(distRoot, 'src/sandbox/worlds', name);
  return { world: join(dir, 'world.yaml'), topology: join(dir, 'topology.yaml') };
}

/** `topology`: the topology file to copy (default the demo's), for a sandbox started on another world. */
export async function openWorld(opts: StartSandboxOptions & { poll?: string; topology?: string } = {}): Promise<RWorld> {
  const { poll, topology: topologySource, ...sbOpts } = opts;
  const sandbox = await startSandbox({ timeScale: 200, port: 0, ...sbOpts });
  const topologyText = await readFile(topologySource ?? demoTopology, 'utf8');
  const topologyName = /^name:\s*(\S+)/m.exec(topologyText)?.[1] ?? 'demo';
  const recorder = await startRecorder(sandbox.endpoint);
  const configDir = await mkdtemp(join(tmpdir(), 'mr-rel-config-'));
  const topology = join(configDir, 'topology.yaml');
  // At the sandbox's time scale a step converges in tens of milliseconds: poll faster than the demo's 1s.
  await writeFile(topology, topologyText.replace(/^(\s*poll:\s*).*$/m, `$1${poll ?? '100ms'}`));
  const aws = createAws({
    endpointUrl: sandbox.endpoint,
    credentials: { accessKeyId: 'AKIAMRRELIABILITY000', secretAccessKey: 'sandbox' },
    requestTimeoutMs: 2000,
    maxAttempts: 1,
  });
  const keep = (r: MrResult, what: string): MrResult => {
    world.scanned.outputs++;
    world.leaks.push(...leaksIn(r.stdout, `stdout of mr ${what}`), ...leaksIn(r.stderr, `stderr of mr ${what}`));
    return r;
  };
  const scanState = async () => {
    const found = await leaksUnder(world.stateDir);
    world.scanned.files += found.files;
    world.leaks.push(...found.leaks);
  };
  const env = (o?: RunMrOptions) => ({ ...SECRET_ENV, ...o?.env });
  const world: RWorld = {
    sandbox,
    recorder,
    aws,
    stateDir: await mkdtemp(join(tmpdir(), 'mr-rel-')),
    get globals() {
      return ['--endpoint-url', recorder.endpoint, '--config', topology, '--state-dir', world.stateDir, '--no-color'];
    },
    topologyName,
    async events() {
      const text = await readFile(join(world.stateDir, 'audit', `${topologyName}.ndjson`), 'utf8').catch(() => '');
      return text.split('\n').flatMap((l) => {
        try {
          return l ? [JSON.parse(l) as AuditEvent] : [];
        } catch {
          return [];
        }
      });
    },
    async waitForEvent(pick, done) {
      let finished = false;
      void done.then(
        () => (finished = true),
        () => (finished = true),
      );
      for (;;) {
        const hit = pick(await world.events());
        if (hit) return hit;
        if (finished) throw new Error('mr exited before the awaited audit event');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    mr: async (args, o) => keep(await runMr([...world.globals, ...args], { ...o, env: env(o) }), args.join(' ')),
    start(args, o) {
      const run = startMr([...world.globals, ...args], { ...o, env: env(o) });
      void run.done.then(
        (r) => keep(r, args.join(' ')),
        () => undefined,
      );
      return run;
    },
    async reset() {
      await scanState();
      sandbox.control.reset();
      recorder.requests.length = 0;
      await rm(world.stateDir, { recursive: true, force: true });
      world.stateDir = await mkdtemp(join(tmpdir(), 'mr-rel-'));
    },
    leaks: [],
    scanned: { outputs: 0, files: 0 },
    async close() {
      await scanState();
      aws.destroy();
      await recorder.stop();
      await sandbox.stop();
      await rm(world.stateDir, { recursive: true, force: true });
      await rm(configDir, { recursive: true, force: true });
    },
  };
  return world;
}
