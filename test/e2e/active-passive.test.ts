// The active-passive world end to end: the built CLI against a sandbox in the test process, with the
// bundled world and topology. Planned failover (fence, RPO 0), unplanned with us-east-1 down (no call to
// us-east-1, RPO = lag at the cut), failback (rebuild a replica, switch back with RPO 0), bad input.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAws } from '../../src/aws/factory.js';
import type { Aws } from '../../src/aws/types.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { distRoot } from '../helpers/paths.js';
import { runMr } from '../helpers/run-mr.js';

const WORLD = join(distRoot, 'src/sandbox/worlds/active-passive/world.yaml');
const TOPOLOGY = join(distRoot, 'src/sandbox/worlds/active-passive/topology.yaml');
const ZONE = 'Z0MRACTPASS0001';

let sb: SandboxHandle;
let aws: Aws;
let stateDir: string;
let configDir: string;
let topology: string;
const mr = (args: string[]) => runMr(['--endpoint-url', sb.endpoint, '--config', topology, '--state-dir', stateDir, ...args]);

async function state(skip: string[] = []) {
  const out: Record<string, unknown> = {};
  for (const [region, ids] of [['us-east-1', ['app-use1', 'app-use1-r']], ['eu-west-1', ['app-euw1']]] as const) {
    if (skip.includes(region)) continue;
    for (const id of ids) {
      try {
        const i = await aws.rds(region).readDbInstance(id);
        out[id] = { status: i.status, source: i.source ? `${i.source.id}@${i.source.region}` : null, replication: i.replication?.status ?? null };
      } catch {
        // not there
      }
    }
    const ecs = await aws.ecs(region).describeServices(region === 'us-east-1' ? 'ap-use1' : 'ap-euw1', ['api']);
    out[`ecs ${region}`] = `${ecs[0].desired}/${ecs[0].running}`;
  }
  const weights: Record<string, Record<string, number | undefined>> = {};
  for (const [name, type] of [['api.ap.example.com.', 'A'], ['db.ap.example.com.', 'CNAME']]) {
    const recs = await aws.route53().readRecords(ZONE, name, type);
    weights[name] = Object.fromEntries(recs.map((r) => [r.setIdentifier!, r.weight]));
  }
  out.weights = weights;
  return out;
}

