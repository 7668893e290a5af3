// The sandbox's STS through the real STSClient over HTTP, and the awsQuery envelope on the wire.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { rawRequest, sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

describe('sandbox sts', () => {
  let sb: SandboxHandle;
  before(async () => {
    sb = await withSandbox({ timeScale: 1 });
  });
  after(() => sb.stop());

  test('GetCallerIdentity: the world account, the sandbox operator, the access key as UserId', async () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const sts = new STSClient({ ...sdkConfig(sb.endpoint, region, 1), credentials: { accessKeyId: `AKID-${region}`, secretAccessKey: 's' } });
      try {
        const me = await sts.send(new GetCallerIdentityCommand({}));
        assert.equal(me.Account, '123456789012');
        assert.equal(me.Arn, 'arn:aws:iam::123456789012:user/sandbox-operator');
        assert.equal(me.UserId, `AKID-${region}`);
        assert.match(me.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
      } finally {
        sts.destroy();
      }
    }
    assert.deepEqual(
      sb.control.calls().map((c) => [c.service, c.region, c.operation, c.mutating]),
      [
        ['sts', 'us-east-1', 'GetCallerIdentity', false],
        ['sts', 'eu-west-1', 'GetCallerIdentity', false],
      ],
    );
  });

  test('an unknown Action is InvalidAction 400 with the request id in the body and the header', async () => {
    const res = await rawRequest(sb.endpoint, {
      service: 'sts',
      region: 'us-east-1',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeEverything&Version=2011-06-15',
    });
    assert.equal(res.status, 400);
    const body = await res.text();
    assert.match(
      body,
      /<ErrorResponse><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>[^<]*AssumeEverything[^<]*<\/Message><\/Error><RequestId>([^<]+)<\/RequestId><\/ErrorResponse>/,
    );
    assert.equal(/<RequestId>([^<]+)</.exec(body)?.[1], res.headers.get('x-amzn-requestid'));
  });
});
