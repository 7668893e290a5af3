// route53.shift, gate.health and gate.lag against the sandbox: stepped shifts, INSYNC waits, the
// health gate restoring the weights, UPSERTs that keep every other field, Route 53 unreachable.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordSet } from '../../src/aws/types.js';
import { FailedError, RolledBackError, RefusedError } from '../../src/io/errors.js';
import { readHealth } from '../../src/steps/health.js';
import { stepImpls } from '../../src/steps/index.js';
import { harness, mutatingCalls, recorder, type Harness } from './steps-harness.js';

const ZONE = 'Z0MRDEMO0000001';
const shift = stepImpls['route53.shift'];

async function weighted(h: Harness): Promise<RecordSet[]> {
  const r53 = h.aws.route53();
  return [...(await r53.readRecords(ZONE, 'api.demo.example.com.', 'A')), ...(await r53.readRecords(ZONE, 'app.demo.example.com.', 'CNAME'))];
}

const weights = (records: RecordSet[]) => Object.fromEntries(records.map((r) => [`${r.type} ${r.setIdentifier}`, r.weight]));
const withoutWeight = (records: RecordSet[]) => records.map(({ weight: _w, ...rest }) => rest);

async function untilUnhealthy(h: Harness, region: string): Promise<void> {
  const id = h.topology.route53!.healthChecks[region];
  // The sandbox's checkers notice after a few simulated check intervals (milliseconds at 600x).
  while ((await readHealth(h.aws, region, id)).healthy) await new Promise((r) => setTimeout(r, 10));
}