async function report(runStdout: string): Promise<{ rpo: { boundMs: number; step: string; kind: string; note: string } | null }> {
  const runId = /Timing report, run (\S+)/.exec(runStdout)?.[1];
  assert.ok(runId, runStdout);
  const r = await mr(['--json', 'report', runId]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n')[0]);
}

describe('active-passive world (RDS read replica)', () => {
  before(async () => {
    sb = await startSandbox({ world: WORLD, timeScale: 600, port: 0 });
    configDir = await mkdtemp(join(tmpdir(), 'mr-ap-config-'));
    topology = join(configDir, 'topology.yaml');
    await writeFile(topology, (await readFile(TOPOLOGY, 'utf8')).replace(/^(\s*poll:\s*).*$/m, '$1100ms'));
    aws = createAws({ endpointUrl: sb.endpoint, credentials: { accessKeyId: 'AKIAMRE2ETEST0000000', secretAccessKey: 'sandbox' }, requestTimeoutMs: 2000, maxAttempts: 1 });
  });
  after(async () => {
    aws.destroy();
    await sb.stop();
    await rm(configDir, { recursive: true, force: true });
    await rm(stateDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    sb.control.reset();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
    stateDir = await mkdtemp(join(tmpdir(), 'mr-ap-'));
  });

  test('planned failover: warm standby to capacity, source fenced, replica promoted at lag 0, names moved; RPO 0', async () => {
    const r = await mr(['failover', 'eu-west-1', '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const s = await state();
    assert.deepEqual(s['app-euw1'], { status: 'available', source: null, replication: null });
    assert.equal(s['ecs eu-west-1'], '4/4');
    assert.equal(s['ecs us-east-1'], '0/0', 'the source writers were fenced');
    assert.deepEqual(s.weights, { 'api.ap.example.com.': { use1: 0, euw1: 100 }, 'db.ap.example.com.': { use1: 0, euw1: 100 } });
    const rep = await report(r.stdout);
    assert.equal(rep.rpo?.boundMs, 0);
    assert.equal(rep.rpo?.kind, 'rds.promote-replica');
    assert.match(rep.rpo?.note ?? '', /planned cut/);
  });

  test('unplanned failover with us-east-1 down: only eu-west-1 and Route 53 are called; RPO bound = lag at the cut', async () => {
    sb.control.setFaults({ regionsDown: ['us-east-1'] });
    sb.control.advance(60_000); // a minute into the outage: the replica has received nothing since
    sb.control.clearCalls();
    const r = await mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const regional = sb.control.calls().filter((c) => c.service !== 'route53' && c.region === 'us-east-1');
    assert.deepEqual(regional.map((c) => `${c.service} ${c.operation}`), [], 'no call to a us-east-1 regional endpoint');
    const s = await state(['us-east-1']);
    assert.deepEqual(s['app-euw1'], { status: 'available', source: null, replication: null });
    assert.equal(s['ecs eu-west-1'], '4/4');
    assert.deepEqual(s.weights, { 'api.ap.example.com.': { use1: 0, euw1: 100 }, 'db.ap.example.com.': { use1: 0, euw1: 100 } });
    const rep = await report(r.stdout);
    // 2 s of steady lag plus at least the minute of the outage: what the cut read, not the plan's reading.
    assert.ok(rep.rpo && rep.rpo.boundMs >= 62_000, JSON.stringify(rep.rpo));
    const promote = JSON.parse(await readFile(join(stateDir, 'runs', `${/Timing report, run (\S+)/.exec(r.stdout)![1]}.json`), 'utf8')).plan.stages
      .flatMap((st: { steps: { id: string; data: { dataAtRiskMs: number; cutLagMs: number } }[] }) => st.steps)
      .find((x: { id: string }) => x.id === 'promote-db');
    assert.equal(rep.rpo.boundMs, promote.data.cutLagMs);
    assert.ok(promote.data.cutLagMs >= promote.data.dataAtRiskMs, 'the lag kept growing between the plan and the cut');
  });

  test('unplanned failover needs --allow-data-loss with --yes: refused, nothing changed', async () => {
    sb.control.setFaults({ regionsDown: ['us-east-1'] });
    const r = await mr(['failover', 'eu-west-1', '--unplanned', '--yes']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /allow-data-loss/);
    const s = await state(['us-east-1']);
    assert.deepEqual(s['app-euw1'], { status: 'available', source: 'app-use1@us-east-1', replication: 'error' });
  });

  test('failback after an unplanned failover: a replica rebuilt in us-east-1, promoted with RPO 0, the old instance kept', async () => {
    sb.control.setFaults({ regionsDown: ['us-east-1'] });
    const down = await mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(down.code, 0, down.stderr + down.stdout);
    sb.control.clearFaults();
    const r = await mr(['run', 'failback', '--var', 'target=us-east-1', '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /app-use1 in us-east-1: standalone, available: left as it is/);
    const s = await state();
    assert.deepEqual(s['app-use1-r'], { status: 'available', source: null, replication: null });
    assert.deepEqual(s['app-use1'], { status: 'available', source: null, replication: null }, 'the old primary is kept, never deleted');
    assert.equal(s['ecs us-east-1'], '4/4');
    assert.equal(s['ecs eu-west-1'], '0/0', 'the eu-west-1 writers were fenced before the cut');
    assert.deepEqual(s.weights, { 'api.ap.example.com.': { use1: 100, euw1: 0 }, 'db.ap.example.com.': { use1: 100, euw1: 0 } });
    const rep = await report(r.stdout);
    assert.equal(rep.rpo?.boundMs, 0);
    assert.match(rep.rpo?.note ?? '', /planned cut/);
  });

  test('bad input: not a replica (target holds the primary) and a same-region create: one line, exit 3, nothing changed', async () => {
    const before = await state();
    const promote = await mr(['run', 'active-passive-failover', '--var', 'target=us-east-1', '--yes']);
    assert.equal(promote.code, 3, promote.stderr);
    assert.match(promote.stderr, /app-use1 in us-east-1: primary of 1 replica\(s\), available: not a read replica/);
    assert.doesNotMatch(promote.stderr, /\n\s+at /, 'no stack trace');
    const failback = await mr(['run', 'failback', '--var', 'target=us-east-1', '--yes']);
    assert.equal(failback.code, 3, failback.stderr);
    assert.deepEqual(await state(), before);
  });

  test('bad input: an unknown region exits 2 with one line', async () => {
    const r = await mr(['failover', 'ap-south-1', '--yes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown region "ap-south-1"/);
  });
});
