// What `mr status` loads from the bundle (issue 14, benchmark 2), as outcomes: an unchanged topology
// comes from the topology cache (src/config/cached.ts), so the YAML parser and zod are not loaded; an
// edited or tampered one is parsed and validated again; and the service clients in the bundle hold
// only the commands mr sends (scripts/bundle.mjs, used-sdk-exports).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { demoTopology, distRoot } from '../helpers/paths.js';
import { runMrRecordingModulesAsync } from '../helpers/loaded-modules.js';
import { withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const bundled = basename(distRoot) === 'dist' && !process.env.MR_BIN;
let sb: SandboxHandle;
let tmp: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'mr-status-loads-'));
  sb = await withSandbox();
});
after(async () => {
  await sb.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** What status concluded, and the parts of what it saw that do not move with the sandbox's clock. */
const observed = (stdout: string) => {
  const doc = JSON.parse(stdout) as Record<string, unknown> & { route53: { records: unknown } };
  return { keys: Object.keys(doc), ...pick(doc, ['topology', 'regions', 'healthy', 'findings', 'unreachable', 'ecs', 'lock']), records: doc.route53.records };
};
const pick = (o: Record<string, unknown>, keys: string[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k]]));

describe('mr status from the bundle', { skip: bundled ? false : 'a private build or MR_BIN runs the unbundled main' }, () => {
  const setup = (name: string) => {
    const dir = join(tmp, name);
    const topology = join(dir, 'topology.yaml');
    const cache = join(dir, 'cache');
    mkdirSync(dir, { recursive: true });
    copyFileSync(demoTopology, topology);
    return { dir, topology, cache };
  };
  const status = (dir: string, topology: string, cache: string, name: string) =>
    runMrRecordingModulesAsync(tmp, name, ['--config', topology, '--endpoint-url', sb.endpoint, '--state-dir', join(dir, 'state'), 'status', '--json'], {
      XDG_CACHE_HOME: cache,
    });
  const entries = (cache: string) =>
    existsSync(join(cache, 'mr')) ? readdirSync(join(cache, 'mr')).filter((n) => /^topology-[0-9a-f]{64}\.json$/.test(n)) : [];

  test('an unchanged topology comes from the cache: the second status loads no YAML parser and no zod, and reports the same', async () => {
    const { dir, topology, cache } = setup('unchanged');
    const cold = await status(dir, topology, cache, 'cold');
    assert.equal(cold.code, 0, cold.stderr);
    // Control: without an entry the file is parsed and validated.
    assert.ok(cold.packages.includes('yaml') && cold.packages.includes('zod'), cold.packages.join(', '));
    assert.equal(entries(cache).length, 1, 'one entry written');
    const warm = await status(dir, topology, cache, 'warm');
    assert.equal(warm.code, 0, warm.stderr);
    for (const pkg of ['yaml', 'zod']) assert.ok(!warm.packages.includes(pkg), `status loaded ${pkg}: ${warm.packages.join(', ')}`);
    for (const pkg of ['@aws-sdk/client-route-53', '@aws-sdk/client-rds', '@aws-sdk/client-ecs'])
      assert.ok(warm.packages.includes(pkg), warm.packages.join(', '));
    for (const pkg of ['@aws-sdk/client-iam', '@aws-sdk/client-ecr', '@aws-sdk/client-secrets-manager'])
      assert.ok(!warm.packages.includes(pkg), `status loaded ${pkg}`);
    assert.deepEqual(observed(warm.stdout), observed(cold.stdout));
    const doc = JSON.parse(warm.stdout) as { topology: string; healthy: boolean };
    assert.equal(doc.topology, 'demo');
    assert.equal(doc.healthy, true);
  });

  test('an edited topology is validated again: a problem added after it was cached is bad input (exit 2, one line)', async () => {
    const { dir, topology, cache } = setup('edited');
    assert.equal((await status(dir, topology, cache, 'edited-1')).code, 0);
    writeFileSync(topology, `${readFileSync(demoTopology, 'utf8')}\nbogusKey: 1\n`);
    const bad = await status(dir, topology, cache, 'edited-2');
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /bogusKey: unknown key/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
    assert.equal(bad.stdout, '');
    assert.ok(bad.packages.includes('zod'));
    assert.equal(entries(cache).length, 1, 'a topology with problems is not cached');
  });

  test('an entry that does not carry its own key is not trusted: the file is parsed again and the entry rewritten', async () => {
    const { dir, topology, cache } = setup('tampered');
    const first = await status(dir, topology, cache, 'tampered-1');
    assert.equal(first.code, 0, first.stderr);
    const [name] = entries(cache);
    const file = join(cache, 'mr', name);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { key: string; topology: { name: string } };
    writeFileSync(file, JSON.stringify({ key: 'not-this-one', topology: { ...entry.topology, name: 'tampered' } }));
    const again = await status(dir, topology, cache, 'tampered-2');
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { topology: string }).topology, 'demo');
    assert.ok(again.packages.includes('zod'), 'validated again');
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { key: string }).key, entry.key);
  });

  test('the bundled service clients hold the commands mr sends and not the rest of their service', () => {
    const meta = JSON.parse(readFileSync(join(distRoot, 'bundle.meta.json'), 'utf8')) as {
      outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
    };
    // What the output files hold (esbuild lists every file it read under `inputs`, dropped or not).
    const held = Object.values(meta.outputs).flatMap((o) =>
      Object.entries(o.inputs)
        .filter(([, i]) => i.bytesInOutput > 0)
        .map(([p]) => p),
    );
    const commands = (pkg: string) =>
      held.filter((p) => p.includes(`node_modules/@aws-sdk/${pkg}/dist-es/commands/`) && !p.endsWith('/index.js')).map((p) => basename(p, '.js'));
    const rds = commands('client-rds');
    assert.ok(rds.includes('DescribeDBClustersCommand') && rds.includes('FailoverGlobalClusterCommand'), rds.join(', '));
    // (CreateDBCluster is sent: the replica cluster of a return trip.)
    assert.ok(!rds.includes('CreateDBSnapshotCommand') && !rds.includes('DeleteDBClusterCommand'), rds.join(', '));
    // RDS has well over a hundred operations; mr sends a handful.
    assert.ok(rds.length < 20, `${rds.length} RDS commands bundled`);
    const r53 = commands('client-route-53');
    assert.ok(r53.includes('ChangeResourceRecordSetsCommand') && r53.includes('GetHealthCheckStatusCommand'), r53.join(', '));
    assert.ok(!r53.includes('CreateHostedZoneCommand') && !r53.includes('DeleteHostedZoneCommand'), r53.join(', '));
  });
});
