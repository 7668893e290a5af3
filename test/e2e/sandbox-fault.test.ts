// mr sandbox fault: every verb, on the --sandbox state file and against a running `mr sandbox serve`.
// Outcomes are read from the sandbox itself (the state file, or GET /_sandbox/faults), not from mr's output alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMr, startMr, waitForOutput } from '../helpers/run-mr.js';

interface FaultsDoc {
  regionsDown: string[];
  unhealthyApps: string[];
  route53ControlPlaneDown: boolean;
  route53RateLimit: number;
  latencyMs: number;
  strandedChanges?: number;
  latency: Record<string, number>;
  errors: { service: string; operation: string; code: string; status: number; count: number }[];
  removed?: string[];
  log?: { action: string; id: string; realAt: number }[];
}

let dir: string;
let serve: ReturnType<typeof startMr>;
let endpoint: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mr-fault-'));
  // The server lives for the whole file, which takes minutes on a loaded 2-core machine; after() stops it.
  serve = startMr(['--json', 'sandbox', 'serve', '--port', '0'], { killAfterMs: 900_000 });
  await waitForOutput(serve, (out) => out.includes('"endpoint"'));
  endpoint = (JSON.parse(serve.output()) as { endpoint: string }).endpoint;
});

after(async () => {
  serve.child.kill('SIGTERM');
  await serve.done;
  await rm(dir, { recursive: true, force: true });
});

interface Target {
  name: string;
  args: string[];
  faults(): Promise<FaultsDoc>;
}

const sandboxTarget = (): Target => ({
  name: '--sandbox',
  args: ['--sandbox', '--state-dir', join(dir, 'state')],
  faults: async () => (JSON.parse(await readFile(join(dir, 'state', 'sandbox', 'state.json'), 'utf8')) as { faults: FaultsDoc }).faults,
});

const serveTarget = (): Target => ({
  name: 'serve',
  args: ['--endpoint-url', endpoint],
  faults: async () => (await (await fetch(`${endpoint}/_sandbox/faults`)).json()) as FaultsDoc,
});

async function fault(t: Target, ...words: string[]) {
  return runMr([...t.args, 'sandbox', 'fault', ...words]);
}

