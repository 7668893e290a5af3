// `mr failover` end to end: the built CLI against the sandbox, planned and unplanned, with the
// timing report shown, stored and printed again by `mr report`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { auditEvents, failedOverToEuw1, intents, jsonDocs, openWorld, waitForEvent, worldState, type World, useWorld } from './playbook-harness.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitForOutput } from '../helpers/run-mr.js';
import { repoRoot } from '../helpers/paths.js';
import { runEventSchema } from '../../src/engine/events.js';

let world: World;
useWorld((w) => (world = w));

const FAST = ['--var', 'bake=0s'];

describe('mr failover (planned)', () => {
  test('moves writer, cache primary, weights and capacity to eu-west-1, then reports', async () => {
    const r = await world.mr(['failover', 'eu-west-1', '--yes', ...FAST]);
    assert.equal(r.code, 0, r.stderr);
    const s = await worldState(world.aws);
    assert.deepEqual(
      { writer: s.writer, auroraStatus: s.auroraStatus, cachePrimary: s.cachePrimary, cacheStatus: s.cacheStatus, weights: s.weights },
      failedOverToEuw1,
    );
    assert.deepEqual(s.ecs['eu-west-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });
    // The source keeps its capacity: a planned failover does not scale the old side down.
    assert.deepEqual(s.ecs['us-east-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });

    assert.match(r.stdout, /Timing report, run (\S+)/);
    assert.match(r.stdout, /capacity\s+scale-target\s+ecs\.scale\s+\S+\s+\S+\s+\S+\s+succeeded/);
    assert.match(r.stdout, /data\s+switch-db\s+aurora\.switchover\s+.*succeeded/);
    assert.match(r.stdout, /RTO, first change to verified: \S+/);
    assert.match(r.stdout, /RPO bound, replication lag at the cut: 80 ms \(switch-db, eu-west-1\)/);
    // The gates were checked again when the run reached them, the last one after the traffic moved.
    assert.match(r.stdout, /preflight\s+target-healthy\s+gate\.health\s+\S+\s+\S+\s+\S+\s+passed/);
    assert.match(r.stdout, /preflight\s+target-lag\s+gate\.lag\s+\S+\s+\S+\s+\S+\s+passed/);
    assert.match(r.stdout, /verify\s+verify-target-healthy\s+gate\.health\s+\S+\s+\S+\s+\S+\s+passed/);
    assert.match(r.stdout, /✓ verify-target-healthy\s+gate\.health\s+passed/);

    // Every mutation on record, each once: 2 ECS services (each with its scalable target's MinCapacity
    // raised first), 1 switchover, 1 promotion, 3 weight steps.
    const made = intents(await auditEvents(world.stateDir))
      .map((i) => i.operation)
      .sort();
    assert.deepEqual(made, [
      'ChangeResourceRecordSets',
      'ChangeResourceRecordSets',
      'ChangeResourceRecordSets',
      'FailoverGlobalReplicationGroup',
      'RegisterScalableTarget',
      'RegisterScalableTarget',
      'SwitchoverGlobalCluster',
      'UpdateService',
      'UpdateService',
    ]);
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
    assert.deepEqual(
      plan.stages.map((s) => s.name),
      ['preflight', 'capacity', 'data', 'traffic', 'verify'],
    );
    const report = docs.find((d) => d.rto) as {
      runId: string;
      rto: { ms: number; to: string; verified: boolean };
      rpo: { boundMs: number };
      steps: { id: string; durationMs?: number }[];
    };
    assert.ok(report, 'a report document');
    assert.equal(report.rto.verified, true);
    assert.ok(report.rto.ms > 0);
    assert.equal(report.rpo.boundMs, 80);
    assert.ok(report.steps.find((s) => s.id === 'shift-traffic')?.durationMs !== undefined);
    // The verify gate ends the RTO.
    assert.equal(report.rto.to, (report.steps.find((s) => s.id === 'verify-target-healthy') as { endedAt?: string }).endedAt);

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

  test('--json is NDJSON: every line of a real failover is one event valid by the documented schema; stderr says each check once', async () => {
    const r = await world.mr(['--json', 'failover', 'eu-west-1', '--yes', ...FAST]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const events = lines.map((line, i) => {
      const parsed = runEventSchema.safeParse(JSON.parse(line));
      assert.ok(parsed.success, `line ${i + 1} is not a valid event: ${parsed.success ? '' : parsed.error.message}\n${line}`);
      return parsed.data;
    });
    const types = events.map((e) => e.type);
    assert.equal(types[0], 'plan');
    assert.deepEqual(types.slice(-2), ['result', 'report']);
    for (const id of ['target-healthy', 'target-lag', 'scale-target', 'switch-db', 'promote-cache', 'shift-traffic', 'verify-target-healthy']) {
      const started = events.findIndex((e) => e.type === 'step.started' && e.step === id);
      const finished = events.findIndex((e) => e.type === 'step.finished' && e.step.id === id);
      assert.ok(started > 0 && finished > started, `${id}: step.started then step.finished`);
    }
    assert.ok(types.includes('progress'));
    const result = events.find((e) => e.type === 'result');
    assert.equal(result?.type === 'result' && result.outcome, 'succeeded');
    // The documented doc names every event type the schema has.
    const doc = await readFile(join(repoRoot, 'src/cli/render/RUN-JSON.md'), 'utf8');
    for (const t of ['plan', 'step.started', 'progress', 'step.finished', 'result', 'report'])
      assert.ok(doc.includes(`| \`${t}\` |`), `RUN-JSON.md documents ${t}`);
    // Each gate's verdict is on stderr once, not twice.
    const lagLines = r.stderr.split('\n').filter((l) => /lag 80 ms is within the bound 1000 ms/.test(l));
    assert.equal(lagLines.length, 1, lagLines.join('\n'));
  });

  test('--dry-run shows the whole plan and changes nothing', async () => {
    const r = await world.mr(['failover', 'eu-west-1', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    for (const id of ['target-healthy', 'target-lag', 'scale-target', 'switch-db', 'promote-cache', 'shift-traffic', 'verify-target-healthy'])
      assert.match(r.stdout + r.stderr, new RegExp(id));
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating).length, 0);
  });

  test('no region on a terminal: offers the regions with their health and roles, then plans the one chosen', async () => {
    const run = world.start(['failover', '--dry-run'], { tty: true, columns: 120 });
    await waitForOutput(run, (out) => /Fail over to which region\?/.test(out) && /us-west-2/.test(out));
    const menu = run.output();
    assert.match(menu, /us-east-1\s+healthy \(8\/8 checkers\), Aurora writer, cache primary, serving traffic/);
    assert.match(menu, /eu-west-1\s+healthy \(8\/8 checkers\)/);
    // Issue 11 item 2: the current primary is shown but cannot be picked; the cursor starts on the
    // healthiest standby (eu-west-1: first in topology order of the equally healthy ones).
    assert.match(menu, /us-east-1\s+healthy \(8\/8 checkers\), Aurora writer, cache primary, serving traffic \(current\)/);
    assert.match(menu, /❯ eu-west-1/);
    run.child.stdin!.write('\r');
    const r = await run.done;
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Plan \S+ for demo: failover eu-west-1 \(playbook failover\)/);
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating).length, 0);
  });

  test('no region on a terminal with eu-west-1 unreachable: it is shown disabled and the default is us-west-2', async () => {
    world.sandbox.control.setFaults({ regionsDown: ['eu-west-1'] });
    const run = world.start(['failover', '--dry-run'], { tty: true, columns: 160 });
    await waitForOutput(run, (out) => /Fail over to which region\?/.test(out) && /us-west-2/.test(out));
    const menu = run.output();
    assert.match(menu, /eu-west-1\s+UNREACHABLE \(.*\(unreachable\)/);
    assert.match(menu, /❯ us-west-2/);
    run.child.stdin!.write('\r');
    const r = await run.done;
    world.sandbox.control.clearFaults();
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Plan \S+ for demo: failover us-west-2 \(playbook failover\)/);
  });

  test('a failover to the region that already holds every role: "already primary", exit 0, no run recorded', async () => {
    const r = await world.mr(['failover', 'us-east-1', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /us-east-1 is already primary .*: nothing to fail over/);
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating).length, 0);
    assert.deepEqual(await auditEvents(world.stateDir), []);
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
    assert.deepEqual(
      regional.filter((c) => c.region === 'us-east-1').map((c) => `${c.service} ${c.operation}`),
      [],
    );
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
    assert.match(
      r.stderr,
      /stopped at shift-traffic: Route 53's control plane \(us-east-1\) does not answer, so record weights cannot be changed now; rely on health-check-driven failover/,
    );
    assert.match(r.stderr, new RegExp(`mr resume ${started.runId}`));
    const mid = await worldState(world.aws, ['us-east-1']);
    assert.equal(mid.writer, 'eu-west-1');
    assert.equal(mid.cachePrimary, 'eu-west-1');
    const events = await auditEvents(world.stateDir);
    assert.ok(
      events.some((e) => e.type === 'step.failed' && e.data?.step === 'shift-traffic'),
      'the failure is on record',
    );
    // Its lock could not be released (its home is down): the resume, on this host, takes it over.
    assert.ok(events.some((e) => e.type === 'lock.failed'));

    world.sandbox.control.setFaults({ route53ControlPlaneDown: false });
    const resumed = await world.mr(['resume', started.runId, '--yes', '--allow-data-loss']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual((await worldState(world.aws, ['us-east-1'])).weights, failedOverToEuw1.weights);
    const ops = intents(await auditEvents(world.stateDir))
      .filter((i) => i.ok === true)
      .map((i) => i.operation)
      .sort();
    assert.deepEqual(ops, [
      'ChangeResourceRecordSets',
      'FailoverGlobalCluster',
      'FailoverGlobalReplicationGroup',
      'RegisterScalableTarget',
      'RegisterScalableTarget',
      'UpdateService',
      'UpdateService',
    ]);
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
    assert.match(
      run.stderr,
      /Left out of this run: target-healthy \(gate\.health\), shift-traffic \(route53\.shift\), point-data \(route53\.point\), drain-others \(route53\.drain\), verify-target-healthy \(gate\.health\)/,
    );
    assert.match(run.stderr, /health-check-driven failover/);
    assert.match(run.stderr, /when Route 53 answers again, run `mr failover eu-west-1 --unplanned`/);
    const mid = await worldState(world.aws, ['us-east-1']);
    assert.equal(mid.writer, 'eu-west-1');
    assert.equal(mid.cachePrimary, 'eu-west-1');
    assert.deepEqual(mid.ecs['eu-west-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });
    const events = await auditEvents(world.stateDir);
    assert.equal(events.find((e) => e.type === 'lock.acquired')?.data?.skipped, true, 'the skipped lock is on record');
    assert.deepEqual(
      intents(events)
        .map((i) => i.operation)
        .sort(),
      ['FailoverGlobalCluster', 'FailoverGlobalReplicationGroup', 'RegisterScalableTarget', 'RegisterScalableTarget', 'UpdateService', 'UpdateService'],
    );

    // Route 53 is back: the same command finishes the job, making only the weight change.
    world.sandbox.control.setFaults({ route53ControlPlaneDown: false });
    const again = await world.mr(args);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((await worldState(world.aws, ['us-east-1'])).weights, failedOverToEuw1.weights);
    assert.deepEqual(
      intents(await auditEvents(world.stateDir))
        .map((i) => i.operation)
        .sort(),
      [
        'ChangeResourceRecordSets',
        'FailoverGlobalCluster',
        'FailoverGlobalReplicationGroup',
        'RegisterScalableTarget',
        'RegisterScalableTarget',
        'UpdateService',
        'UpdateService',
      ],
    );
  });
});

// The sandbox clock barely moves by itself here (time scale 0.001): the test moves it, so it can
// turn the target unhealthy at an exact point of the run, after the last weight change was accepted
// (and so after the shift's own health gates) but before that change is INSYNC.
describe('mr failover: gates checked when the run reaches them', () => {
  let driven: World;
  before(async () => {
    driven = await openWorld({ timeScale: 0.001 });
  });
  after(async () => {
    await driven.close();
  });

  const acceptedChanges = () => driven.sandbox.control.calls().filter((c) => c.operation === 'ChangeResourceRecordSets' && c.status === 200).length;

  /** Advance simulated time 10 s at a time until `until()` holds: it is checked synchronously before
   * each step, so no time passes between the awaited call being accepted and the test acting on it. */
  async function drive(until: () => boolean, done: Promise<unknown>): Promise<void> {
    let finished = false;
    void done.then(() => (finished = true));
    while (!until()) {
      if (finished) throw new Error('mr exited before the point the test drives to');
      driven.sandbox.control.advance(10_000);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  test('the target turns unhealthy after the last weight change: the verify gate fails (exit 5, naming it); a resume once it recovers makes no call that changes anything', async () => {
    await driven.reset();
    const run = driven.start(['failover', 'eu-west-1', '--yes', ...FAST]);
    // The run lock's TXT record is one accepted change; the three weight steps are the next three.
    await drive(() => acceptedChanges() >= 4, run.done);
    driven.sandbox.control.setFaults({ unhealthyApps: ['eu-west-1'] });
    // Past the checkers' failure threshold (3 x 10 s) and Route 53's propagation (30 s) at once.
    driven.sandbox.control.advance(10 * 60_000);
    const r = await run.done;
    assert.equal(r.code, 5, r.stderr);
    assert.match(
      r.stderr,
      /stopped at verify-target-healthy: gate failed: eu-west-1 healthy: eu-west-1 health check \S+: 1 of 8 checkers report success: not healthy \(observed 1\/8, bound more than 18% of checkers\), checked for 200ms/,
    );
    const runId = (await auditEvents(driven.stateDir)).find((e) => e.type === 'run.started')!.runId;
    assert.match(r.stderr, new RegExp(`mr resume ${runId}`));
    assert.match(r.stdout, /✓ target-healthy\s+gate\.health\s+passed/);
    assert.match(r.stdout, /✓ shift-traffic\s+route53\.shift\s+succeeded/);
    assert.match(r.stdout, /✗ verify-target-healthy\s+gate\.health\s+failed/);
    // Everything before the gate was done, once.
    const s = await worldState(driven.aws);
    assert.deepEqual(
      { writer: s.writer, cachePrimary: s.cachePrimary, weights: s.weights },
      { writer: 'eu-west-1', cachePrimary: 'eu-west-1', weights: failedOverToEuw1.weights },
    );
    const events = await auditEvents(driven.stateDir);
    assert.ok(events.some((e) => e.type === 'step.failed' && e.data?.step === 'verify-target-healthy'));
    assert.equal(events.filter((e) => e.type === 'lock.released').length, 1, 'the failed run released its lock');

    // The app recovers; the resume has only gates left: no approval, no lock, no mutating call.
    driven.sandbox.control.clearFaults();
    driven.sandbox.control.advance(10 * 60_000);
    driven.sandbox.control.clearCalls();
    const resumed = await driven.mr(['resume', runId]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /no changes to make: the remaining steps only check or wait \(no approval, no lock\)/);
    assert.match(resumed.stdout, /✓ verify-target-healthy\s+gate\.health\s+passed/);
    assert.match(resumed.stdout, /- shift-traffic\s+route53\.shift\s+skipped \(already done\)/);
    assert.deepEqual(
      driven.sandbox.control
        .calls()
        .filter((c) => c.mutating)
        .map((c) => c.operation),
      [],
    );
  });
});