describe('route53.shift against the sandbox', () => {
  let h: Harness;
  before(async () => (h = await harness()));
  after(() => h.stop());
  beforeEach(() => h.sandbox.control.reset());

  test('a stepped shift: one change batch per step, INSYNC between, a bake, every other field kept; then a no-op', async () => {
    const before = await weighted(h);
    const step = await shift.plan('shift', { to: 'eu-west-1', steps: [50, 100], bake: '1s' }, h.plan);
    assert.deepEqual(
      step.checks.filter((c) => !c.passed),
      [],
    );
    const rec = recorder(h.plan);
    await shift.apply(step, rec.ctx);
    await shift.verify(step, rec.ctx);

    assert.equal(rec.mutations.length, 2);
    const batch = (i: number) =>
      (rec.mutations[i].params.changes as { record: RecordSet }[]).map((c) => `${c.record.type} ${c.record.setIdentifier}=${c.record.weight}`);
    assert.deepEqual(batch(0), ['A use1=50', 'A euw1=50', 'CNAME use1=50', 'CNAME euw1=50']);
    assert.deepEqual(batch(1), ['A use1=0', 'A euw1=100', 'CNAME use1=0', 'CNAME euw1=100']);
    // Per step: one poll interval before the first GetChange; between the steps: the 1 s bake.
    assert.deepEqual(rec.sleeps, [1000, 1000, 1000]);
    assert.ok(rec.waits.length >= 2 && rec.waits.every((w) => (w.intervalMs ?? 0) >= 1000), 'GetChange is polled at most once a second');

    const after = await weighted(h);
    assert.deepEqual(weights(after), { 'A euw1': 100, 'A use1': 0, 'A usw2': 0, 'CNAME euw1': 100, 'CNAME use1': 0, 'CNAME usw2': 0 });
    assert.deepEqual(withoutWeight(after), withoutWeight(before), 'TTL, values and health check ids unchanged');
    assert.deepEqual(mutatingCalls(h), ['route53 us-east-1 ChangeResourceRecordSets', 'route53 us-east-1 ChangeResourceRecordSets']);
    assert.equal((await shift.plan('shift', { to: 'eu-west-1', steps: [50, 100] }, h.plan)).noop, true);
  });

  test('under the account rate limit (5 requests a second) a stepped shift is never throttled', async () => {
    const step = await shift.plan('shift', { to: 'us-west-2', steps: [50, 100] }, h.plan);
    // A fresh limit starts with a full bucket: the plan's reads (and the approval that follows them) are not counted.
    h.sandbox.control.setFaults({ route53RateLimit: 5 });
    const rec = recorder(h.plan, undefined, true);
    await shift.apply(step, rec.ctx);
    await shift.verify(step, rec.ctx);
    const r53 = h.sandbox.control.calls().filter((c) => c.service === 'route53');
    assert.deepEqual(
      r53.filter((c) => c.throttled),
      [],
    );
    assert.deepEqual(weights(await weighted(h)), { 'A euw1': 0, 'A use1': 0, 'A usw2': 100, 'CNAME euw1': 0, 'CNAME use1': 0, 'CNAME usw2': 100 });
  });

  test('a health gate failing between steps restores the weights as they were, then fails the step', async () => {
    const before = await weighted(h);
    const step = await shift.plan('shift', { to: 'eu-west-1', steps: [10, 50, 100], bake: 5 }, h.plan);
    const rec = recorder(h.plan, async () => {
      h.sandbox.control.setFaults({ unhealthyApps: ['eu-west-1'] });
      await untilUnhealthy(h, 'eu-west-1');
    });
    await assert.rejects(shift.apply(step, rec.ctx), (e: unknown) => {
      assert.ok(e instanceof FailedError);
      assert.match(e.message, /health gate failed before 50% \(2 of 3\): eu-west-1 health check .*not healthy; weights restored/);
      return true;
    });
    assert.equal(rec.mutations.length, 2, 'the 10% step and the restore');
    assert.match(String(rec.mutations[1].params.comment), /restore after failed health gate/);
    assert.deepEqual(await weighted(h), before);
  });

  test('health is watched through the bake: a region sick early in a long bake is rolled back at once (issue 11 item 8)', async () => {
    const before = await weighted(h);
    const step = await shift.plan('shift', { to: 'eu-west-1', steps: [10, 100], bake: '30s' }, h.plan);
    let sickAt = 0;
    const rec = recorder(
      h.plan,
      async () => {
        if (sickAt) return;
        h.sandbox.control.setFaults({ unhealthyApps: ['eu-west-1'] });
        await untilUnhealthy(h, 'eu-west-1');
        sickAt = Date.now();
      },
      true,
    );
    await assert.rejects(shift.apply(step, rec.ctx), (e: unknown) => {
      assert.ok(e instanceof RolledBackError);
      assert.match(
        e.message,
        /health gate failed before 100% \(2 of 2\): eu-west-1 health check .*not healthy; weights restored to what they were before the step: us-east-1=\d+ eu-west-1=\d+ us-west-2=\d+ \(unhealthy \S+ into the 30s bake\)/,
      );
      return true;
    });
    // Seen within a few polls, not after the remaining ~30 s of the bake.
    assert.ok(Date.now() - sickAt < 10_000, `rolled back ${Date.now() - sickAt} ms after the region turned unhealthy`);
    assert.equal(rec.mutations.length, 2, 'the 10% step and the restore');
    assert.deepEqual(await weighted(h), before);
  });

  test('a target unhealthy at plan time fails the gate check (override --no-gate)', async () => {
    h.sandbox.control.setFaults({ unhealthyApps: ['us-west-2'] });
    await untilUnhealthy(h, 'us-west-2');
    const step = await shift.plan('shift', { to: 'us-west-2' }, h.plan);
    const gate = step.checks.find((c) => c.name === 'us-west-2 healthy')!;
    assert.equal(gate.passed, false);
    assert.equal(gate.override, '--no-gate');
  });

  test('weights leaving a group all zero are refused, naming the record', async () => {
    const step = await shift.plan('shift', { weights: { 'us-east-1': 0 } }, h.plan);
    const c = step.checks.find((x) => x.name === 'never all weights zero')!;
    assert.equal(c.passed, false);
    assert.match(c.message, /api\.demo\.example\.com\. A would have every weight 0/);
  });

  test("Route 53's control plane not answering: one line, pointing to health-check-driven failover, nothing changed", async () => {
    const step = await shift.plan('shift', { to: 'eu-west-1' }, h.plan);
    h.sandbox.control.setFaults({ route53ControlPlaneDown: true });
    const attempts = [shift.plan('shift', { to: 'eu-west-1' }, h.plan), shift.apply(step, recorder(h.plan).ctx)];
    // Both run at once; whichever fails first must not count as an unhandled rejection before it is awaited.
    for (const a of attempts) a.catch(() => undefined);
    for (const attempt of attempts) {
      await assert.rejects(
        attempt,
        (e: unknown) => e instanceof FailedError && !e.message.includes('\n') && /does not answer.*health-check-driven failover/.test(e.message),
      );
    }
    h.sandbox.control.clearFaults();
    assert.deepEqual(weights(await weighted(h)), { 'A euw1': 0, 'A use1': 100, 'A usw2': 0, 'CNAME euw1': 0, 'CNAME use1': 100, 'CNAME usw2': 0 });
  });
});

