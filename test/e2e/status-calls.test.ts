// How many Route 53 calls `mr status` makes on the demo world, from the sandbox's call log (issue 14:
// 5 fit one window of the Route 53 pacer, a 6th waits ~1.1 s for the next). Once the zone's name is in
// the cache dir (after the first run), the run lock's TXT record shares the records' listing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLock } from '../../src/engine/lock.js';
import type { CallLogEntry } from '../../src/sandbox/server.js';
import { demoTopology } from '../helpers/paths.js';
import { freshCacheDir, runMr } from '../helpers/run-mr.js';
import { openWorld, type World } from './playbook-harness.js';

const ZONE = 'Z0MRDEMO0000001';
const sink = { intent: async () => {}, result: async () => {} };

const route53 = (calls: CallLogEntry[]) =>
  calls.filter((c) => c.service === 'route53').reduce<Record<string, number>>((m, c) => ((m[c.operation] = (m[c.operation] ?? 0) + 1), m), {});
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function holdLock(world: World, name: string, runId: string): Promise<void> {
  const value = encodeLock({
    runId,
    actor: 'ops@elsewhere',
    since: new Date().toISOString(),
    expires: new Date(Date.now() + 3_600_000).toISOString(),
    host: 'elsewhere',
    pid: 4242,
  });
  await world.aws
    .mutating(sink)
    .route53()
    .changeRecords(ZONE, [{ action: 'CREATE', record: { name, type: 'TXT', ttl: 60, values: [value] } }]);
}

interface StatusDoc {
  lock: { locked: boolean; holder?: { runId: string }; error?: string } | null;
}

describe('mr status on the demo world: Route 53 calls', () => {
  let world: World;
  before(async () => {
    world = await openWorld();
  });
  after(async () => {
    await world.close();
  });

  test('7 calls with a cold cache (the lock read after the records: GetHostedZone, its listing), then 5 with the warm one, the lock shown free both times', async () => {
    await world.reset();
    const runs: { counts: Record<string, number>; doc: StatusDoc }[] = [];
    for (let i = 0; i < 2; i++) {
      world.sandbox.control.clearCalls();
      const r = await world.mr(['status', '--json']);
      assert.equal(r.code, 0, r.stderr);
      runs.push({ counts: route53(world.sandbox.control.calls()), doc: JSON.parse(r.stdout) as StatusDoc });
    }
    const [cold, warm] = runs;
    assert.deepEqual(cold.counts, { GetHealthCheckStatus: 3, ListHealthChecks: 1, GetHostedZone: 1, ListResourceRecordSets: 2 });
    assert.deepEqual(warm.counts, { GetHealthCheckStatus: 3, ListHealthChecks: 1, ListResourceRecordSets: 1 });
    assert.equal(total(warm.counts), 5);
    for (const { doc } of runs) assert.deepEqual(doc.lock, { locked: false });
  });

  test('a held lock is read from the same listing and shown with its holder', async () => {
    await world.reset();
    const first = await world.mr(['status']);
    assert.equal(first.code, 0, first.stderr);
    await holdLock(world, '_mr-lock.demo.demo.example.com.', '20260101T000000Z-held01');
    world.sandbox.control.clearCalls();
    const r = await world.mr(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(route53(world.sandbox.control.calls()), { GetHealthCheckStatus: 3, ListHealthChecks: 1, ListResourceRecordSets: 1 });
    const doc = JSON.parse(r.stdout) as StatusDoc;
    assert.equal(doc.lock?.locked, true);
    assert.equal(doc.lock?.holder?.runId, '20260101T000000Z-held01');
    const text = await world.mr(['status']);
    assert.match(text.stdout, /^run lock: ops@elsewhere holds it for run 20260101T000000Z-held01 since /m);
  });

  test('a corrupt zone cache is ignored: the name is read again and the lock still shown', async () => {
    await world.reset();
    await mkdir(join(world.cacheDir, 'mr'), { recursive: true });
    await writeFile(join(world.cacheDir, 'mr', 'route53-zones.json'), '{"version":1,"zones":{"broken');
    await holdLock(world, '_mr-lock.demo.demo.example.com.', '20260101T000000Z-held02');
    world.sandbox.control.clearCalls();
    const r = await world.mr(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(route53(world.sandbox.control.calls()), { GetHealthCheckStatus: 3, ListHealthChecks: 1, GetHostedZone: 1, ListResourceRecordSets: 2 });
    assert.equal((JSON.parse(r.stdout) as StatusDoc).lock?.holder?.runId, '20260101T000000Z-held02');
    // ... and replaced by a good one: the next run asks for no name.
    const kept = JSON.parse(await readFile(join(world.cacheDir, 'mr', 'route53-zones.json'), 'utf8')) as { zones: Record<string, { name: string }> };
    assert.deepEqual(
      Object.values(kept.zones).map((z) => z.name),
      ['demo.example.com.'],
    );
  });
});

describe('a lock record that sorts far from the records', () => {
  let world: World;
  let configDir: string;
  let topology: string;
  before(async () => {
    // 20 filler records between the weighted records and www, and a topology named so that its lock
    // (_mr-lock.zeta.demo.example.com, "com.example.demo.zeta._mr-lock.") sorts after all of them.
    world = await openWorld({ worldOverrides: (w) => void (w.route53!.zones[0].fillerRecords = 20) });
    configDir = await mkdtemp(join(tmpdir(), 'mr-far-lock-'));
    topology = join(configDir, 'topology.yaml');
    await writeFile(topology, (await readFile(demoTopology, 'utf8')).replace(/^name: demo$/m, 'name: zeta'));
  });
  after(async () => {
    await world.close();
    await rm(configDir, { recursive: true, force: true });
  });
  const status = (cache: string) =>
    runMr(['--endpoint-url', world.sandbox.endpoint, '--config', topology, '--state-dir', world.stateDir, 'status', '--json'], {
      env: { XDG_CACHE_HOME: cache },
    });

  test('its own listing reads it, free and held', async () => {
    const cache = freshCacheDir();
    const free = await status(cache);
    assert.equal(free.code, 0, free.stderr);
    assert.deepEqual((JSON.parse(free.stdout) as StatusDoc).lock, { locked: false });
    await holdLock(world, '_mr-lock.zeta.demo.example.com.', '20260101T000000Z-far001');
    world.sandbox.control.clearCalls();
    const held = await status(cache);
    assert.equal(held.code, 0, held.stderr);
    assert.equal((JSON.parse(held.stdout) as StatusDoc).lock?.holder?.runId, '20260101T000000Z-far001');
    // The records' page does not reach the lock: a listing of its own, and no GetHostedZone (warm cache).
    assert.deepEqual(route53(world.sandbox.control.calls()), { GetHealthCheckStatus: 3, ListHealthChecks: 1, ListResourceRecordSets: 2 });
  });
});
