// The shared client configuration, seen from the wire: user agent suffix, endpoint from the environment,
// and bounded failure when an endpoint resets connections or never answers. Uses tiny local servers so
// each property is observed directly (headers, connection counts), not inferred.
import { afterEach, describe, test } from 'node:test';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createAws } from '../../src/aws/factory.js';
import { isAwsCallError } from '../../src/aws/errors.js';

const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };
const identityXml =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::123456789012:user/tester</Arn><UserId>AIDATESTER</UserId><Account>123456789012</Account>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function listen(server: Server | TcpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An STS look-alike that records the headers of every request. */
async function identityServer(): Promise<{ endpoint: string; seen: IncomingHttpHeaders[]; server: Server }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-RequestId': 'req-1' });
      res.end(identityXml);
    });
  });
  // Idle keep-alive connections stay open until a side closes them, so only destroy() can end them.
  server.keepAliveTimeout = 120_000;
  cleanups.push(() => server.closeAllConnections());
  return { endpoint: await listen(server), seen, server };
}

describe('client configuration on the wire', () => {
  test('the user agent carries the suffix, and the call returns the identity', async () => {
    const { endpoint, seen } = await identityServer();
    const aws = createAws({ endpointUrl: endpoint, credentials, userAgentSuffix: 'mr/0.1.0 run/r-123' });
    cleanups.push(() => aws.destroy());
    const id = await aws.sts().callerIdentity();
    assert.deepEqual(id, { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/tester', userId: 'AIDATESTER' });
    assert.equal(seen.length, 1);
    assert.match(String(seen[0]['user-agent']), / mr\/0\.1\.0 run\/r-123$/);
    assert.match(String(seen[0]['x-amz-user-agent']), /mr\/0\.1\.0 run\/r-123/);
    // The credential scope names the region the client was built for (the sandbox routes on it).
    assert.match(String(seen[0].authorization), /Credential=AKIDSANDBOX\/\d{8}\/us-east-1\/sts\/aws4_request/);
  });

  test('without endpointUrl the SDK honours AWS_ENDPOINT_URL from the environment', async () => {
    const { endpoint, seen } = await identityServer();
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = endpoint;
    cleanups.push(() => {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    });
    const aws = createAws({ credentials });
    cleanups.push(() => aws.destroy());
    const id = await aws.sts('eu-west-1').callerIdentity();
    assert.equal(id.account, '123456789012');
    assert.equal(seen.length, 1);
    assert.match(String(seen[0].authorization), /\/eu-west-1\/sts\/aws4_request/);
  });

  test('a server that resets every connection fails as unreachable after maxAttempts tries', async () => {
    let connections = 0;
    const server = createTcpServer((socket: Socket) => {
      connections++;
      socket.once('data', () => socket.resetAndDestroy());
    });
    const endpoint = await listen(server);
    const aws = createAws({ endpointUrl: endpoint, credentials, maxAttempts: 3 });
    cleanups.push(() => aws.destroy());
    await assert.rejects(aws.rds('eu-west-1').readDbCluster('demo-euw1'), (e: unknown) => {
      assert.ok(isAwsCallError(e));
      assert.equal(e.code, 'ECONNRESET');
      assert.equal(e.details.unreachable, true);
      assert.equal(e.details.attempts, 3);
      assert.equal(e.service, 'rds');
      assert.equal(e.region, 'eu-west-1');
      assert.equal(e.operation, 'DescribeDBClusters');
      return true;
    });
    assert.equal(connections, 3);
  });

  test('a server that accepts but never answers fails with TimeoutError, bounded by the request timeout', async () => {
    const sockets: Socket[] = [];
    let requests = 0;
    const server = createTcpServer((socket: Socket) => {
      sockets.push(socket);
      socket.on('data', () => requests++);
    });
    const endpoint = await listen(server);
    cleanups.push(() => sockets.forEach((s) => s.destroy()));
    const aws = createAws({ endpointUrl: endpoint, credentials, requestTimeoutMs: 200, maxAttempts: 2 });
    cleanups.push(() => aws.destroy());
    await assert.rejects(aws.ecs('us-west-2').describeServices('demo-usw2', ['api']), (e: unknown) => {
      assert.ok(isAwsCallError(e));
      assert.equal(e.code, 'TimeoutError');
      assert.equal(e.details.unreachable, true);
      assert.equal(e.details.attempts, 2);
      return true;
    });
    // Two attempts, each given up on by the client: the bound is the timeout times the attempts.
    assert.equal(requests, 2);
  });

  test('destroy() closes the clients: their keep-alive connections end', { timeout: 10_000 }, async () => {
    const { endpoint, server } = await identityServer();
    const open = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    const aws = createAws({ endpointUrl: endpoint, credentials });
    await aws.sts().callerIdentity();
    await aws.sts('eu-west-1').callerIdentity();
    // Two clients (two regions), each holding its keep-alive connection open.
    assert.equal(open.size, 2);
    const closed = Promise.all([...open].map((s) => once(s, 'close')));
    aws.destroy();
    await closed;
    assert.equal(open.size, 0);
    // A destroyed factory still works: it builds fresh clients on the next call.
    assert.equal((await aws.sts().callerIdentity()).account, '123456789012');
    aws.destroy();
  });
});
