// Issue 11 item 11: data at risk is read again before an unplanned cut. The operator approves the
// replication lag the plan showed; when it has grown past that by more than the bound (topology
// cutLagMarginMs, default 30 s) by the time the cut's stage starts, --yes refuses (exit 3, nothing more
// changed, on record in the audit log). Here the lag grows between plan and cut because us-east-1 goes
// down after the plan was made (the sandbox's lag then grows with the time since the outage); the
// lock's Route 53 call is slowed so the outage is in force well before the cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditEvents, waitForEvent, worldState, type World, useWorld } from './playbook-harness.js';
import { waitForOutput } from '../helpers/run-mr.js';

let world: World;
useWorld((w) => (world = w));

test(
  'the lag grew past what was approved between plan and cut: --yes refuses before the cut (exit 3), nothing more changed, on record',
  { timeout: 120_000 },
  async () => {
    world.sandbox.control.setFaults({ latency: { ChangeResourceRecordSets: 1500 } });
    const run = world.start(['aurora', 'failover', 'eu-west-1', '--yes', '--allow-data-loss']);
    // The plan is on record (read with us-east-1 up: a small lag approved); now the region goes down.
    const plan = await waitForEvent(world.stateDir, (events) => events.find((e) => e.type === 'plan'), run.done);
    world.sandbox.control.setFaults({ regionsDown: ['us-east-1'] });
    const r = await run.done;
    assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
    assert.match(
      r.stderr,
      /stopped before stage aurora: failover: replication lag before the cut is [\d.]+ s, [\d.]+ s more than the [\d.]+ s of data at risk approved \(bound 30\.0 s\)/,
    );
    assert.match(r.stderr, /nothing was applied/);

    // Nothing was cut: no FailoverGlobalCluster call, the writer is where it was.
    assert.ok(!world.sandbox.control.calls().some((c) => c.operation === 'FailoverGlobalCluster'));
    assert.equal((await worldState(world.aws, ['us-east-1'])).writer, 'us-east-1');
    const events = (await auditEvents(world.stateDir)).filter((e) => e.runId === plan.runId);
    const refused = events.find((e) => e.type === 'recheck.refused');
    assert.ok(refused, 'the refusal is in the audit log');
    assert.equal(refused.data?.step, 'failover');
    assert.match(String(refused.data?.error), /more data may be lost than was approved/);
    assert.ok(!events.some((e) => e.type === 'intent' && (e.data?.call as { operation?: string })?.operation === 'FailoverGlobalCluster'));
    assert.equal(events.find((e) => e.type === 'run.finished')?.data?.outcome, 'refused');
  },
);

test(
  'the source was already down when the plan was approved (its lag above aurora.maxLagMs): the lag that keeps growing is shown, and the cut goes on',
  { timeout: 120_000 },
  async () => {
    world.sandbox.control.setFaults({ regionsDown: ['us-east-1'], latency: { ChangeResourceRecordSets: 1500 } });
    const r = await world.mr(['aurora', 'failover', 'eu-west-1', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /replication was already impaired \(lag above its bound\) when the plan was approved/);
    assert.equal((await worldState(world.aws, ['us-east-1'])).writer, 'eu-west-1');
  },
);

test('on a terminal the grown lag is asked again, and declining it stops before the cut (exit 4), nothing more changed', { timeout: 120_000 }, async () => {
  const run = world.start(['aurora', 'failover', 'eu-west-1', '--allow-data-loss'], { tty: true, columns: 120 });
  await waitForOutput(run, (out) => /Type eu-west-1 to apply:/.test(out));
  // Approved with us-east-1 up (a small lag); the region goes down before the cut's stage starts.
  // 300 ms at the tests' time scale (600) is three simulated minutes of outage: the lag grows past the
  // 30 s bound before the answer reaches the run.
  world.sandbox.control.setFaults({ regionsDown: ['us-east-1'] });
  await new Promise((r) => setTimeout(r, 300));
  run.child.stdin!.write('eu-west-1\r');
  await waitForOutput(run, (out) => /Fail over anyway, losing up to [\d.]+ s of writes\?/.test(out));
  run.child.stdin!.write('n\r');
  const r = await run.done;
  assert.equal(r.code, 4, r.stdout);
  assert.match(r.stdout, /replication lag before the cut is [\d.]+ s, [\d.]+ s more than the [\d.]+ s of data at risk approved/);
  assert.ok(!world.sandbox.control.calls().some((c) => c.operation === 'FailoverGlobalCluster'));
  assert.equal((await worldState(world.aws, ['us-east-1'])).writer, 'us-east-1');
});
