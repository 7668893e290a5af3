// The sandbox's ECS through the real ECSClient over HTTP.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServicesCommand,
  paginateListServices,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { rawRequest, sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const ACCOUNT = '123456789012';

async function rejectsAs(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.match(e.$metadata?.requestId ?? '', /^[0-9a-f-]{36}$/);
    if (message) assert.match(e.message ?? '', message);
    return true;
  });
}

describe('sandbox ecs', () => {
  let sb: SandboxHandle;
  const clients = new Map<string, ECSClient>();
  const ecs = (region: string) => {
    if (!clients.has(region)) clients.set(region, new ECSClient(sdkConfig(sb.endpoint, region, 1)));
    return clients.get(region)!;
  };
  const api = async () => (await ecs('eu-west-1').send(new DescribeServicesCommand({ cluster: 'demo-euw1', services: ['api'] }))).services![0];

  before(async () => {
    sb = await withSandbox({ timeScale: 1 });
  });
  after(async () => {
    for (const c of clients.values()) c.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('DescribeServices: steady services from the world; a missing one is a MISSING failure, not an error', async () => {
    const res = await ecs('eu-west-1').send(
      new DescribeServicesCommand({ cluster: 'demo-euw1', services: ['api', `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/demo-euw1/worker`, 'ghost'] }),
    );
    assert.deepEqual(
      res.services?.map((s) => [s.serviceName, s.status, s.desiredCount, s.runningCount, s.pendingCount, s.deployments?.length]),
      [
        ['api', 'ACTIVE', 2, 2, 0, 1],
        ['worker', 'ACTIVE', 1, 1, 0, 1],
      ],
    );
    const s = res.services![0];
    assert.equal(s.serviceArn, `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/demo-euw1/api`);
    assert.equal(s.clusterArn, `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/demo-euw1`);
    assert.equal(s.deployments?.[0]?.status, 'PRIMARY');
    assert.equal(s.deployments?.[0]?.rolloutState, 'COMPLETED');
    assert.ok(s.createdAt instanceof Date && Math.abs(s.createdAt.getTime() - sb.control.now()) < 60_000);
    assert.deepEqual(res.failures, [{ arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/demo-euw1/ghost`, reason: 'MISSING' }]);
  });

  test('errors: unknown cluster (also one in another region), more than 10 services', async () => {
    await rejectsAs(
      ecs('eu-west-1').send(new DescribeServicesCommand({ cluster: 'nope', services: ['api'] })),
      'ClusterNotFoundException',
      /^Cluster not found\.$/,
    );
    await rejectsAs(ecs('eu-west-1').send(new DescribeServicesCommand({ cluster: 'demo-use1', services: ['api'] })), 'ClusterNotFoundException');
    await rejectsAs(ecs('eu-west-1').send(new ListServicesCommand({ cluster: 'nope' })), 'ClusterNotFoundException');
    await rejectsAs(ecs('eu-west-1').send(new UpdateServiceCommand({ cluster: 'nope', service: 'api', desiredCount: 1 })), 'ClusterNotFoundException');
    const eleven = Array.from({ length: 11 }, (_, i) => `s${i}`);
    await rejectsAs(ecs('eu-west-1').send(new DescribeServicesCommand({ cluster: 'demo-euw1', services: eleven })), 'InvalidParameterException');
  });

  test('UpdateService: running converges a batch at a time with the batch in flight pending; still one deployment', async () => {
    const res = await ecs('eu-west-1').send(new UpdateServiceCommand({ cluster: 'demo-euw1', service: 'api', desiredCount: 8 }));
    assert.equal(res.service?.desiredCount, 8);
    assert.equal(res.service?.runningCount, 2);
    const seen: [number, number, number][] = [];
    for (const step of [10_000, 20_000, 20_000]) {
      // The demo world's tasks take 20 simulated seconds to start; sample mid-batch.
      sb.control.advance(step);
      const s = await api();
      seen.push([s.runningCount!, s.pendingCount!, s.deployments!.length]);
    }
    assert.deepEqual(seen, [
      [2, 3, 1],
      [5, 3, 1],
      [8, 0, 1],
    ]);
    assert.equal((await api()).deployments?.[0]?.rolloutState, 'COMPLETED');
    const calls = sb.control.calls().filter((c) => c.operation === 'UpdateService');
    assert.deepEqual(
      calls.map((c) => [c.region, c.mutating, c.status]),
      [['eu-west-1', true, 200]],
    );
  });

  test('UpdateService: scale-in is quick; missing service and bad input are errors', async () => {
    await ecs('us-east-1').send(new UpdateServiceCommand({ cluster: 'demo-use1', service: 'api', desiredCount: 1 }));
    sb.control.advance(6_000);
    const s = (await ecs('us-east-1').send(new DescribeServicesCommand({ cluster: 'demo-use1', services: ['api'] }))).services![0];
    assert.deepEqual([s.desiredCount, s.runningCount, s.pendingCount], [1, 1, 0]);
    await rejectsAs(
      ecs('eu-west-1').send(new UpdateServiceCommand({ cluster: 'demo-euw1', service: 'ghost', desiredCount: 1 })),
      'ServiceNotFoundException',
      /^Service not found\.$/,
    );
    await rejectsAs(ecs('eu-west-1').send(new UpdateServiceCommand({ cluster: 'demo-euw1', service: 'api', desiredCount: -1 })), 'InvalidParameterException');
    await rejectsAs(
      ecs('eu-west-1').send(new UpdateServiceCommand({ cluster: 'demo-euw1', service: 'api', forceNewDeployment: true })),
      'InvalidParameterException',
      /desiredCount changes only/,
    );
    assert.equal((await api()).desiredCount, 2);
  });

  test('DescribeClusters: counts per cluster, failures for missing ones', async () => {
    const res = await ecs('us-east-1').send(new DescribeClustersCommand({ clusters: ['demo-use1', 'ghost'] }));
    assert.deepEqual(
      res.clusters?.map((c) => [c.clusterName, c.status, c.runningTasksCount, c.pendingTasksCount, c.activeServicesCount]),
      [['demo-use1', 'ACTIVE', 10, 0, 2]],
    );
    assert.deepEqual(res.failures, [{ arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/ghost`, reason: 'MISSING' }]);
  });

  test('an injected server error comes back as ServerException, a server fault', async () => {
    sb.control.setFaults({ errors: [{ service: 'ecs', operation: 'DescribeServices', code: 'ServerException', message: 'injected', status: 500, count: 1 }] });
    await assert.rejects(api(), (e: { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number; requestId?: string } }) => {
      assert.deepEqual([e.name, e.$fault, e.$metadata?.httpStatusCode], ['ServerException', 'server', 500]);
      assert.ok(e.$metadata?.requestId);
      return true;
    });
    assert.equal((await api()).runningCount, 2);
  });

  test('an unknown X-Amz-Target is UnknownOperationException', async () => {
    const res = await rawRequest(sb.endpoint, {
      service: 'ecs',
      region: 'eu-west-1',
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DeleteEverything' },
      body: '{}',
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      __type: 'UnknownOperationException',
      message: 'Unknown operation AmazonEC2ContainerServiceV20141113.DeleteEverything',
    });
  });

  test('ListServices pages by nextToken, 10 by default', async () => {
    await sb.stop();
    sb = await withSandbox({
      timeScale: 1,
      worldOverrides: (w) => {
        const c = (w.ecs!.clusters as unknown as { name: string; services: { name: string; desired: number }[] }[]).find((x) => x.name === 'demo-euw1')!;
        c.services.push(...Array.from({ length: 23 }, (_, i) => ({ name: `svc-${String(i).padStart(2, '0')}`, desired: 1 })));
      },
    });
    for (const c of clients.values()) c.destroy();
    clients.clear();
    const pages: number[] = [];
    const arns: string[] = [];
    for await (const p of paginateListServices({ client: ecs('eu-west-1') }, { cluster: 'demo-euw1' })) {
      pages.push(p.serviceArns?.length ?? 0);
      arns.push(...(p.serviceArns ?? []));
    }
    assert.deepEqual(pages, [10, 10, 5]);
    assert.equal(new Set(arns).size, 25);
    const big = await ecs('eu-west-1').send(new ListServicesCommand({ cluster: 'demo-euw1', maxResults: 100 }));
    assert.equal(big.serviceArns?.length, 25);
    assert.equal(big.nextToken, undefined);
    await rejectsAs(ecs('eu-west-1').send(new ListServicesCommand({ cluster: 'demo-euw1', maxResults: 0 })), 'InvalidParameterException');
    await rejectsAs(ecs('eu-west-1').send(new ListServicesCommand({ cluster: 'demo-euw1', nextToken: 'bogus' })), 'InvalidParameterException');
  });
});
