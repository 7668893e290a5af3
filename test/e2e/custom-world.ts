// A sandbox on a temporary variant of the bundled active-passive world, for the e2e tests of the
// active-passive path: the world and topology edited and written to a temp dir, a sandbox started on it,
// an SDK client for reading the outcome, a fresh state dir (audit log) per test, and all of it removed
// after. useCustomWorld() registers the node:test hooks that do this; call it at a file's top level or
// inside its describe().
import { after, before, beforeEach } from 'node:test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAws } from '../../src/aws/factory.js';
import type { Aws } from '../../src/aws/types.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { distRoot } from '../helpers/paths.js';
import { runMr, type MrResult } from '../helpers/run-mr.js';

/** The bundled active-passive world and topology the variants start from. */
export const AP = join(distRoot, 'src/sandbox/worlds/active-passive');

export interface CustomWorldOptions {
  /** The temp dirs' name prefix, e.g. 'mr-ap-cluster'. */
  prefix: string;
  /** Edits the bundled world.yaml; absent: the world as shipped. */
  world?: (text: string) => string;
  /** Edits the bundled topology.yaml after its poll interval is set to 100ms. */
  topology?: (text: string) => string;
  /** More files written beside them (playbooks), by name. */
  files?: Record<string, string> | (() => Promise<Record<string, string>>);
}

export interface CustomWorld {
  readonly sb: SandboxHandle;
  /** SDK clients against the sandbox, one attempt each: what the tests read the outcome with. */
  readonly aws: Aws;
  /** The temp dir holding world.yaml, topology.yaml and the extra files. */
  readonly dir: string;
  /** The topology file mr runs with. */
  readonly topology: string;
  /** This test's state dir (audit log, lock state): a new one before each test. */
  readonly stateDir: string;
  /** mr's arguments for this world: endpoint, config and state dir, then `args`. */
  args(args: string[]): string[];
  /** Run the built mr against this world. */
  mr(args: string[]): Promise<MrResult>;
  /** The logged calls to a region's endpoints, as "service Operation" (Route 53 is global: not counted). */
  callsTo(region: string): string[];
}

export function useCustomWorld(opts: CustomWorldOptions): CustomWorld {
  let sb: SandboxHandle | undefined;
  let aws: Aws | undefined;
  let dir = '';
  let stateDir = '';
  const w: CustomWorld = {
    get sb() {
      return sb!;
    },
    get aws() {
      return aws!;
    },
    get dir() {
      return dir;
    },
    get topology() {
      return join(dir, 'topology.yaml');
    },
    get stateDir() {
      return stateDir;
    },
    args: (args) => ['--endpoint-url', sb!.endpoint, '--config', join(dir, 'topology.yaml'), '--state-dir', stateDir, ...args],
    mr: (args) => runMr(w.args(args)),
    callsTo: (region) =>
      sb!.control
        .calls()
        .filter((c) => c.service !== 'route53' && c.region === region)
        .map((c) => `${c.service} ${c.operation}`),
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), `${opts.prefix}-`));
    const world = await readFile(join(AP, 'world.yaml'), 'utf8');
    await writeFile(join(dir, 'world.yaml'), opts.world ? opts.world(world) : world);
    const topology = (await readFile(join(AP, 'topology.yaml'), 'utf8')).replace(/^(\s*poll:\s*).*$/m, '$1100ms');
    await writeFile(join(dir, 'topology.yaml'), opts.topology ? opts.topology(topology) : topology);
    const files = typeof opts.files === 'function' ? await opts.files() : (opts.files ?? {});
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    sb = await startSandbox({ world: join(dir, 'world.yaml'), timeScale: 600, port: 0 });
    aws = createAws({
      endpointUrl: sb.endpoint,
      credentials: { accessKeyId: 'AKIAMRE2ETEST0000000', secretAccessKey: 'sandbox' },
      requestTimeoutMs: 2000,
      maxAttempts: 1,
    });
  });
  after(async () => {
    aws?.destroy();
    await sb?.stop();
    await rm(dir, { recursive: true, force: true });
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    sb!.control.reset();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
    stateDir = await mkdtemp(join(tmpdir(), `${opts.prefix}-state-`));
  });
  return w;
}

/**
 * The active-passive world with Aurora read replica clusters only (no DB instances): orders-use1 in
 * us-east-1 and its cross-region read replica cluster orders-euw1 in eu-west-1, each with its region's
 * writers; the db name resolves to orders-use1's cluster endpoint.
 */
export function clusterOnlyWorld(world: string): string {
  const rds = [
    'rds:',
    '  clusters:',
    '    - { id: orders-use1, region: us-east-1, writers: { cluster: ap-use1, services: [api, worker] } }',
    '    - { id: orders-euw1, region: eu-west-1, replicaOf: orders-use1, lagMs: 3000, writers: { cluster: ap-euw1, services: [api, worker] } }',
    '',
  ].join('\n');
  return world
    .replace(/^rds:\n(?:[ \t]+.*\n)+/m, rds)
    .replace('values: [ap-db-use1.c0ffee.us-east-1.rds.amazonaws.com]', `values: [${clusterEndpoint('orders-use1', 'us-east-1')}]`);
}

/** Its topology: rds.clusters only (with a rebuild name per region and KMS keys), the db name following the cluster. */
export function clusterOnlyTopology(topology: string): string {
  return topology
    .replace('{ name: db.active-passive.example.com., follows: rds }', '{ name: db.active-passive.example.com., follows: rds-cluster }')
    .replace(
      /^rds:\n(?:[ \t]+.*\n)+/m,
      [
        'rds:',
        '  clusters: { us-east-1: [orders-use1, orders-use1-r], eu-west-1: [orders-euw1, orders-euw1-r] }',
        '  kmsKeyIds: { us-east-1: alias/orders, eu-west-1: alias/orders }',
        '  maxLagMs: 60000',
        '',
      ].join('\n'),
    );
}

/** A cluster's endpoint in the sandbox. */
export const clusterEndpoint = (id: string, region: string) => `${id}.cluster-c0ffee.${region}.rds.amazonaws.com`;
