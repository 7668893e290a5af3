// The unplanned failover over the latency world (issue 12, item 2): us-east-1 down, `mr failover
// eu-west-1 --unplanned` moves the data, points the db/cache CNAMEs at eu-west-1's endpoints and drains
// the other regions' latency records through their control checks, calling no us-east-1 regional endpoint.
// us-east-1 recovering afterwards does not bring it back into DNS (its control check holds it out).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GetHealthCheckCommand } from '@aws-sdk/client-route-53';
import { API_VALUES, NEAR, useLatencyWorld, type LatencyEnv } from './latency-world.js';

const API = 'api.latency.example.com';

describe('latency world: unplanned failover', () => {
  let e: LatencyEnv;
  useLatencyWorld({}, (x) => (e = x));

  test('us-east-1 down: DNS answers eu-west-1, the CNAMEs follow the data, no us-east-1 regional call; recovery keeps it out', async () => {
    e.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    e.sb.control.advance(60_000);
    e.sb.control.clearCalls();
    const r = await e.mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const regional = e.sb.control.calls().filter((c) => c.service !== 'route53' && c.region === 'us-east-1');
    assert.deepEqual(
      regional.map((c) => `${c.service} ${c.operation}`),
      [],
      'no call to a us-east-1 regional endpoint',
    );
    assert.match(r.stdout, /point-data\s+route53\.point\s+succeeded/);
    assert.match(r.stdout, /drain-others\s+route53\.drain\s+succeeded/);
    assert.deepEqual(await e.answer(API, 'A', NEAR['us-east-1']), [API_VALUES['eu-west-1']], 'a client near us-east-1 gets eu-west-1');
    assert.deepEqual(await e.answer(API, 'A', NEAR['ap-southeast-1']), [API_VALUES['eu-west-1']], 'ap-southeast-1 drained too: all traffic to the target');
    assert.deepEqual(await e.answer('db.latency.example.com', 'CNAME'), ['lat-euw1.cluster-c0ffee.eu-west-1.rds.amazonaws.com']);
    assert.deepEqual(await e.answer('cache.latency.example.com', 'CNAME'), ['master.lat-sessions-euw1.c0ffee.euw1.cache.amazonaws.com']);
    for (const id of ['7a7e0000-0000-4000-8000-0000000b0001', '7a7e0000-0000-4000-8000-0000000b0003'])
      assert.equal((await e.r53.send(new GetHealthCheckCommand({ HealthCheckId: id }))).HealthCheck?.HealthCheckConfig?.Inverted, true, id);
    // Status shows the global writer endpoint (its name does not change; Aurora re-points it).
    const status = await e.mr(['status', '--json']);
    const doc = JSON.parse(status.stdout) as { aurora: { global: { value: { writerEndpoint?: string } } } };
    assert.equal(doc.aurora.global.value.writerEndpoint, 'lat-global.global-c0ffee.global.rds.amazonaws.com');
    assert.match((await e.mr(['status'])).stdout, /Aurora\s+lat-global\s+\S+\s+global writer endpoint lat-global\.global-c0ffee\.global\.rds\.amazonaws\.com/);
    // us-east-1 comes back: its application check recovers, its control check still holds it out.
    e.sb.control.setFaults({ regionsDown: [] });
    e.sb.control.advance(120_000);
    assert.deepEqual(await e.answer(API, 'A', NEAR['us-east-1']), [API_VALUES['eu-west-1']], 'the recovered region stays out of DNS');
  });
});
