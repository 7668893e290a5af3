// `mr failover` end to end: the built CLI against the sandbox, planned and unplanned, with the
// timing report shown, stored and printed again by `mr report`.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { auditEvents, failedOverToEuw1, intents, jsonDocs, openWorld, waitForEvent, worldState, type World } from './playbook-harness.js';
import { waitForOutput } from '../helpers/run-mr.js';

let world: World;

before(async () => {
  world = await openWorld();
});

after(async () => {
  await world.close();
});

beforeEach(async () => {
  await world.reset();
});

const FAST = ['--var', 'bake=0s'];

describe('mr failover (planned)', () => {
  test('moves writer, cache primary, weights and capacity to eu-west-1, then reports', async () => {
    const r = await world.mr(['failover', 'eu-west-1', '--yes', ...FAST]);
    assert.equal(r.code, 0, r.stderr);
    const s = await worldState(world.aws);
    assert.deepEqual({ writer: s.writer, auroraStatus: s.auroraStatus, cachePrimary: s.cachePrimary, cacheStatus: s.cacheStatus, weights: s.weights }, failedOverToEuw1);
    assert.deepEqual(s.ecs['eu-west-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });
    // The source keeps its capacity: a planned failover does not scale the old side down.
    assert.deepEqual(s.ecs['us-east-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });

    assert.match(r.stdout, /Timing report, run (\S+)/);
    assert.match(r.stdout, /capacity\s+scale-target\s+ecs\.scale\s+\S+\s+\S+\s+\S+\s+succeeded/);
    assert.match(r.stdout, /data\s+switch-db\s+aurora\.switchover\s+.*succeeded/);
    assert.match(r.stdout, /RTO, first change to verified: \S+/);
    assert.match(r.stdout, /RPO bound, replication lag at the cut: 80 ms \(switch-db, eu-west-1\)/);

    // Every mutation on record, each once: 2 ECS services, 1 switchover, 1 promotion, 3 weight steps.
    const made = intents(await auditEvents(world.stateDir)).map((i) => i.operation).sort();
    assert.deepEqual(made, ['ChangeResourceRecordSets', 'ChangeResourceRecordSets', 'ChangeResourceRecordSets', 'FailoverGlobalReplicationGroup', 'SwitchoverGlobalCluster', 'UpdateService', 'UpdateService']);
    const verify = await world.mr(['audit', 'verify']);
    assert.equal(verify.code, 0, verify.stderr + verify.stdout);
  });

  test('--json: plan, result and report documents; `mr report` prints the stored report again', async () => {
    const r = await world.mr(['--json', 'failover', 'eu-west-1', '--yes', ...FAST]);
    assert.equal(r.code, 0, r.stderr);
    const docs = jsonDocs(r.stdout);
    const plan = docs.find((d) => d.fingerprint) as { playbook: string; vars: Record<string, string>; stages: { name: string }[] };
    assert.equal(plan.playbook, 'failover');
    assert.equal(plan.vars.target, 'eu-west-1');
    assert.deepEqual(plan.stages.map((s) => s.name), ['preflight', 'capacity', 'data', 'traffic']);
    const report = docs.find((d) => d.rto) as { runId: string; rto: { ms: number; verified: boolean }; rpo: { boundMs: number }; steps: { id: string; durationMs?: number }[] };
    assert.ok(report, 'a report document');
    assert.equal(report.rto.verified, true);
    assert.ok(report.rto.ms > 0);
    assert.equal(report.rpo.boundMs, 80);
    assert.ok(report.steps.find((s) => s.id === 'shift-traffic')?.durationMs !== undefined);

    const again = await world.mr(['--json', 'report', report.runId]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(jsonDocs(again.stdout)[0], report);
    const text = await world.mr(['report', report.runId]);
    assert.match(text.stdout, new RegExp(`Timing report, run ${report.runId}`));
    assert.match(text.stdout, /outcome: succeeded/);

    const missing = await world.mr(['report', '20200101T000000Z-000000']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no run record for 20200101T000000Z-000000/);
  });

  test('--dry-run shows the whole plan and changes nothing', async () => {
    const r = await world.mr(['failover', 'eu-west-1', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    for (const id of ['target-healthy', 'scale-target', 'switch-db', 'promote-cache', 'shift-traffic']) assert.match(r.stdout + r.stderr, new RegExp(id));
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating).length, 0);
  });

  test('no region on a terminal: offers the regions with their health and roles, then plans the one chosen', async () => {
    const run = world.start(['failover', '--dry-run'], { tty: true, columns: 120 });
    await waitForOutput(run, (out) => /Fail over to which region\?/.test(out) && /us-west-2/.test(out));
    const menu = run.output();
    assert.match(menu, /us-east-1\s+healthy \(8\/8 checkers\), Aurora writer, cache primary, serving traffic/);
    assert.match(menu, /eu-west-1\s+healthy \(8\/8 checkers\)/);
    run.child.stdin!.write('\x1b[B'); // down: eu-west-1
    await waitForOutput(run, (out) => /❯ eu-west-1/.test(out.slice(menu.length)));
    run.child.stdin!.write('\r');
    const r = await run.done;
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Plan \S+ for demo: failover eu-west-1 \(playbook failover\)/);
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating).length, 0);
  });

  test('no region and no terminal: exit 2 naming the choices', async () => {
    const r = await world.mr(['failover', '--yes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /a target region is required \(one of us-east-1, eu-west-1, us-west-2\)/);
  });

  test('a region outside the topology: exit 2', async () => {
    const r = await world.mr(['failover', 'ap-south-1', '--yes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown region "ap-south-1"/);
  });
});

describe('mr failover --unplanned', () => {
  test('us-east-1 down: fails over to eu-west-1 without one call to a us-east-1 regional endpoint', async () => {
    world.sandbox.control.setFaults({ regionsDown: ['us-east-1'] });
    const r = await world.mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr);
    const calls = world.sandbox.control.calls();
    const s = await worldState(world.aws, ['us-east-1']);
    assert.equal(s.writer, 'eu-west-1');
    assert.equal(s.cachePrimary, 'eu-west-1');
    assert.deepEqual(s.weights, failedOverToEuw1.weights);
    assert.deepEqual(s.ecs['eu-west-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });

    // Route 53 is a global service: its SigV4 scope is always us-east-1, but it is its own control
    // plane, not the region's endpoints, and it answers while the region is down. Every regional
    // service (RDS, ElastiCache, ECS, STS, CloudWatch) must stay away from the failed region.
    const regional = calls.filter((c) => c.service !== 'route53');
    assert.ok(regional.length > 0);
    assert.deepEqual(regional.filter((c) => c.region === 'us-east-1').map((c) => `${c.service} ${c.operation}`), []);
    assert.ok(calls.some((c) => c.service === 'rds' && c.operation === 'FailoverGlobalCluster' && c.region === 'eu-west-1'));
    assert.match(r.stdout, /RPO bound, replication lag at the cut: \d+ ms \(failover-db, eu-west-1\); unplanned failover/);
  });

  test("Route 53's control plane stops answering mid-run: the traffic step says so, exit 5 with the rest done; resume finishes", async () => {
    world.sandbox.control.setFaults({ regionsDown: ['us-east-1'] });
    const run = world.start(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    const started = await waitForEvent(world.stateDir, (events) => events.find((e) => e.type === 'step.started' && e.data?.step === 'failover-db'), run.done);
    world.sandbox.control.setFaults({ route53ControlPlaneDown: true });
    const r = await run.done;
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /stopped at shift-traffic: Route 53's control plane \(us-east-1\) does not answer, so record weights cannot be changed now; rely on health-check-driven failover/);
    assert.match(r.stderr, new RegExp(`mr resume ${started.runId}`));
    const mid = await worldState(world.aws, ['us-east-1']);
    assert.equal(mid.writer, 'eu-west-1');
    assert.equal(mid.cachePrimary, 'eu-west-1');
    const events = await auditEvents(world.stateDir);
    assert.ok(events.some((e) => e.type === 'step.failed' && e.data?.step === 'shift-traffic'), 'the failure is on record');
    // Its lock could not be released (its home is down): the resume, on this host, takes it over.
    assert.ok(events.some((e) => e.type === 'lock.failed'));

    world.sandbox.control.setFaults({ route53ControlPlaneDown: false });
    const resumed = await world.mr(['resume', started.runId, '--yes', '--allow-data-loss']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual((await worldState(world.aws, ['us-east-1'])).weights, failedOverToEuw1.weights);
    const ops = intents(await auditEvents(world.stateDir)).filter((i) => i.ok === true).map((i) => i.operation).sort();
    assert.deepEqual(ops, ['ChangeResourceRecordSets', 'FailoverGlobalCluster', 'FailoverGlobalReplicationGroup', 'UpdateService', 'UpdateService']);
  });

  test("Route 53's control plane down: refused without --no-lock; with it, capacity and data move, traffic is left out (exit 5), a re-run finishes", async () => {
    world.sandbox.control.setFaults({ regionsDown: ['us-east-1'], route53ControlPlaneDown: true });
    const args = ['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss'];
    const refused = await world.mr(args);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /cannot take the run lock: Route 53's control plane \(us-east-1\), where the lock lives, does not answer/);
    assert.match(refused.stderr, /--no-lock/);
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating && c.status !== 0).length, 0, 'nothing changed');

    const run = await world.mr([...args, '--no-lock']);
    assert.equal(run.code, 5, run.stderr);
    assert.match(run.stderr, /WITHOUT the run lock/);
    assert.match(run.stderr, /Left out of this run: target-healthy \(gate\.health\), shift-traffic \(route53\.shift\)/);
    assert.match(run.stderr, /health-check-driven failover/);
    assert.match(run.stderr, /when Route 53 answers again, run `mr failover eu-west-1 --unplanned`/);
    const mid = await worldState(world.aws, ['us-east-1']);
    assert.equal(mid.writer, 'eu-west-1');
    assert.equal(mid.cachePrimary, 'eu-west-1');
    assert.deepEqual(mid.ecs['eu-west-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });
    const events = await auditEvents(world.stateDir);
    assert.equal(events.find((e) => e.type === 'lock.acquired')?.data?.skipped, true, 'the skipped lock is on record');
    assert.deepEqual(intents(events).map((i) => i.operation).sort(), ['FailoverGlobalCluster', 'FailoverGlobalReplicationGroup', 'UpdateService', 'UpdateService']);

    // Route 53 is back: the same command finishes the job, making only the weight change.
    world.sandbox.control.setFaults({ route53ControlPlaneDown: false });
    const again = await world.mr(args);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((await worldState(world.aws, ['us-east-1'])).weights, failedOverToEuw1.weights);
    assert.deepEqual(intents(await auditEvents(world.stateDir)).map((i) => i.operation).sort(), ['ChangeResourceRecordSets', 'FailoverGlobalCluster', 'FailoverGlobalReplicationGroup', 'UpdateService', 'UpdateService']);
  });
});
