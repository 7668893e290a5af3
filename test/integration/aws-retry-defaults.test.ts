// The retry constants of the installed SDK, measured on the wire through mr's own client factory, and
// the README and code comments that quote them (issue 10 item 8). The installed @smithy/core carries
// the 2026 retry defaults (its `Retry` class: other errors 50 ms, throttling 1,000 ms, a retry costs
// 14 tokens, a throttling retry 5); AWS-FACTS §7 and earlier text quoted 100 / 500 ms and 5 / 10.
// Backoff is "full jitter": random() * min(base * 2^attempt, 20 s), so random() is pinned here to
// read the base delay straight off the gap between two attempts.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAws } from '../../src/aws/factory.js';
import { repoRoot } from '../helpers/paths.js';

const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };
const identityXml =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::123456789012:user/tester</Arn><UserId>AIDATESTER</UserId><Account>123456789012</Account>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
const throttledXml =
  '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-t</RequestId></ErrorResponse>';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** An STS look-alike whose first answer is `first` (status, body), then success; records when each attempt arrived. */
async function onceThenOk(status: number, body: string): Promise<{ endpoint: string; at: number[] }> {
  const at: number[] = [];
  const server: Server = createServer((req, res) => {
    at.push(performance.now());
    req.resume();
    req.on('end', () => {
      const fail = at.length === 1;
      res.writeHead(fail ? status : 200, { 'content-type': 'text/xml', 'x-amzn-RequestId': 'req-1' });
      res.end(fail ? body : identityXml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => server.closeAllConnections());
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, at };
}

/** Gap between the first and the second attempt of one call, with the jitter pinned to its top. */
async function retryGapMs(status: number, body: string): Promise<number> {
  const { endpoint, at } = await onceThenOk(status, body);
  const aws = createAws({ endpointUrl: endpoint, credentials });
  cleanups.push(() => aws.destroy());
  const random = Math.random;
  Math.random = () => 0.999;
  try {
    assert.equal((await aws.sts().callerIdentity()).account, '123456789012');
  } finally {
    Math.random = random;
  }
  assert.equal(at.length, 2, 'one failed attempt, one retry');
  return at[1] - at[0];
}

describe('SDK retry defaults (standard mode, as installed)', () => {
  test('a throttled call is retried after a 1,000 ms base delay, not 500 ms', { timeout: 10_000 }, async () => {
    const gap = await retryGapMs(400, throttledXml);
    // 0.999 * 1000 = 999 ms; the old 500 ms base would give 499 ms.
    assert.ok(gap >= 950 && gap < 1400, `throttling retry gap ${gap.toFixed(0)} ms`);
  });

  test('a 5xx is retried after a 50 ms base delay, not 100 ms', { timeout: 10_000 }, async () => {
    const gap = await retryGapMs(503, '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>x</Message></Error></ErrorResponse>');
    assert.ok(gap >= 45 && gap < 99, `transient retry gap ${gap.toFixed(0)} ms`);
  });

  test('the installed strategy charges 14 tokens per retry and 5 per throttling retry (not 5 / 10)', async () => {
    const { resolveRetryConfig } = await import('@smithy/core/retry');
    const strategyOf = async () => {
      const cfg = resolveRetryConfig({ retryMode: 'standard', maxAttempts: 3 } as Parameters<typeof resolveRetryConfig>[0]);
      return (await (cfg.retryStrategy as () => Promise<unknown>)()) as {
        acquireInitialRetryToken(scope: string): Promise<unknown>;
        refreshRetryTokenForRetry(token: unknown, info: { errorType: string }): Promise<unknown>;
        getCapacity(): number;
      };
    };
    const random = Math.random;
    Math.random = () => 0; // no wait: only the cost is measured here
    try {
      for (const [errorType, cost] of [
        ['THROTTLING', 5],
        ['TRANSIENT', 14],
      ] as const) {
        const s = await strategyOf();
        const before = s.getCapacity();
        await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken('sts'), { errorType });
        assert.equal(before - s.getCapacity(), cost, `${errorType} retry cost`);
      }
    } finally {
      Math.random = random;
    }
  });

  test('README and the client factory quote the installed constants, not the old ones', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    const factory = await readFile(join(repoRoot, 'src/aws/factory.ts'), 'utf8');
    const pacing = await readFile(join(repoRoot, 'bench/pacing.ts'), 'utf8');
    for (const [name, text] of [
      ['README.md', readme],
      ['src/aws/factory.ts', factory],
      ['bench/pacing.ts', pacing],
    ]) {
      assert.doesNotMatch(text, /base 500 ms|500 ms base/, `${name} still quotes the old 500 ms throttling base`);
    }
    assert.match(readme, /1,000 ms base for throttling/);
    assert.match(readme, /50 ms for other errors/);
    assert.match(factory, /1,000 ms/);
  });
});
