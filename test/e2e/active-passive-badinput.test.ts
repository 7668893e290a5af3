// Bad input on the RDS read replica path (issue 13, Done when): a replica that is not a replica, a source in
// the same region, an unknown instance. Each exits 3 (refused by a safety check at plan time) with one line,
// no stack trace, the sandbox's state unchanged, and an audit log that holds the refused run and no call.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditPath } from '../../src/audit/log.js';
import { readEvents } from '../../src/audit/read.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { distRoot } from '../helpers/paths.js';
import { runMr } from '../helpers/run-mr.js';

const WORLD = join(distRoot, 'src/sandbox/worlds/active-passive/world.yaml');
const TOPOLOGY = join(distRoot, 'src/sandbox/worlds/active-passive/topology.yaml');

let sb: SandboxHandle;
let dir: string;
let stateDir: string;

/** The bundled topology with its rds.instances for a region replaced. */
async function topologyWith(name: string, region: string, ids: string[]): Promise<string> {
  const text = (await readFile(TOPOLOGY, 'utf8')).replace(new RegExp(`^(\\s*${region}:) \\[ap-db-[^\\]]*\\]$`, 'm'), `$1 [${ids.join(', ')}]`);
  assert.match(text, new RegExp(`${region}: \\[${ids.join(', ')}\\]`));
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

const mr = (topology: string, args: string[]) => runMr(['--endpoint-url', sb.endpoint, '--config', topology, '--state-dir', stateDir, ...args]);

/** Refused at plan time: exit 3, one line, nothing changed in the sandbox, the audit log holds no call. */
async function refusedUnchanged(topology: string, args: string[], message: RegExp): Promise<void> {
  const before = sb.control.snapshot().services;
  const r = await mr(topology, args);
  assert.equal(r.code, 3, r.stderr + r.stdout);
  // One line per failed check (the engine's refusal: one line, or "refused by N checks:" and a line for each).
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.filter((l) => message.test(l)).length, 1, r.stderr);
  assert.ok(lines.length === 1 || /refused by \d+ checks:$/.test(lines[0]), r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(sb.control.snapshot().services, before, 'the sandbox state is unchanged');
  const mutating = sb.control.calls().filter((c) => !/^(Describe|Get|List|Test)/.test(c.operation));
  assert.deepEqual(
    mutating.map((c) => c.operation),
    [],
  );
  const events = await readEvents(auditPath(stateDir, 'active-passive'));
  assert.deepEqual(
    events.filter((e) => e.type === 'intent' || e.type === 'step.started').map((e) => e.type),
    [],
    'no step started, no call recorded',
  );
  const finished = events.filter((e) => e.type === 'run.finished');
  assert.equal(finished.at(-1)?.data?.outcome, 'refused');
}

describe('active-passive: bad input on the read replica steps', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mr-ap-bad-'));
    // One more instance: a replica of the primary in its own region (a same-region source).
    const world = (await readFile(WORLD, 'utf8')).replace(
      /^(\s*)- \{ id: ap-db-euw1,/m,
      '$1- { id: ap-db-use1-local, region: us-east-1, replicaOf: ap-db-use1 }\n$1- { id: ap-db-euw1,',
    );
    assert.match(world, /ap-db-use1-local/);
    await writeFile(join(dir, 'world.yaml'), world);
    sb = await startSandbox({ world: join(dir, 'world.yaml'), timeScale: 600, port: 0 });
  });
  after(async () => {
    await sb.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    sb.control.reset();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
    stateDir = await mkdtemp(join(tmpdir(), 'mr-ap-bad-state-'));
  });

  test('a replica that is not a replica: promoting the primary in us-east-1', async () => {
    await refusedUnchanged(
      TOPOLOGY,
      ['run', 'active-passive-failover', '--var', 'target=us-east-1', '--yes'],
      /ap-db-use1 in us-east-1: primary of 2 replica\(s\), available: not a read replica, nothing to promote/,
    );
  });

  test('a source in the same region: the only us-east-1 instance named is a replica of ap-db-use1 there', async () => {
    const topology = await topologyWith('same-region', 'us-east-1', ['ap-db-use1-local']);
    await refusedUnchanged(
      topology,
      ['run', 'active-passive-failover', '--var', 'target=us-east-1', '--yes'],
      /ap-db-use1-local's source ap-db-use1 is in the same region us-east-1: promoting it moves nothing out of the region/,
    );
  });

  test('a source in the same region: rebuilding a replica where the primary already is', async () => {
    await refusedUnchanged(
      TOPOLOGY,
      ['run', 'failback', '--var', 'target=us-east-1', '--yes'],
      /the source region and the replica region are both us-east-1: rds.create-replica builds a cross-region replica/,
    );
  });

  test('an unknown instance: eu-west-1 names an instance that does not exist', async () => {
    const topology = await topologyWith('unknown', 'eu-west-1', ['ap-db-gone']);
    await refusedUnchanged(topology, ['failover', 'eu-west-1', '--yes'], /no DB instance ap-db-gone in eu-west-1 \(DescribeDBInstances: DBInstanceNotFound\)/);
  });
});
