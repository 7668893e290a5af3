// The Aurora global writer endpoint (GlobalCluster.Endpoint, issue 12 item 4) through the real SDK client
// against the sandbox: DescribeGlobalClusters carries it, the adapter returns it, and it keeps its name
// across a switchover (Aurora re-points it at the new writer: "Connecting to Amazon Aurora Global Database").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { createAws } from '../../src/aws/factory.js';
import type { Aws } from '../../src/aws/types.js';
import { recordingSink } from '../helpers/fake-aws.js';
import { sdkConfig } from '../helpers/sandbox.js';

const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };
const ENDPOINT = 'demo-global.global-c0ffee.global.rds.amazonaws.com';

describe('Aurora global writer endpoint', () => {
  let sb: SandboxHandle;
  let aws: Aws;
  before(async () => {
    sb = await startSandbox({ timeScale: 600, port: 0 });
    aws = createAws({ endpointUrl: sb.endpoint, credentials, userAgentSuffix: 'mr/0.1.0 run/test' });
  });
  after(async () => {
    aws.destroy();
    await sb.stop();
  });

  test('DescribeGlobalClusters has Endpoint; readGlobalCluster returns it as writerEndpoint, the same name after a switchover', async () => {
    const rds = new RDSClient(sdkConfig(sb.endpoint, 'eu-west-1'));
    try {
      const out = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'demo-global' }));
      assert.equal(out.GlobalClusters?.[0]?.Endpoint, ENDPOINT);
    } finally {
      rds.destroy();
    }
    const gc = await aws.rds('eu-west-1').readGlobalCluster('demo-global');
    assert.equal(gc.writerEndpoint, ENDPOINT);
    const target = gc.members.find((m) => m.region === 'eu-west-1')!;
    await aws.mutating(recordingSink()).rds('us-east-1').switchoverGlobalCluster('demo-global', target.clusterArn);
    sb.control.advance(10 * 60_000);
    const after = await aws.rds('eu-west-1').readGlobalCluster('demo-global');
    assert.equal(after.members.find((m) => m.isWriter)?.region, 'eu-west-1');
    assert.equal(after.writerEndpoint, ENDPOINT);
  });
});
