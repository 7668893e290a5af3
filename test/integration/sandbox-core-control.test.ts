// Controlling a sandbox: the /_sandbox/ endpoint over HTTP and its client, world file validation,
// and the `mr sandbox serve` / `mr sandbox reset` handlers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { SandboxControlClient, SandboxControlError } from '../../src/sandbox/control-client.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Faults, SandboxSnapshot } from '../../src/sandbox/types.js';
import { reset as resetCommand, serve as serveCommand } from '../../src/cli/commands/sandbox.js';
import type { CommandContext } from '../../src/cli/types.js';
import { demoWorld } from '../helpers/paths.js';
import { recordingIo } from '../helpers/recording-io.js';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'mr-sandbox-control-'));

async function json<T>(res: Response, status = 200): Promise<T> {
  assert.equal(res.status, status);
  assert.equal(res.headers.get('content-type'), 'application/json');
  return (await res.json()) as T;
}

describe('sandbox control endpoint', () => {
  let sb: SandboxHandle;
  const url = (route: string) => `${sb.endpoint}/_sandbox/${route}`;

  before(async () => {
    sb = await withSandbox({ timeScale: 1 });
  });
  after(async () => {
    await sb.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('faults: PATCH merges and records since-when, GET reads, DELETE clears', async () => {
    const before = (await json<{ now: number }>(await fetch(url('now')))).now;
    const patched = await json<Faults>(
      await fetch(url('faults'), { method: 'PATCH', body: JSON.stringify({ regionsDown: ['eu-west-1'], latency: { GetChange: 5 } }) }),
    );
    assert.deepEqual(patched.regionsDown, ['eu-west-1']);
    assert.ok(patched.since.regionsDown['eu-west-1']! >= before);
    const merged = await json<Faults>(await fetch(url('faults'), { method: 'PATCH', body: JSON.stringify({ unhealthyApps: ['us-west-2'] }) }));
    assert.deepEqual([merged.regionsDown, merged.unhealthyApps, merged.latency], [['eu-west-1'], ['us-west-2'], { GetChange: 5 }]);
    assert.equal(merged.since.regionsDown['eu-west-1'], patched.since.regionsDown['eu-west-1']);
    assert.deepEqual(await json<Faults>(await fetch(url('faults'))), merged);
    const cleared = await json<Faults>(await fetch(url('faults'), { method: 'DELETE' }));
    assert.deepEqual([cleared.regionsDown, cleared.unhealthyApps, cleared.latency, cleared.errors], [[], [], {}, []]);
    assert.deepEqual(Object.keys(cleared.history).sort(), ['eu-west-1', 'us-west-2']);
  });

  test('bad control input is a 400 with a reason, an unknown route a 404 listing the routes', async () => {
    const bad = await json<{ error: string }>(await fetch(url('faults'), { method: 'PATCH', body: JSON.stringify({ regionsDown: 'eu-west-1' }) }), 400);
    assert.match(bad.error, /regionsDown/);
    const typo = await json<{ error: string }>(await fetch(url('faults'), { method: 'PATCH', body: JSON.stringify({ regionDown: ['eu-west-1'] }) }), 400);
    assert.match(typo.error, /regionDown/);
    assert.match((await json<{ error: string }>(await fetch(url('faults'), { method: 'PATCH', body: '{not json' }), 400)).error, /not JSON/);
    assert.match((await json<{ error: string }>(await fetch(url('advance'), { method: 'POST', body: '{}' }), 400)).error, /ms/);
    const missing = await json<{ error: string; routes: string[] }>(await fetch(url('nothing')), 404);
    assert.ok(missing.routes.includes('PATCH /_sandbox/faults') || missing.routes.some((r) => r.includes('/_sandbox/faults')));
  });

  test('advance, calls, state and reset over HTTP, and the same through SandboxControlClient', async () => {
    const client = new SandboxControlClient(sb.endpoint);
    const r53 = new Route53Client(sdkConfig(sb.endpoint, 'us-east-1', 1));
    try {
      const t0 = await client.now();
      const t1 = (await json<{ now: number }>(await fetch(url('advance'), { method: 'POST', body: JSON.stringify({ ms: 60_000 }) }))).now;
      assert.ok(t1 - t0 >= 60_000);
      await client.clearCalls();
      await r53.send(new ListHostedZonesCommand({}));
      const calls = await json<{ operation: string; service: string; region: string; mutating: boolean; status: number; at: number; realAt: number }[]>(
        await fetch(url('calls')),
      );
      assert.deepEqual(
        calls.map((c) => [c.service, c.region, c.operation, c.mutating, c.status]),
        [['route53', 'us-east-1', 'ListHostedZones', false, 200]],
      );
      assert.ok(calls[0]!.at >= t1);
      assert.deepEqual(await client.calls(), calls);
      await json(await fetch(url('calls'), { method: 'DELETE' }));
      assert.deepEqual(await client.calls(), []);

      await client.setFaults({ unhealthyApps: ['eu-west-1'] });
      const state = await json<SandboxSnapshot>(await fetch(url('state')));
      assert.deepEqual(Object.keys(state.services).sort(), [
        'application-autoscaling',
        'aurora',
        'cloudwatch',
        'ecr',
        'ecs',
        'elasticache',
        'iam',
        'rds',
        'route53',
        'secretsmanager',
        'sts',
      ]);
      assert.deepEqual(state.faults.unhealthyApps, ['eu-west-1']);
      assert.equal(state.clock.timeScale, 1);
      assert.deepEqual(await client.snapshot().then((s) => Object.keys(s.services).length), 11);

      await json(await fetch(url('reset'), { method: 'POST' }));
      assert.deepEqual((await client.faults()).unhealthyApps, []);
      assert.ok((await client.now()) < t1, 'reset starts the clock again from now');
      await assert.rejects(client.setFaults({ regionsDown: ['nowhere'] } as never), (e: Error) => e instanceof SandboxControlError && e.status === 400);
    } finally {
      r53.destroy();
    }
  });

  test('a bad world file fails at start, naming the file and every bad path', async () => {
    const world = readFileSync(demoWorld, 'utf8')
      .replace('weight: 100, ttl: 60, values: [192.0.2.10]', 'weight: 300, ttl: 60, values: [192.0.2.10]')
      .replace('regionsDown: []', 'regionsDown: [ap-south-1]')
      .replace('healthChecks:\n', 'bogus: 1\n  healthChecks:\n');
    const file = join(dir, 'bad-world.yaml');
    writeFileSync(file, world);
    await assert.rejects(startSandbox({ world: file, port: 0 }), (e: Error & { exitCode?: number }) => {
      assert.equal(e.exitCode, 2);
      assert.ok(e.message.includes(file), e.message);
      assert.match(e.message, /route53\.zones\[0\]\.records\[0\]\.weight: .*255/);
      assert.match(e.message, /route53: Unrecognized key: "bogus"/);
      return true;
    });
    writeFileSync(file, readFileSync(demoWorld, 'utf8').replace('regionsDown: []', 'regionsDown: [ap-south-1]'));
    await assert.rejects(startSandbox({ world: file, port: 0 }), /faults\.regionsDown\[0\]: region ap-south-1 is not in regions/);
    await assert.rejects(startSandbox({ worldOverrides: (w) => ((w as Record<string, unknown>).nonsense = {}), port: 0 }), /nonsense: unknown section/);
    await assert.rejects(startSandbox({ world: join(dir, 'missing.yaml'), port: 0 }), /Cannot read sandbox world file .*missing\.yaml: ENOENT/);
  });
});

describe('mr sandbox serve / reset handlers', () => {
  function context(stateDir: string, signal: AbortSignal, json = false) {
    const io = recordingIo({ json });
    const ctx = {
      io,
      globals: {},
      argv: [],
      stateDir,
      signal,
      loadTopology: () => Promise.reject(new Error('unused')),
      aws: () => Promise.reject(new Error('unused')),
      close: async () => {},
    };
    return { io, ctx: ctx as unknown as CommandContext };
  }

  test('serve prints the endpoint and env vars, answers until the signal, then stops with exit 0', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'mr-sandbox-serve-'));
    const ac = new AbortController();
    const { io, ctx } = context(stateDir, ac.signal, true);
    const statePath = join(stateDir, 'nested', 'state.json');
    const running = serveCommand(ctx, [], { port: '0', state: statePath, timeScale: '60' });
    try {
      let doc: { endpoint: string; env: Record<string, string>; topology: string; statePath: string } | undefined;
      while (!doc) {
        await new Promise((r) => setImmediate(r));
        doc = io.jsonDocs()[0] as typeof doc;
      }
      assert.equal(doc.env.AWS_ENDPOINT_URL, doc.endpoint);
      assert.match(doc.topology, /sandbox\/worlds\/demo\/topology\.yaml$/);
      assert.equal(doc.statePath, statePath);
      const r53 = new Route53Client(sdkConfig(doc.endpoint, 'us-east-1', 1));
      assert.equal((await r53.send(new ListHostedZonesCommand({}))).HostedZones?.length, 1);
      r53.destroy();
      ac.abort();
      assert.equal(await running, 0);
      assert.equal(JSON.parse(readFileSync(statePath, 'utf8')).clock.timeScale, 60);
      await assert.rejects(fetch(`${doc.endpoint}/_sandbox/now`), TypeError);

      const reset = context(stateDir, new AbortController().signal);
      assert.equal(await resetCommand(reset.ctx, [], { state: statePath }), 0);
      assert.match(reset.io.stderr(), /reset to the world recorded in/);
    } finally {
      ac.abort();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  test('serve refuses a bad port or time scale with a usage error', async () => {
    const { ctx } = context(dir, new AbortController().signal);
    await assert.rejects(serveCommand(ctx, [], { port: 'abc' }), (e: Error & { exitCode?: number }) => e.exitCode === 2 && /--port/.test(e.message));
    await assert.rejects(
      serveCommand(ctx, [], { port: '0', timeScale: '-3' }),
      (e: Error & { exitCode?: number }) => e.exitCode === 2 && /--time-scale/.test(e.message),
    );
  });
});
