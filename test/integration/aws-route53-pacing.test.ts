// Route 53 pacing and call sharing, through the real SDK client against the sandbox: the process's
// token bucket keeps every 1 s window at 5 calls or fewer (checked in the sandbox's call log, with the
// sandbox enforcing the same limit), health check configurations are read once, and record reads
// asked together share listings yet give the same answers as reads asked one by one.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { createAws } from '../../src/aws/factory.js';
import { Pacer } from '../../src/aws/pacer.js';
import type { Aws } from '../../src/aws/types.js';

const ZONE = 'Z0MRDEMO0000001';
const HCS = ['6d0b1a8e-0000-4000-8000-00000000e001', '6d0b1a8e-0000-4000-8000-00000000e002', '6d0b1a8e-0000-4000-8000-00000000e003'];
const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };

/** The most calls that started within any window of `ms`. */
function busiestWindow(starts: number[], ms: number): number {
  const s = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i] - s[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('Pacer', () => {
  test('serves callers in order, never more than the burst in one window', async () => {
    const pacer = new Pacer({ rate: 20, burst: 2 });
    const order: number[] = [];
    const starts: number[] = [];
    // Taken before the first call is let through: the pacer's own first start is no earlier, so the bound
    // below cannot be broken by the first callback running late (GC, a loaded machine).
    const before = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        pacer.take().then(() => {
          order.push(i);
          starts.push(performance.now());
        }),
      ),
    );
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7]);
    // 2 per window of 100 ms / 0.9: the 7th and 8th start three windows (333 ms) after the first.
    assert.ok(starts[7] - before >= 333, `8 calls took ${Math.round(starts[7] - before)} ms`);
    assert.ok(busiestWindow(starts, 100) <= 2);
    assert.equal(pacer.queued, 0);
  });

  test('delayMs grows with the calls queued', () => {
    let t = 0;
    const pacer = new Pacer({ rate: 5, now: () => t });
    assert.equal(pacer.delayMs(), 0);
    assert.equal(pacer.delayMs(4), 0);
    assert.equal(pacer.delayMs(5), 1112);
    assert.equal(pacer.delayMs(14), 2223);
    for (let i = 0; i < 5; i++) void pacer.take();
    t = 100;
    assert.equal(pacer.delayMs(), 1012);
    assert.equal(pacer.delayMs(5), 2123);
  });
});

describe('Route 53 through one process bucket', () => {
  let sb: SandboxHandle;
  let aws: Aws;

  before(async () => {
    sb = await startSandbox({ timeScale: 1, port: 0 });
  });
  after(async () => {
    await sb.stop();
  });
  beforeEach(() => {
    sb.control.reset();
    aws?.destroy();
    aws = createAws({ endpointUrl: sb.endpoint, credentials });
  });

  test('20 reads at once under the 5 req/s limit: none throttled, never more than 5 started in 1 s', async () => {
    const r53 = aws.route53();
    // Warm up first: the sandbox runs in this process, and its first answers (cold code) take long
    // enough to bunch the arrivals of a burst; the pacer's turns are what is measured here.
    await Promise.all(Array.from({ length: 5 }, () => r53.getHostedZone(ZONE)));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    sb.control.reset();
    sb.control.setFaults({ route53RateLimit: 5 });
    const zones = await Promise.all(Array.from({ length: 20 }, () => r53.getHostedZone(ZONE)));
    assert.equal(
      zones.every((z) => z.id === ZONE),
      true,
    );
    const calls = sb.control.calls().filter((c) => c.service === 'route53');
    assert.equal(calls.filter((c) => c.throttled).length, 0, 'throttled calls');
    assert.equal(calls.length, 20);
    assert.ok(
      busiestWindow(
        calls.map((c) => c.realAt),
        1000,
      ) <= 5,
      `busiest 1 s window: ${busiestWindow(
        calls.map((c) => c.realAt),
        1000,
      )}`,
    );
    // The queue is known in advance, so a read bound can allow for it.
    const fresh = createAws({ endpointUrl: sb.endpoint, credentials });
    assert.equal(fresh.route53QueueMs?.(20), 3334);
    fresh.destroy();
  });

  test('a raised limit from the topology paces at that rate', async () => {
    aws.destroy();
    aws = createAws({ endpointUrl: sb.endpoint, credentials, route53Rate: { rate: 50 } });
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => aws.route53().getHostedZone(ZONE)));
    assert.ok(Date.now() - started < 2000, 'at 50 req/s, 20 calls do not take the 3 s they take at 5 req/s');
    assert.equal(aws.route53QueueMs?.(20), 0);
  });

  test('health check configurations: three checks in one ListHealthChecks, then no call at all', async () => {
    const r53 = aws.route53();
    const first = await Promise.all(HCS.map((id) => r53.getHealthCheck(id)));
    assert.deepEqual(
      first.map((h) => h.id),
      HCS,
    );
    assert.equal(
      first.every((h) => h.config.type !== ''),
      true,
    );
    const again = await Promise.all(HCS.map((id) => aws.route53().getHealthCheck(id)));
    assert.deepEqual(again, first);
    const ops = sb.control.calls().map((c) => c.operation);
    assert.deepEqual(ops, ['ListHealthChecks']);
  });

  test('a single health check is read with GetHealthCheck', async () => {
    const hc = await aws.route53().getHealthCheck(HCS[0]);
    assert.equal(hc.id, HCS[0]);
    assert.deepEqual(
      sb.control.calls().map((c) => c.operation),
      ['GetHealthCheck'],
    );
  });

  test('record reads asked together share listings and answer exactly as reads one by one', async () => {
    const wants: [string, string, number?][] = [
      ['api.demo.example.com.', 'A', 3],
      ['db.demo.example.com.', 'CNAME', 2],
      ['edge.demo.example.com.', 'A', 2],
      ['www.demo.example.com.', 'A', 1],
      ['nothing.demo.example.com.', 'A', 1],
    ];
    const alone = [];
    for (const [name, type, n] of wants) alone.push(await aws.route53().readRecords(ZONE, name, type, n));
    const oneByOne = sb.control.calls().filter((c) => c.operation === 'ListResourceRecordSets').length;
    sb.control.reset();
    const together = await Promise.all(wants.map(([name, type, n]) => aws.route53().readRecords(ZONE, name, type, n)));
    const shared = sb.control.calls().filter((c) => c.operation === 'ListResourceRecordSets').length;
    assert.deepEqual(together, alone);
    assert.equal(oneByOne, wants.length);
    assert.ok(shared < oneByOne, `${shared} listings together, ${oneByOne} one by one`);
    assert.equal(alone[4].length, 0);
    assert.equal(alone[0].length, 3);
  });
});
