import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTopology } from '../helpers/paths.js';
import { withSandbox, type SandboxHandle } from '../helpers/sandbox.js';
import { runMr, startMr, waitForOutput } from '../helpers/run-mr.js';

// The sandbox's own state, as the simulated world holds it: what `mr status` must show.
interface SnapRoute53 {
  zones: { records: { name: string; type: string; setIdentifier?: string; weight?: number }[] }[];
}
interface SnapAurora {
  globalClusters: { id: string; writer: string; members: { region: string; clusterId: string; lagMs: number }[] }[];
}
interface SnapCache {
  globalDatastores: { primary: string; members: { region: string; replicationGroupId: string }[] }[];
}
interface SnapEcs {
  clusters: { region: string; name: string; services: { name: string; desired: number }[] }[];
}

const ANSI = /\x1b\[/;
let sb: SandboxHandle;
let tmp: string;
const mr = (args: string[], opts: Parameters<typeof runMr>[1] = {}) =>
  runMr(['--endpoint-url', sb.endpoint, '--config', demoTopology, '--state-dir', tmp, ...args], opts);
/** The table row labelled `label` (the column titles for ''), split into its columns. */
const row = (text: string, label: string) => {
  const lines = text.split('\n');
  const line = label === '' ? lines[lines.indexOf('') + 1] : lines.find((l) => l.trimStart().startsWith(`${label}  `));
  assert.ok(line, `a row "${label}" in:\n${text}`);
  return line
    .trim()
    .slice(label.length)
    .trim()
    .split(/\s{2,}/);
};

before(async () => {
  sb = await withSandbox();
  tmp = mkdtempSync(join(tmpdir(), 'mr-status-'));
});
after(async () => {
  await sb.stop();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => sb.control.reset());

describe('mr status against the sandbox', () => {
  test('a healthy world: exit 0, and every value on screen and in --json is the sandbox state', async () => {
    const snap = sb.control.snapshot().services;
    const r53 = snap.route53 as SnapRoute53;
    const aurora = (snap.aurora as SnapAurora).globalClusters[0];
    const cache = (snap.elasticache as SnapCache).globalDatastores[0];
    const ecs = (snap.ecs as SnapEcs).clusters;
    const regions = ['us-east-1', 'eu-west-1', 'us-west-2'];
    const sid: Record<string, string> = { 'us-east-1': 'use1', 'eu-west-1': 'euw1', 'us-west-2': 'usw2' };
    const weight = (name: string, type: string, r: string) =>
      r53.zones[0].records.find((x) => x.name === name && x.type === type && x.setIdentifier === sid[r])!.weight;
    const writerRegion = aurora.members.find((m) => m.clusterId === aurora.writer)!.region;
    const primaryRegion = cache.members.find((m) => m.replicationGroupId === cache.primary)!.region;
    const desired = (r: string, svc: string) => ecs.find((c) => c.region === r)!.services.find((s) => s.name === svc)!.desired;

    const text = await mr(['status']);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stderr, '');
    assert.doesNotMatch(text.stdout, ANSI);
    assert.deepEqual(row(text.stdout, ''), regions);
    for (const [name, type] of [
      ['api.demo.example.com.', 'A'],
      ['app.demo.example.com.', 'CNAME'],
    ]) {
      assert.deepEqual(
        row(text.stdout, `${name} ${type}`),
        regions.map((r) => String(weight(name, type, r))),
      );
    }
    assert.deepEqual(
      row(text.stdout, 'health check'),
      regions.map(() => 'healthy 8/8'),
    );
    assert.deepEqual(
      row(text.stdout, 'role').slice(0, 3),
      regions.map((r) => (r === writerRegion ? 'writer' : 'reader')),
    );
    assert.deepEqual(
      row(text.stdout, 'lag'),
      regions.map((r) => (r === writerRegion ? '-' : `${aurora.members.find((m) => m.region === r)!.lagMs} ms`)),
    );
    assert.deepEqual(
      row(text.stdout, 'api'),
      regions.map((r) => `${desired(r, 'api')}/${desired(r, 'api')}/0`),
    );
    assert.deepEqual(
      row(text.stdout, 'worker'),
      regions.map((r) => `${desired(r, 'worker')}/${desired(r, 'worker')}/0`),
    );
    assert.match(text.stdout, /No findings: every region is healthy\./);

    const json = await mr(['status', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.version, 1);
    assert.equal(doc.healthy, true);
    assert.deepEqual(doc.findings, []);
    assert.deepEqual(doc.unreachable, {});
    for (const rec of doc.route53.records) {
      for (const set of rec.value.sets) assert.equal(set.weight, weight(rec.value.name, rec.value.type, set.region), `${rec.value.name} ${set.region}`);
    }
    for (const r of regions) {
      const hc = doc.route53.healthChecks[r].value;
      assert.equal(hc.healthy, true);
      assert.equal(hc.healthyCheckers, hc.checkers.length);
      const member = doc.aurora.global.value.members.find((m: { region: string }) => m.region === r);
      assert.equal(member.isWriter, r === writerRegion);
      assert.equal(member.clusterId, aurora.members.find((m) => m.region === r)!.clusterId);
      if (r !== writerRegion) assert.equal(doc.aurora.lagMs[r].value, aurora.members.find((m) => m.region === r)!.lagMs);
      const dsm = doc.elasticache.datastore.value.members.find((m: { region: string }) => m.region === r);
      assert.equal(dsm.role, r === primaryRegion ? 'PRIMARY' : 'SECONDARY');
      for (const svc of doc.ecs[r].value.services) {
        assert.equal(svc.desired, desired(r, svc.name));
        assert.equal(svc.running, svc.desired);
      }
    }
  });

  test('a region down: shown unreachable with the reason, exit 1, the other regions intact', async () => {
    sb.control.setFaults({ regionsDown: ['us-west-2'] });
    const res = await mr(['status', '--timeout', '2s']);
    assert.equal(res.code, 1, res.stderr);
    assert.deepEqual(row(res.stdout, 'endpoints'), ['ok', 'ok', 'UNREACHABLE']);
    assert.deepEqual(row(res.stdout, 'api'), ['6/6/0', '2/2/0', 'unreachable']);
    // The global cluster, read in a live region, still lists us-west-2 as a member; its own cluster cannot be read.
    assert.deepEqual(row(res.stdout, 'role').slice(0, 3), ['writer', 'reader', 'reader']);
    assert.deepEqual(row(res.stdout, 'cluster'), ['available', 'available', 'unreachable']);
    assert.match(res.stdout, /critical {2}us-west-2: unreachable: \w+: /);

    const doc = JSON.parse((await mr(['status', '--json'])).stdout);
    assert.deepEqual(Object.keys(doc.unreachable), ['us-west-2']);
    assert.equal(doc.ecs['us-west-2'].ok, false);
    assert.equal(doc.ecs['us-west-2'].unreachable, true);
    assert.equal(doc.ecs['us-east-1'].value.services[0].running, 6);
    assert.equal(doc.aurora.global.value.readIn, 'us-east-1');
    assert.equal(doc.findings[0].severity, 'critical');
    assert.equal(doc.findings[0].region, 'us-west-2');
  });

  test('endpoints that do not answer are cut off at the bound (--timeout); the other services still show', async () => {
    sb.control.setFaults({ latency: { DescribeServices: 5_000 } });
    const res = await mr(['status', '--json', '--timeout', '500ms']);
    assert.equal(res.code, 1, res.stderr);
    const doc = JSON.parse(res.stdout);
    for (const r of doc.regions) {
      assert.equal(doc.ecs[r].ok, false);
      assert.equal(doc.ecs[r].unreachable, true);
      assert.match(doc.unreachable[r], /^ecs: .*(no answer within 500ms|Timeout)/i);
      assert.equal(doc.aurora.clusters[r].value.status, 'available');
    }
    assert.equal(doc.route53.records[0].ok, true);
  });

  test('an unhealthy application and a lagging secondary: the findings name them', async () => {
    await withSandbox(
      {
        worldOverrides: (w) => {
          const members = (w.aurora as { globalClusters: { members: { region: string; lagMs?: number }[] }[] }).globalClusters[0].members;
          members.find((m) => m.region === 'us-west-2')!.lagMs = 2400;
        },
      },
      async (lagging) => {
        lagging.control.setFaults({ unhealthyApps: ['eu-west-1'] });
        lagging.control.advance(120_000); // past the health checkers' failure threshold
        const res = await runMr(['--endpoint-url', lagging.endpoint, '--config', demoTopology, 'status']);
        assert.equal(res.code, 1, res.stderr);
        const doc = JSON.parse((await runMr(['--endpoint-url', lagging.endpoint, '--config', demoTopology, 'status', '--json'])).stdout);
        const hc = doc.route53.healthChecks['eu-west-1'].value;
        assert.equal(hc.healthy, false);
        const n = `${hc.healthyCheckers}/${hc.checkers.length}`;
        assert.match(res.stdout, new RegExp(`warning {3}eu-west-1: health check failing, ${n} checkers healthy: Failure: [^\\n]+\\.\\n`));
        assert.match(res.stdout, /warning {3}us-west-2: aurora replication lag 2400 ms is above the bound 1000 ms/);
        assert.deepEqual(row(res.stdout, 'health check'), ['healthy 8/8', `FAILING ${n}`, 'healthy 8/8']);
      },
    );
  });

  test('a bad topology file: exit 2, one line naming the file, line and path, no stack trace', async () => {
    const bad = join(tmp, 'bad.yaml');
    const text = readFileSync(demoTopology, 'utf8').replace(', us-west-2: demo-usw2 }', ' }');
    writeFileSync(bad, text);
    const line = text.split('\n').findIndex((l) => l.includes('clusters: { us-east-1: demo-use1, eu-west-1: demo-euw1 }')) + 1;
    const res = await runMr(['--config', bad, 'status']);
    assert.equal(res.code, 2);
    assert.equal(res.stdout, '');
    assert.equal(res.stderr, `error: ${bad}:${line}: aurora.clusters: missing an entry for region "us-west-2"\n`);

    const missing = await runMr(['status'], { cwd: tmp });
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^error: cannot read topology file mr\.config\.yaml \(.*mr\.config\.yaml\): no such file\n {2}pass --config <file> or set MR_CONFIG/,
    );
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
  });

  test('colour on a terminal; NO_COLOR, --no-color and pipes have none; FORCE_COLOR forces it', async () => {
    const tty = await mr(['status'], { tty: true, columns: 120 });
    assert.equal(tty.code, 0, tty.stdout);
    assert.match(tty.stdout, /\x1b\[[0-9;]*m/);
    assert.match(tty.stdout, /api\.demo\.example\.com\. A/);
    const noColor = await mr(['status'], { tty: true, env: { NO_COLOR: '1' }, columns: 120 });
    assert.equal(noColor.code, 0, noColor.stdout);
    // The spinner still moves the cursor; no colour (SGR "m") sequence remains.
    assert.doesNotMatch(noColor.stdout, /\x1b\[[0-9;]*m/);
    assert.match(noColor.stdout, /healthy 8\/8/);
    const forced = await mr(['status'], { env: { FORCE_COLOR: '1' } });
    assert.match(forced.stdout, ANSI);
    const flag = await mr(['status', '--no-color'], { env: { FORCE_COLOR: '1' } });
    assert.equal(flag.code, 0);
    assert.doesNotMatch(flag.stdout + flag.stderr, ANSI);
  });

  test('--watch prints successive snapshots on a pipe and Ctrl-C ends it cleanly: exit 0, no "interrupted"', async () => {
    const run = startMr(['--endpoint-url', sb.endpoint, '--config', demoTopology, 'status', '--watch', '0.05']);
    await waitForOutput(run, (out) => out.split('No findings').length > 2);
    run.child.kill('SIGINT');
    const res = await run.done;
    assert.equal(res.code, 0, res.stderr);
    assert.doesNotMatch(res.stderr, /interrupt/);
    assert.doesNotMatch(res.stdout, /\x1b\[2J/);
    assert.ok(res.stdout.split('demo  ').length > 2, 'at least two snapshots');
  });

  test('--watch redraws in place on a terminal', async () => {
    const run = startMr(['--endpoint-url', sb.endpoint, '--config', demoTopology, 'status', '--watch', '0.05'], { tty: true, env: { NO_COLOR: '1' } });
    await waitForOutput(run, (out) => out.split('\x1b[H\x1b[2J').length > 2);
    run.child.kill('SIGINT');
    await run.done;
    assert.ok(run.output().split('\x1b[H\x1b[2J').length > 2);
  });

  test('--sandbox needs no config file: the bundled demo world, state kept under --state-dir', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mr-empty-'));
    try {
      const res = await runMr(['--sandbox', '--state-dir', join(empty, 'state'), 'status', '--json'], { cwd: empty });
      assert.equal(res.code, 0, res.stderr);
      const doc = JSON.parse(res.stdout);
      assert.equal(doc.topology, 'demo');
      assert.equal(doc.healthy, true);
      assert.ok(existsSync(join(empty, 'state', 'sandbox', 'state.json')));
      const again = await runMr(['--sandbox', '--state-dir', join(empty, 'state'), 'status'], { cwd: empty });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /^demo {2}/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
