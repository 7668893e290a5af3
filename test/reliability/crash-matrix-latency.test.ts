// Crash matrix over the latency world's planned failover (issue 12): `mr failover eu-west-1` killed with
// SIGKILL at a subset of its boundaries, then `mr resume <run-id>`. The subset (kept small for runtime,
// about 30 s a point): the first change of each step that changes something (switch-db, promote-cache,
// point-data, drain-others; scale-target is a no-op here, every region already runs its capacity), and
// the start of point-data (the boundary between the data and the DNS steps). The whole set (also the lock
// taken, every step start and drain-others' success) passed once when this was written, in 6 minutes.
// Every time: Aurora and the datastore primary in eu-west-1, the db/cache CNAMEs pointed, the other
// regions' control checks inverted and TestDNSAnswer answering eu-west-1 to a client near us-east-1, the
// audit log verifying, the lock free, and no mutation accepted twice on the wire.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import type { AuditEvent } from '../../src/audit/types.js';
import type { Aws } from '../../src/aws/types.js';
import { readFile } from 'node:fs/promises';
import { distRoot } from '../helpers/paths.js';
import { acceptedMutations, repeatedMutations } from './lib/wire.js';
import { openWorld, type RWorld } from './lib/world.js';

const LATENCY = join(distRoot, 'src/sandbox/worlds/latency');
const FAILOVER = ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'];
const ZONE = 'Z0MRLATENCY00001';
const MUTATING_STEPS = ['switch-db', 'promote-cache', 'point-data', 'drain-others'];

/** The latency topology's audit log (the harness's reader knows only the demo's file name). */
async function auditEvents(stateDir: string): Promise<AuditEvent[]> {
  const text = await readFile(join(stateDir, 'audit', 'latency.ndjson'), 'utf8').catch(() => '');
  // A line being written as we read is left for the next read.
  return text.split('\n').flatMap((l) => {
    try {
      return l ? [JSON.parse(l) as AuditEvent] : [];
    } catch {
      return [];
    }
  });
}

async function waitForEvent(stateDir: string, pick: (events: AuditEvent[]) => AuditEvent | undefined, done: Promise<unknown>): Promise<AuditEvent> {
  let finished = false;
  void done.then(() => (finished = true));
  for (;;) {
    const hit = pick(await auditEvents(stateDir));
    if (hit) return hit;
    if (finished) throw new Error('mr exited before the awaited audit event');
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface KillPoint {
  label: string;
  type: string;
  step?: string;
}

function killPoints(events: AuditEvent[]): KillPoint[] {
  const points: KillPoint[] = [];
  for (const step of MUTATING_STEPS)
    if (events.some((e) => e.type === 'intent' && e.data?.step === step)) points.push({ label: `first change of ${step}`, type: 'intent', step });
  points.push({ label: 'step.started point-data', type: 'step.started', step: 'point-data' });
  return points;
}

const matches = (p: KillPoint) => (events: AuditEvent[]) => events.find((e) => e.type === p.type && (p.step === undefined || e.data?.step === p.step));

async function endState(aws: Aws) {
  const gc = await aws.rds('eu-west-1').readGlobalCluster('lat-global');
  const ds = await aws.elasticache('eu-west-1').readGlobalDatastore('ldgnf-lat-sessions');
  const r53 = aws.route53();
  const inverted: Record<string, boolean> = {};
  for (const [region, id] of Object.entries({
    'us-east-1': '7a7e0000-0000-4000-8000-0000000b0001',
    'eu-west-1': '7a7e0000-0000-4000-8000-0000000b0002',
    'ap-southeast-1': '7a7e0000-0000-4000-8000-0000000b0003',
  }))
    inverted[region] = (await r53.getHealthCheck(id)).config.inverted;
  return {
    writer: gc.members.find((m) => m.isWriter)?.region,
    cachePrimary: ds.members.find((m) => m.role === 'PRIMARY')?.region,
    nearUse1: (await r53.testDnsAnswer(ZONE, 'api.latency.example.com', 'A', { clientSubnet: '192.0.2.44' })).data,
    db: (await r53.testDnsAnswer(ZONE, 'db.latency.example.com', 'CNAME')).data,
    inverted,
  };
}

const FAILED_OVER = {
  writer: 'eu-west-1',
  cachePrimary: 'eu-west-1',
  nearUse1: ['198.51.100.10'],
  db: ['lat-euw1.cluster-c0ffee.eu-west-1.rds.amazonaws.com'],
  inverted: { 'us-east-1': true, 'eu-west-1': false, 'ap-southeast-1': true },
};

describe('crash matrix over the latency world: SIGKILL at the boundaries of the planned failover, then resume', () => {
  let world: RWorld;
  let points: KillPoint[] = [];

  before(async () => {
    // 50 ms on every call: the work after a boundary takes long enough for the kill to land before it.
    world = await openWorld({
      world: join(LATENCY, 'world.yaml'),
      topology: join(LATENCY, 'topology.yaml'),
      worldOverrides: (w) => void (w.faults.latencyMs = 50),
    });
    const ref = await world.mr(FAILOVER);
    assert.equal(ref.code, 0, ref.stderr);
    assert.deepEqual(await endState(world.aws), FAILED_OVER, 'the uninterrupted failover');
    points = killPoints(await auditEvents(world.stateDir));
  });

  after(async () => {
    await world.close();
    assert.deepEqual(world.leaks, [], 'a credential reached an output or a file');
  });

  test('the kill points cover a change of every mutating step', () => {
    const labels = points.map((p) => p.label);
    for (const step of MUTATING_STEPS) assert.ok(labels.includes(`first change of ${step}`), `no change of ${step} in ${labels.join(', ')}`);
  });

  test('each kill point: resume finishes the failover without repeating a change', async () => {
    const problems: string[] = [];
    for (const point of points) {
      await world.reset();
      const run = world.start(FAILOVER);
      const hit = await waitForEvent(world.stateDir, matches(point), run.done);
      run.child.kill('SIGKILL');
      const killed = await run.done;
      const where = `killed at ${point.label}`;
      if (killed.signal !== 'SIGKILL') {
        problems.push(`${where}: the run ended by itself (exit ${killed.code}) before the kill`);
        continue;
      }
      const resumed = await world.mr(['resume', hit.runId, '--yes']);
      if (resumed.code !== 0) {
        problems.push(`${where}: resume exited ${resumed.code}: ${resumed.stderr.trim().split('\n').slice(-3).join(' / ')}`);
        continue;
      }
      const got = await endState(world.aws);
      if (!isDeepStrictEqual(got, FAILED_OVER)) problems.push(`${where}: ended in ${JSON.stringify(got)}`);
      const repeated = repeatedMutations(acceptedMutations(world.sandbox, world.recorder));
      if (repeated.length > 0) problems.push(`${where}: mutations accepted twice:\n    ${repeated.join('\n    ')}`);
      const verify = await world.mr(['audit', 'verify']);
      if (verify.code !== 0) problems.push(`${where}: audit verify exited ${verify.code}: ${verify.stdout}${verify.stderr}`);
      const lock = await world.mr(['lock', 'status']);
      if (!/not locked/.test(lock.stdout)) problems.push(`${where}: the lock is still held: ${lock.stdout}`);
    }
    assert.equal(problems.join('\n'), '');
  });
});
