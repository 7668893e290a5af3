// `mr init`: discover the demo world and write a topology that validates and from which `mr status
// --json` gives the same document as the bundled demo topology; never overwrite without --force;
// without a terminal, several candidates are written commented out with why.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { openWorld, type World } from './playbook-harness.js';
import { runMr } from '../helpers/run-mr.js';
import { demoTopology, distRoot } from '../helpers/paths.js';
import type { WorldFile } from '../../src/sandbox/types.js';

const REGIONS = 'us-east-1,eu-west-1,us-west-2';

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'mr-init-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const mrAt = (w: World, dir: string, args: string[]) => runMr(['--endpoint-url', w.sandbox.endpoint, '--state-dir', w.stateDir, ...args], { cwd: dir });

async function statusDoc(w: World, dir: string, config: string): Promise<Record<string, unknown>> {
  const r = await mrAt(w, dir, ['--config', config, '--json', 'status']);
  assert.equal(r.code, 0, r.stderr);
  // The sandbox clock runs fast: the times of observations differ between two reads, nothing else may.
  return JSON.parse(r.stdout, (key, value: unknown) => (key === 'observedAt' || key === 'checkedTime' ? undefined : value)) as Record<string, unknown>;
}

describe('mr init', () => {
  test('on the demo world: a file that validates and gives the same mr status --json as the bundled topology; reads only', async () => {
    const w = await openWorld();
    try {
      await withDir(async (dir) => {
        const r = await mrAt(w, dir, ['init', '--regions', REGIONS]);
        assert.equal(r.code, 0, r.stderr);
        const file = join(dir, 'mr.config.yaml');
        const text = await readFile(file, 'utf8');
        assert.match(text, /^# mr topology, written by mr init/m);
        assert.match(text, /# db\.demo\.example\.com\. CNAME: failover routing/);
        const valid = await mrAt(w, dir, ['config', 'validate', file]);
        assert.equal(valid.code, 0, valid.stderr + valid.stdout);
        assert.deepEqual(await statusDoc(w, dir, file), await statusDoc(w, dir, demoTopology));
        assert.equal(w.sandbox.control.calls().filter((c) => c.mutating).length, 0);
        assert.equal(existsSync(join(w.stateDir, 'audit')), false, 'nothing changed, so nothing in the audit log');

        // Never overwrite without --force.
        await writeFile(file, 'mine\n');
        const again = await mrAt(w, dir, ['init', '--regions', REGIONS]);
        assert.equal(again.code, 2);
        assert.match(again.stderr, /mr\.config\.yaml exists; mr init does not overwrite it without --force/);
        assert.equal(await readFile(file, 'utf8'), 'mine\n');
        const forced = await mrAt(w, dir, ['init', '--regions', REGIONS, '--force']);
        assert.equal(forced.code, 0, forced.stderr);
        const undated = (t: string) => t.replace(/^(# mr topology, written by mr init from the account on ).*$/m, '$1<date>');
        assert.equal(undated(await readFile(file, 'utf8')), undated(text));
      });
    } finally {
      await w.close();
    }
  });

  for (const [name, regions] of [
    ['latency', 'us-east-1,eu-west-1,ap-southeast-1'],
    ['active-passive', 'us-east-1,eu-west-1'],
  ] as const) {
    test(`on the ${name} world: latency/failover records, their checks, the names that follow the data, RDS replicas; same mr status --json as the bundled topology`, async () => {
      const dir0 = join(distRoot, 'src/sandbox/worlds', name);
      const w = await openWorld({ world: join(dir0, 'world.yaml') });
      try {
        await withDir(async (dir) => {
          const r = await mrAt(w, dir, ['init', '--regions', regions, '--out', 't.yaml']);
          assert.equal(r.code, 0, r.stderr);
          const file = join(dir, 't.yaml');
          const valid = await mrAt(w, dir, ['config', 'validate', file]);
          assert.equal(valid.code, 0, valid.stderr + valid.stdout);
          const doc = parse(await readFile(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
          const bundled = parse(await readFile(join(dir0, 'topology.yaml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
          // What init can read from the account is what the bundled topology says.
          assert.deepEqual(
            doc.route53.records,
            bundled.route53.records.map((x: Record<string, unknown>) => ({ ...x })),
          );
          assert.deepEqual(doc.route53.healthChecks, bundled.route53.healthChecks);
          assert.deepEqual(doc.route53.controlHealthChecks, bundled.route53.controlHealthChecks);
          const sortNames = (n: { name: string }[]) => [...n].sort((a, b) => a.name.localeCompare(b.name));
          assert.deepEqual(sortNames(doc.route53.names), sortNames(bundled.route53.names));
          assert.deepEqual(await statusDoc(w, dir, file), await statusDoc(w, dir, join(dir0, 'topology.yaml')));
          assert.equal(w.sandbox.control.calls().filter((c) => c.mutating).length, 0);
          assert.equal(existsSync(join(w.stateDir, 'audit')), false, 'nothing changed, so nothing in the audit log');
          if (name !== 'latency') return;
          // Two of the three regions: the latency records also route to the third, so they are left
          // commented out with why, and the file still validates.
          const two = await mrAt(w, dir, ['init', '--regions', 'us-east-1,eu-west-1', '--out', 'two.yaml']);
          assert.equal(two.code, 0, two.stderr);
          const text = await readFile(join(dir, 'two.yaml'), 'utf8');
          assert.match(
            text,
            /# api\.latency\.example\.com\. A: latency routing, but it also routes to ap-southeast-1, which --regions leaves out:\n {2}# - \{ kind: latency/,
          );
          assert.equal((parse(text) as Record<string, unknown>).route53, undefined);
          const ok = await mrAt(w, dir, ['config', 'validate', 'two.yaml']);
          assert.equal(ok.code, 0, ok.stderr + ok.stdout);
        });
      } finally {
        await w.close();
      }
    });
  }

  test('several candidates and no terminal: each written commented out with why; the file still validates', async () => {
    const more = (x: WorldFile) => {
      const raw = x as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      raw.route53.zones.push({ id: 'Z0MRDEMO0000002', name: 'other.example.com.', records: [] });
      raw.aurora.globalClusters.push({
        id: 'other-global',
        engine: 'aurora-mysql',
        engineVersion: '8.0.mysql_aurora.3.05.2',
        members: [
          { region: 'us-east-1', clusterId: 'other-use1', writer: true },
          { region: 'eu-west-1', clusterId: 'other-euw1' },
        ],
      });
    };
    const w = await openWorld({ worldOverrides: more });
    try {
      await withDir(async (dir) => {
        const r = await mrAt(w, dir, ['init', '--regions', 'us-east-1,eu-west-1', '--out', 't.yaml']);
        assert.equal(r.code, 0, r.stderr);
        const text = await readFile(join(dir, 't.yaml'), 'utf8');
        assert.match(
          text,
          /# route53: several hosted zones and no terminal to ask which; run mr init --zone <name>, or uncomment one:\n#   hostedZoneId: Z0MRDEMO0000001   # demo\.example\.com\.\n#   hostedZoneId: Z0MRDEMO0000002   # other\.example\.com\./,
        );
        assert.match(text, /# aurora: several global databases and no terminal to ask which; uncomment one:\n# aurora:\n#   globalClusterId: demo-global/);
        assert.match(text, /#   globalClusterId: other-global/);
        const doc = parse(text) as Record<string, unknown>;
        assert.equal(doc.route53, undefined);
        assert.equal(doc.aurora, undefined);
        assert.ok(doc.elasticache, 'the one datastore is written');
        const valid = await mrAt(w, dir, ['config', 'validate', 't.yaml']);
        assert.equal(valid.code, 0, valid.stderr + valid.stdout);

        // --zone picks one.
        const zoned = await mrAt(w, dir, ['init', '--regions', 'us-east-1,eu-west-1', '--out', 'z.yaml', '--zone', 'demo.example.com']);
        assert.equal(zoned.code, 0, zoned.stderr);
        assert.equal((parse(await readFile(join(dir, 'z.yaml'), 'utf8')) as { route53: { hostedZoneId: string } }).route53.hostedZoneId, 'Z0MRDEMO0000001');
      });
    } finally {
      await w.close();
    }
  });

  test('bad input: no --regions, a bad region, an unknown zone: exit 2, one line', async () => {
    const w = await openWorld();
    try {
      await withDir(async (dir) => {
        for (const [args, message] of [
          [['init'], /mr init needs --regions/],
          [['init', '--regions', 'us-east-1,moon'], /"moon" is not a region name/],
          [['init', '--regions', 'us-east-1', '--zone', 'nope.example.com'], /--zone nope\.example\.com: no such hosted zone/],
        ] as const) {
          const r = await mrAt(w, dir, [...args]);
          assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
          assert.match(r.stderr, message);
          assert.doesNotMatch(r.stderr, /\n\s+at /);
        }
        assert.equal(existsSync(join(dir, 'mr.config.yaml')), false);
      });
    } finally {
      await w.close();
    }
  });
});
