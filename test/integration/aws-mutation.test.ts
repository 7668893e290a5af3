// The mutation choke point in the AWS layer (issue 9): through the real SDK clients against the
// sandbox, the intent is the command that went out (service, region, operation, the SDK input) and
// the result carries the request id the sandbox answered with; a sink that will not take the intent
// means nothing is sent; the read half of the adapters has no way to mutate, at compile time too.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAws } from '../../src/aws/factory.js';
import { isAwsCallError } from '../../src/aws/errors.js';
import type { Aws, ReadAws } from '../../src/aws/types.js';
import { readOnly } from '../../src/engine/step-context.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { recordingSink } from '../helpers/fake-aws.js';

const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };
const ZONE = 'Z0MRDEMO0000001';

describe('the choke point in the AWS layer', () => {
  let sb: SandboxHandle;
  let aws: Aws;

  before(async () => {
    sb = await startSandbox({ timeScale: 600, port: 0 });
    aws = createAws({ endpointUrl: sb.endpoint, credentials, requestTimeoutMs: 2000 });
  });
  after(async () => {
    aws.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('UpdateService: the intent is the command sent, the result has the request id the sandbox answered with', async () => {
    const sink = recordingSink();
    const out = await aws.mutating(sink).ecs('eu-west-1').updateDesiredCount('demo-euw1', 'api', 5);
    assert.equal(out.desired, 5);
    assert.deepEqual(sink.calls, [
      {
        service: 'ecs',
        region: 'eu-west-1',
        operation: 'UpdateService',
        target: 'ecs demo-euw1/api',
        params: { cluster: 'demo-euw1', service: 'api', desiredCount: 5 },
        input: { cluster: 'demo-euw1', service: 'api', desiredCount: 5 },
      },
    ]);
    const [seen] = sb.control.calls().filter((c) => c.mutating);
    assert.deepEqual([seen.service, seen.region, seen.operation, seen.status], ['ecs', 'eu-west-1', 'UpdateService', 200]);
    assert.equal(sink.ends.length, 1);
    assert.equal(sink.ends[0].ok, true);
    assert.equal(sink.ends[0].applied, true);
    assert.equal(sink.ends[0].requestId, seen.requestId);
    assert.equal(out.requestId, seen.requestId);
  });

  test('ChangeResourceRecordSets: params in mr terms, input as the SDK sent it, target as the caller named it', async () => {
    const sink = recordingSink();
    const [euw1] = (await aws.route53().readRecords(ZONE, 'api.demo.example.com.', 'A')).filter((r) => r.setIdentifier === 'euw1');
    const changes = [{ action: 'UPSERT' as const, record: { ...euw1, weight: 7 } }];
    await aws
      .mutating(sink)
      .route53()
      .changeRecords(ZONE, changes, 'mr test', { target: 'weights of api', note: { why: 'a test' } });
    const [call] = sink.calls;
    assert.deepEqual([call.service, call.region, call.operation, call.target], ['route53', 'us-east-1', 'ChangeResourceRecordSets', 'weights of api']);
    assert.deepEqual(call.params, { why: 'a test', hostedZoneId: ZONE, comment: 'mr test', changes });
    const input = call.input as {
      HostedZoneId: string;
      ChangeBatch: { Comment: string; Changes: { Action: string; ResourceRecordSet: { SetIdentifier: string; Weight: number } }[] };
    };
    assert.equal(input.HostedZoneId, ZONE);
    assert.equal(input.ChangeBatch.Comment, 'mr test');
    assert.deepEqual(
      input.ChangeBatch.Changes.map((c) => [c.Action, c.ResourceRecordSet.SetIdentifier, c.ResourceRecordSet.Weight]),
      [['UPSERT', 'euw1', 7]],
    );
    const seen = sb.control.calls().filter((c) => c.mutating);
    assert.equal(sink.ends[0].requestId, seen[0].requestId);
    // What was sent took effect as the intent says.
    const after = (await aws.route53().readRecords(ZONE, 'api.demo.example.com.', 'A')).find((r) => r.setIdentifier === 'euw1');
    assert.equal(after?.weight, 7);
  });

  test('a sink that refuses the intent: nothing reaches AWS', async () => {
    const refusing = { intent: async () => Promise.reject(new Error('audit log is full')), result: async () => assert.fail('no result without a call') };
    await assert.rejects(aws.mutating(refusing).ecs('eu-west-1').updateDesiredCount('demo-euw1', 'api', 9), /audit log is full/);
    assert.deepEqual(
      sb.control.calls().filter((c) => c.mutating),
      [],
    );
    const [api] = await aws.ecs('eu-west-1').describeServices('demo-euw1', ['api']);
    assert.notEqual(api.desired, 9);
  });

  test('an AWS error answer: the result says not applied, with the code and the request id', async () => {
    const sink = recordingSink();
    await assert.rejects(
      aws.mutating(sink).ecs('eu-west-1').updateDesiredCount('demo-euw1', 'nope', 1),
      (e: unknown) => isAwsCallError(e) && e.code === 'ServiceNotFoundException',
    );
    const [seen] = sb.control.calls().filter((c) => c.mutating);
    assert.equal(sink.ends[0].ok, false);
    assert.equal(sink.ends[0].applied, false);
    assert.deepEqual(sink.ends[0].error, {
      code: 'ServiceNotFoundException',
      message: sink.ends[0].error && 'message' in sink.ends[0].error ? sink.ends[0].error.message : '',
      requestId: seen.requestId,
      unreachable: false,
    });
  });

  test('the read half has no mutating method, at run time and at compile time', () => {
    const reads: ReadAws = readOnly(aws);
    assert.equal('mutating' in reads, false);
    assert.equal('updateDesiredCount' in reads.ecs('eu-west-1'), false);
    assert.equal('changeRecords' in reads.route53(), false);
    // @ts-expect-error a plan's ReadAws cannot mutate: this line does not compile without the directive
    assert.equal(typeof reads.ecs('eu-west-1').updateDesiredCount, 'undefined');
    // @ts-expect-error nor can it reach the mutating half
    assert.equal(typeof reads.mutating, 'undefined');
  });
});
