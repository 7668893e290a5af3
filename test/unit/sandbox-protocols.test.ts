import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SandboxAwsError, type SandboxRequest } from '../../src/sandbox/contract.js';
import { bool, decodeQuery, int, page, queryAction, queryError, queryResponse, strings, trees } from '../../src/sandbox/protocol/query.js';
import { jsonBody, jsonError, jsonTarget } from '../../src/sandbox/protocol/json.js';

function req(body: string, headers: Record<string, string> = {}): SandboxRequest {
  return { service: 'rds', region: 'us-east-1', method: 'POST', path: '/', query: new URLSearchParams(), headers, body, requestId: 'req-1' };
}

describe('awsQuery', () => {
  test('decodes dotted keys into nested lists in index order', () => {
    const body =
      'Action=DescribeGlobalClusters&Version=2014-10-31&Filters.Filter.2.Name=engine&Filters.Filter.1.Name=region' +
      '&Filters.Filter.1.Values.Value.2=eu-west-1&Filters.Filter.1.Values.Value.1=us-east-1&MaxRecords=20&Flag=TRUE';
    const r = req(body);
    assert.equal(queryAction(r), 'DescribeGlobalClusters');
    const q = decodeQuery(new URLSearchParams(body));
    const filters = trees(q, 'Filters', 'Filter');
    assert.deepEqual(
      filters.map((f) => f.Name),
      ['region', 'engine'],
    );
    assert.deepEqual(strings(filters[0], 'Values', 'Value'), ['us-east-1', 'eu-west-1']);
    assert.equal(int(q, 'MaxRecords'), 20);
    assert.equal(bool(q, 'Flag'), true);
    assert.equal(bool(q, 'Missing'), undefined);
    assert.throws(
      () => bool({ X: 'maybe' }, 'X'),
      (e: unknown) => e instanceof SandboxAwsError && e.code === 'InvalidParameterValue',
    );
  });

  test('pages with an opaque marker and checks MaxRecords bounds', () => {
    const items = Array.from({ length: 45 }, (_, i) => i);
    const p1 = page(items, 20, undefined);
    assert.deepEqual(p1.items, items.slice(0, 20));
    const p2 = page(items, 20, p1.marker);
    const p3 = page(items, 20, p2.marker);
    assert.deepEqual(p3.items, items.slice(40));
    assert.equal(p3.marker, undefined);
    assert.throws(() => page(items, 5, undefined), /MaxRecords/);
    assert.throws(() => page(items, 20, 'garbage'), /Marker/);
  });

  test('envelopes carry the request id in results and errors', () => {
    const ok = queryResponse('GetCallerIdentity', 'https://sts.amazonaws.com/doc/2011-06-15/', '<Account>1</Account>', 'rid-7');
    assert.equal(ok.status, 200);
    assert.match(
      ok.body,
      /<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><Account>1<\/Account><\/GetCallerIdentityResult><ResponseMetadata><RequestId>rid-7<\/RequestId>/,
    );
    const err = queryError(new SandboxAwsError('GlobalClusterNotFoundFault', 'no <such> cluster', 404), 'rid-8');
    assert.equal(err.status, 404);
    assert.match(
      err.body,
      /<Error><Type>Sender<\/Type><Code>GlobalClusterNotFoundFault<\/Code><Message>no &lt;such&gt; cluster<\/Message><\/Error><RequestId>rid-8<\/RequestId>/,
    );
  });
});

describe('awsJson', () => {
  test('reads the operation from X-Amz-Target only with the right prefix', () => {
    assert.equal(
      jsonTarget(req('{}', { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListServices' }), 'AmazonEC2ContainerServiceV20141113'),
      'ListServices',
    );
    assert.equal(jsonTarget(req('{}', { 'x-amz-target': 'Other.ListServices' }), 'AmazonEC2ContainerServiceV20141113'), '');
    assert.equal(jsonTarget(req('{}'), 'AmazonEC2ContainerServiceV20141113'), '');
  });

  test('rejects a body that is not a JSON object', () => {
    assert.deepEqual(jsonBody(req('')), {});
    assert.throws(
      () => jsonBody(req('[1]')),
      (e: unknown) => e instanceof SandboxAwsError && e.code === 'SerializationException',
    );
    assert.throws(
      () => jsonBody(req('{')),
      (e: unknown) => e instanceof SandboxAwsError && e.code === 'SerializationException',
    );
  });

  test('errors carry __type and message; query-compatible ones the awsQuery code in a header', () => {
    const plain = jsonError(new SandboxAwsError('ClusterNotFoundException', 'Cluster not found.'), '1.1');
    assert.equal(plain.status, 400);
    assert.equal(plain.headers?.['content-type'], 'application/x-amz-json-1.1');
    assert.deepEqual(JSON.parse(plain.body), { __type: 'ClusterNotFoundException', message: 'Cluster not found.' });
    const compat = jsonError(new SandboxAwsError('InvalidParameterValue', 'bad'), '1.0', {
      queryCompatible: { namespace: 'com.amazonaws.cloudwatch', shapeNames: { InvalidParameterValue: 'InvalidParameterValueException' } },
    });
    assert.equal(compat.headers?.['x-amzn-query-error'], 'InvalidParameterValue;Sender');
    assert.equal(JSON.parse(compat.body).__type, 'com.amazonaws.cloudwatch#InvalidParameterValueException');
  });
});
