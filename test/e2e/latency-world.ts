// The bundled latency world with edits, for the routing tests of issue 12's later items: a sandbox on the
// world (changed in memory through worldOverrides), its topology rewritten into a temp dir, and the built
// CLI pointed at both. Not a test file itself.
import { before, after, beforeEach } from 'node:test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Route53Client, TestDNSAnswerCommand } from '@aws-sdk/client-route-53';
import { startSandbox, type SandboxHandle, type WorldFile } from '../../src/sandbox/server.js';
import { distRoot } from '../helpers/paths.js';
import { runMr } from '../helpers/run-mr.js';
import { sdkConfig } from '../helpers/sandbox.js';

export const LATENCY_DIR = join(distRoot, 'src/sandbox/worlds', 'latency');
export const ZONE = 'Z0MRLATENCY00001';
export const NEAR = { 'us-east-1': '192.0.2.44', 'eu-west-1': '198.51.100.44', 'ap-southeast-1': '203.0.113.44' } as const;
export const API_VALUES = { 'us-east-1': '192.0.2.10', 'eu-west-1': '198.51.100.10', 'ap-southeast-1': '203.0.113.10' } as const;

export interface LatencyEnv {
  sb: SandboxHandle;
  topology: string;
  dir: string;
  stateDir: string;
  mr(args: string[]): ReturnType<typeof runMr>;
  r53: Route53Client;
  /** What Route 53 answers a client at `subnet` (none: its default resolver). */
  answer(name: string, type: 'A' | 'CNAME', subnet?: string): Promise<string[]>;
}

export interface Edits {
  world?: (w: WorldFile) => void;
  topology?: (yaml: string) => string;
}

/** Registers before/after hooks; `set` receives the environment once it is up. Each test gets a reset sandbox and a fresh state dir. */
export function useLatencyWorld(edits: Edits, set: (e: LatencyEnv) => void): void {
  let env: LatencyEnv | undefined;
  before(async () => {
    const sb = await startSandbox({ world: join(LATENCY_DIR, 'world.yaml'), worldOverrides: edits.world, timeScale: 200, port: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'mr-latency-'));
    const topology = join(dir, 'topology.yaml');
    // Poll faster than the bundled 1 s: at this time scale a change converges in tens of milliseconds.
    let text = (await readFile(join(LATENCY_DIR, 'topology.yaml'), 'utf8')).replace(/^(\s*poll:\s*).*$/m, '$1100ms').replace(/^(\s*verify:\s*).*$/m, '$130s');
    if (edits.topology) text = edits.topology(text);
    await writeFile(topology, text);
    const r53 = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1'));
    const e: LatencyEnv = {
      sb,
      topology,
      dir,
      stateDir: '',
      mr: (args) => runMr(['--endpoint-url', sb.endpoint, '--config', topology, '--state-dir', e.stateDir, ...args], { killAfterMs: 120_000 }),
      r53,
      answer: async (name, type, subnet) =>
        (await r53.send(new TestDNSAnswerCommand({ HostedZoneId: ZONE, RecordName: name, RecordType: type, EDNS0ClientSubnetIP: subnet }))).RecordData ?? [],
    };
    env = e;
    set(e);
  });
  beforeEach(async () => {
    env!.sb.control.reset();
    env!.stateDir = await mkdtemp(join(env!.dir, 'state-'));
  });
  after(async () => {
    env?.r53.destroy();
    await env?.sb.stop();
    if (env) await rm(env.dir, { recursive: true, force: true });
  });
}

/** The world without control checks: each region's latency records name its application check directly. */
export function withoutControlChecks(w: WorldFile): void {
  const zone = w.route53!.zones[0];
  for (const r of zone.records) if (r.healthCheckId) r.healthCheckId = r.healthCheckId.replace('-0000000c', '-0000000a');
}

/** The topology without its controlHealthChecks block. */
export const dropControlChecks = (yaml: string): string => yaml.replace(/^ {2}controlHealthChecks:\n(?: {4}.*\n)+/m, '');

/** A playbook file of one stage, written into the environment's dir; returns its path. */
export async function playbookFile(e: LatencyEnv, name: string, body: string): Promise<string> {
  const file = join(e.dir, `${name}.yaml`);
  await writeFile(file, body);
  return file;
}