describe('gates against the sandbox', () => {
  let h: Harness;
  before(async () => (h = await harness()));
  after(() => h.stop());

  test('gate.health: planned passing (never a no-op), re-read when reached; unhealthy by then, it fails naming checkers and bound', async () => {
    h.sandbox.control.reset();
    const step = await stepImpls['gate.health'].plan('g', { region: 'eu-west-1', within: 0 }, h.plan);
    assert.equal(step.noop, false);
    assert.equal(step.checks[0].passed, true);
    h.sandbox.control.clearCalls();
    const ok = recorder(h.plan);
    await stepImpls['gate.health'].apply(step, ok.ctx);
    await stepImpls['gate.health'].verify(step, ok.ctx);
    assert.deepEqual(
      h.sandbox.control.calls().map((c) => `${c.service} ${c.operation}`),
      ['route53 GetHealthCheckStatus'],
    );
    assert.deepEqual(ok.mutations, []);

    h.sandbox.control.setFaults({ unhealthyApps: ['eu-west-1'] });
    await untilUnhealthy(h, 'eu-west-1');
    await assert.rejects(stepImpls['gate.health'].verify(step, recorder(h.plan).ctx), (e: unknown) => {
      assert.ok(e instanceof RefusedError, String(e));
      assert.match(
        e.message,
        /^gate failed: eu-west-1 healthy: eu-west-1 health check \S+: 1 of 8 checkers report success: not healthy \(observed 1\/8, bound more than 18% of checkers\)$/,
      );
      return true;
    });
    const refused = await stepImpls['gate.health'].plan('g', { region: 'eu-west-1' }, h.plan);
    assert.equal(refused.noop, false);
    assert.equal(refused.checks[0].passed, false);
  });

  test("gate.lag reads a secondary's lag from CloudWatch in its region; the writer counts as lag 0", async () => {
    h.sandbox.control.reset();
    h.sandbox.control.clearCalls();
    const ok = await stepImpls['gate.lag'].plan('g', { region: 'us-west-2' }, h.plan);
    assert.equal(ok.noop, false);
    assert.equal(ok.checks[0].observed, 120);
    assert.deepEqual(
      h.sandbox.control.calls().map((c) => `${c.service} ${c.region}`),
      ['rds us-west-2', 'monitoring us-west-2'],
    );
    const tight = await stepImpls['gate.lag'].plan('g', { region: 'us-west-2', maxLagMs: 50 }, h.plan);
    assert.equal(tight.checks[0].passed, false);

    // The writer publishes no lag datapoint: the gate does not ask for one.
    h.sandbox.control.clearCalls();
    const writer = await stepImpls['gate.lag'].plan('g', { region: 'us-east-1', maxLagMs: 50, within: 0 }, h.plan);
    assert.deepEqual([writer.checks[0].passed, writer.checks[0].observed], [true, 0]);
    assert.match(writer.checks[0].message, /demo-use1 in us-east-1 is the Aurora writer \(the replication source\)/);
    await stepImpls['gate.lag'].verify(writer, recorder(h.plan).ctx);
    assert.deepEqual(
      h.sandbox.control.calls().map((c) => `${c.service} ${c.region}`),
      ['rds us-east-1', 'rds us-east-1'],
    );
  });
});