for (const [label, make] of [
  ['--sandbox', sandboxTarget],
  ['serve', serveTarget],
] as const) {
  test(`every verb of mr sandbox fault (${label})`, async () => {
    const t = make();
    const startedAt = Date.now();
    let r = await fault(t, 'add', 'region-down', 'us-east-1');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /region-down:us-east-1/);
    assert.deepEqual((await t.faults()).regionsDown, ['us-east-1']);

    r = await fault(t, 'add', 'unhealthy', 'eu-west-1');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await t.faults()).unhealthyApps, ['eu-west-1']);

    r = await fault(t, 'add', 'route53-down');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await t.faults()).route53ControlPlaneDown, true);

    r = await fault(t, 'add', 'stranded-changes', '--count', '2');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /stranded-changes +the next 2 Route 53 change batches are stranded/);
    assert.equal((await t.faults()).strandedChanges, 2);

    r = await fault(t, 'add', 'throttle', 'route53', '5');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await t.faults()).route53RateLimit, 5);

    r = await fault(t, 'add', 'latency', '40');
    assert.equal(r.code, 0, r.stderr);
    r = await fault(t, 'add', 'latency', '70', '--operation', 'GetChange');
    assert.equal(r.code, 0, r.stderr);
    let f = await t.faults();
    assert.equal(f.latencyMs, 40);
    assert.deepEqual(f.latency, { GetChange: 70 });

    r = await fault(t, 'add', 'error', 'rds', 'FailoverGlobalCluster', 'InvalidGlobalClusterStateFault', '--status', '409', '--count', '2');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (await t.faults()).errors.map(({ service, operation, code, status, count }) => ({ service, operation, code, status, count })),
      [{ service: 'rds', operation: 'FailoverGlobalCluster', code: 'InvalidGlobalClusterStateFault', status: 409, count: 2 }],
    );

    r = await fault(t, 'add', 'image-missing', 'us-east-1', 'demo-api', 'v1');
    assert.equal(r.code, 0, r.stderr);
    r = await fault(t, 'add', 'secret-unreplicated', 'eu-west-1', 'demo/db');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await t.faults()).removed, ['image:us-east-1:demo-api:v1', 'secret-replica:eu-west-1:demo/db']);

    r = await fault(t, '--json', 'list');
    assert.equal(r.code, 0, r.stderr);
    const ids = (JSON.parse(r.stdout) as { faults: { id: string }[] }).faults.map((i) => i.id);
    assert.deepEqual(ids.sort(), [
      'error:rds:FailoverGlobalCluster:InvalidGlobalClusterStateFault',
      'image:us-east-1:demo-api:v1',
      'latency',
      'latency:GetChange',
      'region-down:us-east-1',
      'route53-down',
      'secret-replica:eu-west-1:demo/db',
      'stranded-changes',
      'throttle:route53',
      'unhealthy:eu-west-1',
    ]);

    r = await fault(t, 'clear', 'region-down:us-east-1');
    assert.equal(r.code, 0, r.stderr);
    f = await t.faults();
    assert.deepEqual(f.regionsDown, []);
    assert.deepEqual(f.unhealthyApps, ['eu-west-1'], 'clearing one fault leaves the others');

    r = await fault(t, 'clear', '--all');
    assert.equal(r.code, 0, r.stderr);
    f = await t.faults();
    assert.deepEqual(
      [f.regionsDown, f.unhealthyApps, f.route53ControlPlaneDown, f.route53RateLimit, f.latencyMs, f.errors, f.removed, f.strandedChanges],
      [[], [], false, 0, 0, [], [], 0],
    );
    r = await fault(t, 'list');
    assert.match(r.stdout, /no faults/);

    // The history a run's report reads: every add and clear, timestamped in real time.
    const log = (f.log ?? []).filter((e) => e.realAt >= startedAt);
    assert.deepEqual(
      log.filter((e) => e.action === 'added').map((e) => e.id),
      [
        'region-down:us-east-1',
        'unhealthy:eu-west-1',
        'route53-down',
        'stranded-changes',
        'throttle:route53',
        'latency',
        'latency:GetChange',
        'error:rds:FailoverGlobalCluster:InvalidGlobalClusterStateFault',
        'image:us-east-1:demo-api:v1',
        'secret-replica:eu-west-1:demo/db',
      ],
    );
    assert.equal(log.filter((e) => e.action === 'cleared').length, 10);
    assert.equal(log.find((e) => e.action === 'cleared')?.id, 'region-down:us-east-1');
  });

  test(`bad fault arguments exit 2 with one line, and change nothing (${label})`, async () => {
    const t = make();
    const before = JSON.stringify(await t.faults().then(({ log: _log, ...rest }) => rest));
    const cases: [string[], RegExp][] = [
      [['add', 'region-down', 'mars-1'], /unknown region mars-1/],
      [['add', 'unhealthy', 'Not A Region'], /unknown region/],
      [['add', 'image-missing', 'mars-1', 'demo-api', 'v1'], /unknown region mars-1/],
      [['add', 'secret-unreplicated', 'mars-1', 'demo/db'], /unknown region mars-1/],
      [['add', 'throttle', 'rds', '5'], /only route53/],
      [['add', 'throttle', 'route53', 'fast'], /Invalid rate/],
      [['add', 'throttle', 'route53', '0'], /Invalid rate/],
      [['add', 'latency', '-5'], /Invalid latency/],
      [['add', 'latency', '1.5'], /Invalid latency/],
      [['add', 'stranded-changes', '--count', '0'], /Invalid --count/],
      [['add', 'latency', '10', '--operation', 'get change'], /Invalid --operation/],
      [['add', 'error', 'dynamodb', 'GetItem', 'Boom'], /unknown service dynamodb/],
      [['add', 'error', 'rds', 'failover', 'Boom'], /Invalid Operation/],
      [['add', 'error', 'rds', 'FailoverGlobalCluster', 'Boom', '--status', '200'], /Invalid --status/],
      [['add', 'error', 'rds', 'FailoverGlobalCluster', 'Boom', '--count', '0'], /Invalid --count/],
      [['clear', 'region-down:us-west-2'], /no fault region-down:us-west-2/],
      [['clear'], /give a fault id/],
      [['clear', 'latency', '--all'], /not both/],
    ];
    for (const [words, message] of cases) {
      const r = await fault(t, ...words);
      assert.equal(r.code, 2, `${words.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${words.join(' ')}: one line, got ${r.stderr}`);
      assert.match(lines[0]!, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    assert.equal(JSON.stringify(await t.faults().then(({ log: _log, ...rest }) => rest)), before);
  });
}

test('mr sandbox fault without --sandbox or --endpoint-url exits 2', async () => {
  const r = await runMr(['sandbox', 'fault', 'list']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /needs --sandbox .* or --endpoint-url/);
});

test('a sandbox that is not there: exit 1, one line', async () => {
  const r = await runMr(['--endpoint-url', 'http://127.0.0.1:9', 'sandbox', 'fault', 'list']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /cannot reach the sandbox control endpoint/);
});
