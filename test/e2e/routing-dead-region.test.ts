// route53.drain where a region has no control check and is down (issue 12, item 1): its own check is
// failing, so inverting it would read healthy and send clients back to the dead region. The drain leaves
// it alone (a no-op for that region, with a warning), and TestDNSAnswer never answers the dead region.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GetHealthCheckCommand } from '@aws-sdk/client-route-53';
import { API_VALUES, NEAR, dropControlChecks, playbookFile, useLatencyWorld, withoutControlChecks, type LatencyEnv } from './latency-world.js';

const API = 'api.latency.example.com';
const USE1_CHECK = '7a7e0000-0000-4000-8000-0000000a0001';

// One step, its STS call in eu-west-1 (us-east-1 is down in these tests).
const DRAIN_ONE = (region: string) => `version: 1
name: drain-dns-only
region: eu-west-1
stages:
  - name: traffic
    steps:
      - id: drain-region
        kind: route53.drain
        with: { region: ${region} }
`;

async function inverted(e: LatencyEnv, id: string): Promise<boolean | undefined> {
  return (await e.r53.send(new GetHealthCheckCommand({ HealthCheckId: id }))).HealthCheck?.HealthCheckConfig?.Inverted;
}

describe('drain without control checks', () => {
  let e: LatencyEnv;
  useLatencyWorld({ world: withoutControlChecks, topology: dropControlChecks }, (x) => (e = x));

  test('the source region is down: the drain leaves its failing check alone and DNS never answers it', async () => {
    e.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    e.sb.control.advance(60_000); // the checkers have seen the outage
    assert.deepEqual(await e.answer(API, 'A', NEAR['us-east-1']), [API_VALUES['eu-west-1']], 'out of DNS through its failing check');
    const file = await playbookFile(e, 'drain-one', DRAIN_ONE('us-east-1'));
    const r = await e.mr(['run', file, '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(
      r.stdout + r.stderr,
      /us-east-1: its own health check 7a7e0000-0000-4000-8000-0000000a0001 is failing, so Route 53 already leaves us-east-1 out/,
    );
    assert.match(r.stdout + r.stderr, /comes back into DNS by itself when its check recovers: to hold a region out of DNS whatever its health/);
    assert.equal(await inverted(e, USE1_CHECK), false, 'the failing check is not inverted');
    assert.equal(e.sb.control.calls().filter((c) => c.operation === 'UpdateHealthCheck').length, 0, 'no health check changed');
    for (const near of Object.values(NEAR)) assert.notDeepEqual(await e.answer(API, 'A', near), [API_VALUES['us-east-1']], `a client at ${near}`);
    e.sb.control.advance(60_000);
    assert.deepEqual(await e.answer(API, 'A', NEAR['us-east-1']), [API_VALUES['eu-west-1']], 'still out a minute later');
  });

  test('a check mr inverted while the region was up, failing now, is put back so the failing check keeps the region out', async () => {
    const file = await playbookFile(e, 'drain-one', DRAIN_ONE('us-east-1'));
    const first = await e.mr(['run', file, '--yes']);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.equal(await inverted(e, USE1_CHECK), true);
    e.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    e.sb.control.advance(60_000);
    // The inverted failing check reads healthy: Route 53 answers the dead region again.
    assert.deepEqual(await e.answer(API, 'A', NEAR['us-east-1']), [API_VALUES['us-east-1']]);
    const r = await e.mr(['run', file, '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout + r.stderr, /us-east-1: its own health check \S+ is inverted and failing/);
    assert.equal(await inverted(e, USE1_CHECK), false);
    assert.deepEqual(await e.answer(API, 'A', NEAR['us-east-1']), [API_VALUES['eu-west-1']]);
  });

  test('a healthy region without a control check is still drained by inverting its own check', async () => {
    const file = await playbookFile(e, 'drain-one', DRAIN_ONE('ap-southeast-1'));
    const r = await e.mr(['run', file, '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(await inverted(e, '7a7e0000-0000-4000-8000-0000000a0003'), true);
    assert.deepEqual(await e.answer(API, 'A', NEAR['ap-southeast-1']), [API_VALUES['eu-west-1']]);
  });
});
