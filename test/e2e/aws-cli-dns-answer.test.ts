// Debian's AWS CLI v2 (/usr/bin/aws, botocore's own Route 53 model) against `mr sandbox serve` on the
// bundled latency world: test-dns-answer from clients near each region, a drain by inverting a control
// check, get-health-check-status on the control check (raw observations) and on the calculated parent
// (refused, as AWS documents), and get-health-check of the calculated shape.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AWS_CLI, awsCliEnv, awsCliSkip, awsRoute53, serveSandbox } from '../helpers/aws-cli.js';

const ZONE = 'Z0MRLATENCY00001';
const CONTROL_EUW1 = '7a7e0000-0000-4000-8000-0000000b0002';
const PARENT_EUW1 = '7a7e0000-0000-4000-8000-0000000c0002';
const exec = promisify(execFile);

describe('Debian AWS CLI v2: test-dns-answer and calculated checks against mr sandbox serve', { skip: awsCliSkip }, () => {
  let served: Awaited<ReturnType<typeof serveSandbox>>;
  let endpoint: string;
  const env = awsCliEnv(mkdtempSync(join(tmpdir(), 'mr-awscli-dns-')));
  const aws = (...args: string[]) => awsRoute53(endpoint, env)(...args);
  const answer = async (...extra: string[]) =>
    (await aws('test-dns-answer', '--hosted-zone-id', ZONE, '--record-name', 'api.latency.example.com', '--record-type', 'A', ...extra)) as {
      RecordData: string[];
      ResponseCode: string;
      Protocol: string;
      Nameserver: string;
      RecordName: string;
      RecordType: string;
    };

  before(async () => {
    // By name: the bundled world, as `mr sandbox serve --world latency` finds it.
    served = await serveSandbox(['--world', 'latency'], env);
    endpoint = served.endpoint;
  });
  after(() => served?.stop());

  test('test-dns-answer: a client near eu-west-1 gets it; inverting a control check drains eu-west-1 and un-inverting restores it', async () => {
    const eu = await answer('--edns0-client-subnet-ip', '198.51.100.44', '--edns0-client-subnet-mask', '24');
    assert.deepEqual(
      { ...eu, Nameserver: undefined },
      {
        Nameserver: undefined,
        RecordName: 'api.latency.example.com.',
        RecordType: 'A',
        RecordData: ['198.51.100.10'],
        ResponseCode: 'NOERROR',
        Protocol: 'UDP',
      },
    );
    // (Each AWS CLI run costs seconds; the resolver and default-resolver cases are covered through the SDK.)

    await aws('update-health-check', '--health-check-id', CONTROL_EUW1, '--inverted');
    assert.deepEqual((await answer('--edns0-client-subnet-ip', '198.51.100.44')).RecordData, ['192.0.2.10'], 'Ireland goes to the next nearest region');
    const obs = (await aws('get-health-check-status', '--health-check-id', CONTROL_EUW1)).HealthCheckObservations as { StatusReport: { Status: string } }[];
    assert.equal(obs.length, 8);
    assert.ok(
      obs.every((o) => o.StatusReport.Status.startsWith('Success')),
      'the checkers report the raw result; the inversion is in the verdict',
    );
    await aws('update-health-check', '--health-check-id', CONTROL_EUW1, '--no-inverted');
    assert.deepEqual((await answer('--edns0-client-subnet-ip', '198.51.100.44')).RecordData, ['198.51.100.10']);
  });

  test('get-health-check shows the calculated parent; get-health-check-status refuses it with InvalidInput', async () => {
    const cfg = (await aws('get-health-check', '--health-check-id', PARENT_EUW1)).HealthCheck.HealthCheckConfig;
    assert.deepEqual(cfg, {
      Type: 'CALCULATED',
      Inverted: false,
      Disabled: false,
      HealthThreshold: 2,
      ChildHealthChecks: ['7a7e0000-0000-4000-8000-0000000a0002', CONTROL_EUW1],
    });
    const refused = await exec(AWS_CLI, ['--endpoint-url', endpoint, 'route53', 'get-health-check-status', '--health-check-id', PARENT_EUW1], { env }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    assert.ok(refused, 'the AWS CLI must fail');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /\(InvalidInput\) when calling the GetHealthCheckStatus operation/);
  });

  test('test-dns-answer: NoSuchHostedZone for an unknown zone', async () => {
    const failed = await exec(
      AWS_CLI,
      [
        '--endpoint-url',
        endpoint,
        'route53',
        'test-dns-answer',
        '--hosted-zone-id',
        'Z0NOSUCHZONE0001',
        '--record-name',
        'x.example.com',
        '--record-type',
        'A',
      ],
      { env },
    ).then(
      () => undefined,
      (e: { stderr: string }) => e,
    );
    assert.match(failed?.stderr ?? '', /\(NoSuchHostedZone\) when calling the TestDNSAnswer operation/);
  });
});
