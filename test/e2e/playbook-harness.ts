// What the playbook e2e tests share: a sandbox in the test process, a private state dir, `mr`
// spawned against both, readers of the world as the SDK sees it, and of the audit log.
import { after, before, beforeEach } from 'node:test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAws } from '../../src/aws/factory.js';
import type { Aws } from '../../src/aws/types.js';
import type { AuditEvent } from '../../src/audit/types.js';
import { startSandbox, type SandboxHandle, type StartSandboxOptions } from '../../src/sandbox/server.js';
import { demoTopology } from '../helpers/paths.js';
import { freshCacheDir, runMr, startMr, type MrResult, type RunMrOptions } from '../helpers/run-mr.js';

export interface World {
  sandbox: SandboxHandle;
  stateDir: string;
  /** $XDG_CACHE_HOME of every mr this world spawns; fresh on reset(), so each test starts with a cold cache. */
  cacheDir: string;
  aws: Aws;
  /** The global flags that point mr at this world. */
  globals: string[];
  mr(args: string[], opts?: RunMrOptions): Promise<MrResult>;
  start(args: string[], opts?: RunMrOptions): ReturnType<typeof startMr>;
  /** Back to the demo world with a fresh state dir (audit log, run records). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** One world for a test file, put back to the demo world before each test. */
export function useWorld(set: (w: World) => void): void {
  let w: World | undefined;
  before(async () => {
    w = await openWorld();
    set(w);
  });
  after(async () => {
    await w?.close();
  });
  beforeEach(async () => {
    await w!.reset();
  });
}

export async function openWorld(opts: StartSandboxOptions = {}): Promise<World> {
  const sandbox = await startSandbox({ timeScale: 200, port: 0, ...opts });
  // The demo topology polls every second (real time); at the sandbox's time scale a step converges
  // in tens of milliseconds, so the tests poll faster to stay fast.
  const configDir = await mkdtemp(join(tmpdir(), 'mr-pb-config-'));
  const topology = join(configDir, 'topology.yaml');
  await writeFile(topology, (await readFile(demoTopology, 'utf8')).replace(/^(\s*poll:\s*).*$/m, '$1100ms'));
  const aws = createAws({
    endpointUrl: sandbox.endpoint,
    credentials: { accessKeyId: 'AKIAMRE2ETEST0000000', secretAccessKey: 'sandbox' },
    requestTimeoutMs: 2000,
    maxAttempts: 1,
  });
  const world: World = {
    sandbox,
    aws,
    stateDir: await mkdtemp(join(tmpdir(), 'mr-pb-')),
    cacheDir: freshCacheDir(),
    get globals() {
      return ['--endpoint-url', sandbox.endpoint, '--config', topology, '--state-dir', world.stateDir];
    },
    mr: (args, o) => runMr([...world.globals, ...args], withCache(world, o)),
    start: (args, o) => startMr([...world.globals, ...args], withCache(world, o)),
    async reset() {
      sandbox.control.reset();
      await rm(world.stateDir, { recursive: true, force: true });
      world.stateDir = await mkdtemp(join(tmpdir(), 'mr-pb-'));
      world.cacheDir = freshCacheDir();
    },
    async close() {
      aws.destroy();
      await sandbox.stop();
      await rm(world.stateDir, { recursive: true, force: true });
      await rm(configDir, { recursive: true, force: true });
    },
  };
  return world;
}

/** The world's cache dir unless the test names its own. */
function withCache(world: World, o: RunMrOptions = {}): RunMrOptions {
  return { ...o, env: { XDG_CACHE_HOME: world.cacheDir, ...o.env } };
}

/** Where everything is, read through the real adapters. */
/** `skipRegions`: regions not to read (down in the test, or whose call log must stay clean). */
export async function worldState(aws: Aws, skipRegions: string[] = []) {
  const gc = await aws.rds('eu-west-1').readGlobalCluster('demo-global');
  const ds = await aws.elasticache('eu-west-1').readGlobalDatastore('ldgnf-demo-sessions');
  let weights: Record<string, Record<string, number | undefined>> | undefined = {};
  try {
    for (const [name, type] of [
      ['api.demo.example.com.', 'A'],
      ['app.demo.example.com.', 'CNAME'],
    ]) {
      const recs = await aws.route53().readRecords('Z0MRDEMO0000001', name, type);
      weights[name] = Object.fromEntries(recs.filter((r) => r.name === name && r.setIdentifier).map((r) => [r.setIdentifier!, r.weight]));
    }
  } catch {
    // Route 53's control plane is down in the test: no weights to read.
    weights = undefined;
  }
  const ecs: Record<string, Record<string, { desired: number; running: number }>> = {};
  for (const [region, cluster] of [
    ['us-east-1', 'demo-use1'],
    ['eu-west-1', 'demo-euw1'],
    ['us-west-2', 'demo-usw2'],
  ]) {
    if (skipRegions.includes(region)) continue;
    try {
      const services = await aws.ecs(region).describeServices(cluster, ['api', 'worker']);
      ecs[region] = Object.fromEntries(services.map((s) => [s.name, { desired: s.desired, running: s.running }]));
    } catch {
      // A region that is down in the test has no answer to give.
    }
  }
  return {
    writer: gc.members.find((m) => m.isWriter)?.region,
    auroraStatus: gc.status,
    cachePrimary: ds.members.find((m) => m.role.toLowerCase() === 'primary')?.region,
    cacheStatus: ds.status,
    weights,
    ecs,
  };
}

/** The state a completed failover to eu-west-1 leaves (weights per set identifier). */
export const failedOverToEuw1 = {
  writer: 'eu-west-1',
  auroraStatus: 'available',
  cachePrimary: 'eu-west-1',
  cacheStatus: 'available',
  weights: { 'api.demo.example.com.': { use1: 0, euw1: 100, usw2: 0 }, 'app.demo.example.com.': { use1: 0, euw1: 100, usw2: 0 } },
};

export async function auditEvents(stateDir: string): Promise<AuditEvent[]> {
  let text: string;
  try {
    text = await readFile(join(stateDir, 'audit', 'demo.ndjson'), 'utf8');
  } catch {
    return [];
  }
  // A line being written as we read is left for the next read.
  return text.split('\n').flatMap((l) => {
    try {
      return l ? [JSON.parse(l) as AuditEvent] : [];
    } catch {
      return [];
    }
  });
}

/** Resolves with the event `pick` finds in the audit log, polling the file (the run is another process). */
export async function waitForEvent(stateDir: string, pick: (events: AuditEvent[]) => AuditEvent | undefined, done: Promise<unknown>): Promise<AuditEvent> {
  let finished = false;
  void done.then(() => (finished = true));
  for (;;) {
    const hit = pick(await auditEvents(stateDir));
    if (hit) return hit;
    if (finished) throw new Error('mr exited before the awaited audit event');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The JSON documents mr printed on stdout under --json (pretty-printed, one after another). */
export function jsonDocs(stdout: string): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < stdout.length; i++) {
    const c = stdout[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) {
      docs.push(JSON.parse(stdout.slice(start, i + 1)) as Record<string, unknown>);
    }
  }
  return docs;
}

export interface Intent {
  runId: string;
  step: string;
  operation: string;
  target: string;
  params: unknown;
  /** The result on record: true/false, or undefined when the process died before writing one. */
  ok?: boolean;
}

/** Mutating calls the runs made, from the audit log's intents and results (lock changes apart). */
export function intents(events: AuditEvent[]): Intent[] {
  const out: Intent[] = [];
  for (const e of events) {
    if (e.type === 'intent') {
      const call = e.data?.call as { operation: string; target: string; params: unknown };
      out.push({ runId: e.runId, step: String(e.data?.step), operation: call.operation, target: call.target, params: call.params });
    } else if (e.type === 'result') {
      // A result answers the earliest open intent of the same run, step, operation and target.
      const open = out.find(
        (i) => i.ok === undefined && i.runId === e.runId && i.step === e.data?.step && i.operation === e.data?.operation && i.target === e.data?.target,
      );
      if (open) open.ok = e.data?.ok === true;
    }
  }
  return out.filter((i) => !i.target.startsWith('lock '));
}
