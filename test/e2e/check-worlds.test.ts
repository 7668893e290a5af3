// `mr check` on every bundled world: each is ready (exit 0); the gaps of the kinds the latency and
// active-passive worlds add (an RDS replica not replicating or lagging over the bound, a control check
// missing or detached from its calculated parent, a scalable target whose maximum is below the
// capacity) each make it exit 1 with lines naming them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/server.js';
import type { WorldFile } from '../../src/sandbox/types.js';
import { distRoot } from '../helpers/paths.js';
import { runMr, type MrResult } from '../helpers/run-mr.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function inBundled(name: string, override: ((w: Raw) => void) | undefined, fn: (mr: (args: string[]) => Promise<MrResult>) => Promise<void>) {
  const dir = join(distRoot, 'src/sandbox/worlds', name);
  const sandbox = await startSandbox({
    world: join(dir, 'world.yaml'),
    timeScale: 200,
    port: 0,
    ...(override ? { worldOverrides: (x: WorldFile) => override(x as Raw) } : {}),
  });
  const home = await mkdtemp(join(tmpdir(), `mr-check-${name}-`));
  try {
    const topology = join(home, 'topology.yaml');
    await writeFile(topology, await readFile(join(dir, 'topology.yaml'), 'utf8'));
    await fn((args) => runMr(['--endpoint-url', sandbox.endpoint, '--config', topology, '--state-dir', join(home, 'state'), ...args]));
    assert.equal(sandbox.control.calls().filter((c) => c.mutating).length, 0, 'mr check changes nothing');
  } finally {
    await sandbox.stop();
    await rm(home, { recursive: true, force: true });
  }
}

const findingLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^\s+[✗?] /.test(l))
    .map((l) => l.trim());

describe('mr check on every bundled world', () => {
  for (const [name, regions] of [
    ['demo', ['us-east-1', 'eu-west-1', 'us-west-2']],
    ['latency', ['us-east-1', 'eu-west-1', 'ap-southeast-1']],
    ['active-passive', ['us-east-1', 'eu-west-1']],
  ] as const) {
    test(`${name}: ready for a failover to every region (exit 0)`, async () => {
      await inBundled(name, undefined, async (mr) => {
        const r = await mr(['check']);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        for (const region of regions) assert.match(r.stdout, new RegExp(`✓ ${region}: ready for a failover`));
        assert.deepEqual(findingLines(r.stdout), []);
      });
    });
  }

  test('active-passive: the replica not replicating, then lagging over the bound: exit 1, one line naming it', async () => {
    const stopped = (w: Raw) => void (w.rds.instances.find((i: Raw) => i.id === 'ap-db-euw1').replication = { status: 'stopped' });
    await inBundled('active-passive', stopped, async (mr) => {
      const r = await mr(['check', 'eu-west-1']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.deepEqual(findingLines(r.stdout), [
        '✗ eu-west-1: rds instance ap-db-euw1 (eu-west-1): is a replica of ap-db-use1 that is stopped, not replicating; fix: restore replication from ap-db-use1, or rebuild the replica (mr run failback --var target=eu-west-1)',
      ]);
      // A failover to us-east-1 (the primary) does not depend on it.
      assert.equal((await mr(['check', 'us-east-1'])).code, 0);
    });
    const lagging = (w: Raw) => void (w.rds.instances.find((i: Raw) => i.id === 'ap-db-euw1').lagMs = 120_000);
    await inBundled('active-passive', lagging, async (mr) => {
      const r = await mr(['check', 'eu-west-1']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const lines = findingLines(r.stdout);
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, /^✗ eu-west-1: rds instance ap-db-euw1 \(eu-west-1\): lags \d+ ms behind ap-db-use1, over the bound of 60000 ms; fix: /);
    });
  });

  test('active-passive: a scalable target whose maximum is below the capacity: exit 1, one line naming it', async () => {
    const low = (w: Raw) => void (w['application-autoscaling'].scalableTargets.find((t: Raw) => t.resourceId === 'service/ap-euw1/api').max = 3);
    await inBundled('active-passive', low, async (mr) => {
      const r = await mr(['check', 'eu-west-1']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.deepEqual(findingLines(r.stdout), [
        '✗ eu-west-1: scalable target service/ap-euw1/api (eu-west-1): has MaxCapacity 3, below the capacity 6 a failover to eu-west-1 needs; fix: raise its maximum to at least 6 (aws application-autoscaling register-scalable-target)',
      ]);
    });
  });

  test('latency: a control check detached from its calculated parent, and one missing: exit 1, lines naming them', async () => {
    const parent = (w: Raw, id: string) => w.route53.healthChecks.find((h: Raw) => h.id === id);
    const detached = (w: Raw) => void (parent(w, '7a7e0000-0000-4000-8000-0000000c0002').childHealthChecks = ['7a7e0000-0000-4000-8000-0000000a0002']);
    await inBundled('latency', detached, async (mr) => {
      const r = await mr(['check', 'us-east-1']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const why =
        'its health check 7a7e0000-0000-4000-8000-0000000c0002 is not a CALCULATED parent of control check 7a7e0000-0000-4000-8000-0000000b0002, so inverting the control check does not drain eu-west-1; fix: attach a CALCULATED check over 7a7e0000-0000-4000-8000-0000000a0002 and 7a7e0000-0000-4000-8000-0000000b0002 to the record';
      assert.deepEqual(findingLines(r.stdout), [
        `✗ us-east-1: record api.latency.example.com. A api-euw1 (eu-west-1): ${why}`,
        `✗ us-east-1: record app.latency.example.com. CNAME app-euw1 (eu-west-1): ${why}`,
      ]);
    });
    const missing = (w: Raw) => {
      w.route53.healthChecks = w.route53.healthChecks.filter((h: Raw) => h.id !== '7a7e0000-0000-4000-8000-0000000b0003');
      parent(w, '7a7e0000-0000-4000-8000-0000000c0003').childHealthChecks = ['7a7e0000-0000-4000-8000-0000000a0003'];
    };
    await inBundled('latency', missing, async (mr) => {
      const r = await mr(['check', 'eu-west-1']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const lines = findingLines(r.stdout);
      assert.ok(
        lines.includes(
          '✗ eu-west-1: control check 7a7e0000-0000-4000-8000-0000000b0003 (ap-southeast-1): does not exist; fix: create it, or fix route53.controlHealthChecks.ap-southeast-1',
        ),
        lines.join('\n'),
      );
      const records = lines.filter((l) => l.includes(': record '));
      assert.deepEqual(
        records.map((l) => /record (\S+ \S+ \S+ \([^)]+\))/.exec(l)?.[1]),
        ['api.latency.example.com. A api-apse1 (ap-southeast-1)', 'app.latency.example.com. CNAME app-apse1 (ap-southeast-1)'],
      );
    });
  });
});
