// Error translation with SDK-shaped errors fabricated the way the SDK and the node http handler build them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, toAwsCallError } from '../../src/aws/call.js';
import { AwsCallError, isAwsCallError } from '../../src/aws/errors.js';

function sdkServiceError(name: string, message: string, httpStatusCode: number, requestId = 'req-1', fault: 'client' | 'server' = 'client') {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode, requestId, attempts: 1 } });
}

/** What the node http handler rejects with on a reset connection, after the retry middleware added $metadata. */
function resetError(attempts = 3) {
  return Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: { attempts } });
}

describe('toAwsCallError', () => {
  test('a modelled service error keeps its name, message, request id and status', () => {
    const e = toAwsCallError('rds', 'eu-west-1', 'DescribeDBClusters', sdkServiceError('DBClusterNotFoundFault', 'DBCluster nope not found.', 404, 'abc-123'));
    assert.ok(e instanceof AwsCallError);
    assert.equal(e.code, 'DBClusterNotFoundFault');
    assert.equal(e.message, 'DBCluster nope not found.');
    assert.equal(e.service, 'rds');
    assert.equal(e.region, 'eu-west-1');
    assert.equal(e.operation, 'DescribeDBClusters');
    assert.deepEqual(e.details, { requestId: 'abc-123', httpStatus: 404, unreachable: false, throttled: false, attempts: 1 });
    assert.equal(e.oneLine(), 'rds DescribeDBClusters in eu-west-1: DBClusterNotFoundFault: DBCluster nope not found.');
  });

  test('Route 53 Throttling (unmodelled, HTTP 400) is marked throttled', () => {
    const e = toAwsCallError('route53', 'us-east-1', 'ChangeResourceRecordSets', sdkServiceError('Throttling', 'Rate exceeded', 400));
    assert.equal(e.code, 'Throttling');
    assert.equal(e.details.throttled, true);
    assert.equal(e.details.unreachable, false);
  });

  test('PriorRequestNotComplete and HTTP 429 count as throttling', () => {
    assert.equal(toAwsCallError('route53', 'us-east-1', 'X', sdkServiceError('PriorRequestNotComplete', 'still processing', 400)).details.throttled, true);
    assert.equal(toAwsCallError('ecs', 'us-east-1', 'X', sdkServiceError('SomethingElse', 'slow down', 429)).details.throttled, true);
  });

  test('a server fault is an answer, not unreachable', () => {
    const e = toAwsCallError('ecs', 'us-west-2', 'DescribeServices', sdkServiceError('ServerException', 'boom', 500, 'r', 'server'));
    assert.equal(e.code, 'ServerException');
    assert.equal(e.details.unreachable, false);
    assert.equal(e.details.httpStatus, 500);
  });

  test('a reset connection is unreachable with the socket code, not the handler rename', () => {
    const e = toAwsCallError('rds', 'us-east-1', 'DescribeGlobalClusters', resetError());
    assert.equal(e.code, 'ECONNRESET');
    assert.equal(e.details.unreachable, true);
    assert.equal(e.details.throttled, false);
    assert.equal(e.details.attempts, 3);
    assert.equal(e.details.httpStatus, undefined);
  });

  test('refused connections and DNS failures are unreachable', () => {
    const refused = toAwsCallError(
      'sts',
      'us-east-1',
      'GetCallerIdentity',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    );
    assert.equal(refused.code, 'ECONNREFUSED');
    assert.equal(refused.details.unreachable, true);
    const dns = toAwsCallError('sts', 'us-east-1', 'GetCallerIdentity', Object.assign(new Error('getaddrinfo ENOTFOUND sts.nowhere'), { code: 'ENOTFOUND' }));
    assert.equal(dns.code, 'ENOTFOUND');
    assert.equal(dns.details.unreachable, true);
  });

  test('our own request timeout is TimeoutError, unreachable, without the SDK package prefix', () => {
    const err = Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 500 ms requestTimeout.'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    const e = toAwsCallError('ecs', 'eu-west-1', 'DescribeServices', err);
    assert.equal(e.code, 'TimeoutError');
    assert.equal(e.details.unreachable, true);
    assert.equal(e.message, 'a request has exceeded the configured 500 ms requestTimeout.');
  });

  test('a connection-phase timeout (no code) is TimeoutError and unreachable', () => {
    const err = Object.assign(new Error('@smithy/node-http-handler - the request socket did not establish a connection'), { name: 'TimeoutError' });
    const e = toAwsCallError('ecs', 'eu-west-1', 'DescribeServices', err);
    assert.equal(e.code, 'TimeoutError');
    assert.equal(e.details.unreachable, true);
  });

  test('a credentials failure is neither unreachable nor throttled', () => {
    const err = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const e = toAwsCallError('sts', 'us-east-1', 'GetCallerIdentity', err);
    assert.equal(e.code, 'CredentialsProviderError');
    assert.deepEqual([e.details.unreachable, e.details.throttled], [false, false]);
  });

  test('an empty or placeholder message falls back to the code; non-errors still translate', () => {
    assert.equal(
      toAwsCallError('rds', 'r', 'Op', sdkServiceError('InvalidGlobalClusterStateFault', 'UnknownError', 400)).message,
      'InvalidGlobalClusterStateFault',
    );
    const s = toAwsCallError('rds', 'r', 'Op', 'plain string');
    assert.equal(s.code, 'Error');
    assert.equal(s.message, 'plain string');
  });

  test('an AwsCallError passes through unchanged', () => {
    const original = new AwsCallError('ecs', 'us-east-1', 'UpdateService', 'X', 'y', { unreachable: false, throttled: false });
    assert.equal(toAwsCallError('rds', 'eu-west-1', 'Other', original), original);
  });
});

describe('call', () => {
  test('returns the value of a successful call', async () => {
    assert.equal(await call('sts', 'us-east-1', 'GetCallerIdentity', async () => 42), 42);
  });

  test('turns a rejection into an AwsCallError naming the call', async () => {
    await assert.rejects(
      call('elasticache', 'us-west-2', 'FailoverGlobalReplicationGroup', async () => {
        throw sdkServiceError('InvalidGlobalReplicationGroupStateFault', 'not available', 400, 'rid');
      }),
      (e: unknown) => {
        assert.ok(isAwsCallError(e));
        assert.equal(e.code, 'InvalidGlobalReplicationGroupStateFault');
        assert.equal(e.operation, 'FailoverGlobalReplicationGroup');
        assert.equal(e.region, 'us-west-2');
        assert.equal(e.details.requestId, 'rid');
        return true;
      },
    );
  });
});
