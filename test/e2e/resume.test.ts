// Crash and resume: `mr failover` killed with SIGKILL in the middle of each stage of the planned
// failover, then `mr resume <run-id>`: the world ends where an uninterrupted failover leaves it, and
// no mutation is made twice (audit intents and the sandbox's call log agree).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import type { AuditEvent } from '../../src/audit/types.js';
import { loadTopologyFile } from '../../src/config/load.js';
import { acquireLock } from '../../src/engine/lock.js';
import { demoTopology } from '../helpers/paths.js';
import { auditEvents, failedOverToEuw1, intents, openWorld, waitForEvent, worldState, type World } from './playbook-harness.js';
import { recordingSink } from '../helpers/fake-aws.js';

let world: World;

before(async () => {
  world = await openWorld();
});

after(async () => {
  await world.close();
});

/** The nth intent of a step, once it is in the log. */
const nthIntent = (step: string, nth: number) => (events: AuditEvent[]) => events.filter((e) => e.type === 'intent' && e.data?.step === step)[nth - 1];

// Where to pull the plug, one point per stage of failover.yaml.
const killPoints: { stage: string; when: string; pick: (events: AuditEvent[]) => AuditEvent | undefined }[] = [
  // The lock is taken after planning, before the first step: the preflight gates have not run yet.
  { stage: 'preflight', when: 'lock just taken', pick: (events) => events.find((e) => e.type === 'lock.acquired') },
  { stage: 'capacity', when: 'first ECS scale sent', pick: nthIntent('scale-target', 1) },
  { stage: 'data', when: 'Aurora switchover sent', pick: nthIntent('switch-db', 1) },
  { stage: 'traffic', when: 'second weight step sent', pick: nthIntent('shift-traffic', 2) },
  // Every change made: the resume has only gates to check, so it takes no lock and clears the one left.
  { stage: 'verify', when: 'verify gate started', pick: (events) => events.find((e) => e.type === 'step.started' && e.data?.step === 'verify-target-healthy') },
];

describe('mr resume after SIGKILL', () => {
  for (const point of killPoints) {
    test(`killed in ${point.stage} (${point.when}): resume finishes without repeating a change`, async () => {
      await world.reset();
      const run = world.start(['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
      const hit = await waitForEvent(world.stateDir, point.pick, run.done);
      run.child.kill('SIGKILL');
      const killed = await run.done;
      assert.equal(killed.signal, 'SIGKILL', 'the run was still going when killed');
      const runId = hit.runId;

      if (point.stage === 'data') {
        // The killed run never stored a report: `mr report` computes it from its record.
        const rep = await world.mr(['report', runId]);
        assert.equal(rep.code, 0, rep.stderr);
        assert.match(rep.stdout, /capacity\s+scale-target\s+ecs\.scale\s+.*succeeded/);
        assert.match(rep.stdout, /data\s+switch-db\s+aurora\.switchover\s+\S+\s+-\s+-\s+interrupted/);
        assert.match(rep.stdout, /RTO, first change to last finished step \(run did not finish\)/);
        assert.match(rep.stdout, new RegExp(`outcome: running \\(no end recorded: if its process is gone, \`mr resume ${runId}\` continues it\\)`));

        // Without a run id: report shows the latest run, resume names it (a script must name what it
        // resumes) and on a terminal offers it, declined here: exit 4, nothing resumed.
        const latest = await world.mr(['report']);
        assert.equal(latest.code, 0, latest.stderr);
        assert.match(latest.stderr, new RegExp(`the latest run of demo: ${runId}`));
        assert.match(latest.stdout, /data\s+switch-db\s+aurora\.switchover/);
        const named = await world.mr(['resume', '--yes']);
        assert.equal(named.code, 2);
        assert.match(named.stderr, new RegExp(`^error: no run-id given; the run left part way is run ${runId} \\(failover eu-west-1, running, last written `));
        assert.match(named.stderr, new RegExp(`continue it with: mr resume ${runId}\n`));
        const offered = await world.mr(['resume'], { tty: true, input: 'n\r' });
        assert.equal(offered.code, 4, offered.stdout);
        assert.match(offered.stdout, new RegExp(`Resume run ${runId} \\(failover eu-west-1`));
      }

      const resumed = await world.mr(['resume', runId, '--yes']);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, new RegExp(`resuming run ${runId}`));
      assert.match(resumed.stdout, new RegExp(`Timing report, run \\S+ \\(continues ${runId}\\)`));
      // The preflight gates are checked again on resume. Once the data stage is done the target is
      // the Aurora writer, with no lag to read: it counts as lag 0 instead of refusing the resume.
      assert.match(resumed.stdout, /✓ target-lag\s+gate\.lag\s+passed/);
      assert.match(resumed.stdout, /✓ verify-target-healthy\s+gate\.health\s+passed/);
      if (point.stage === 'traffic' || point.stage === 'verify') {
        assert.match(resumed.stdout, /check ✓ eu-west-1 lag under bound: demo-euw1 in eu-west-1 is the Aurora writer \(the replication source\): lag 0 ms/);
      }
      if (point.stage === 'verify') {
        assert.match(resumed.stderr, /no changes to make: the remaining steps only check or wait \(no approval, no lock\)/);
        assert.ok(!(await auditEvents(world.stateDir)).some((e) => e.runId !== runId && e.type === 'lock.acquired'), 'the resume took no lock');
      }

      const s = await worldState(world.aws);
      assert.deepEqual(
        { writer: s.writer, auroraStatus: s.auroraStatus, cachePrimary: s.cachePrimary, cacheStatus: s.cacheStatus, weights: s.weights },
        failedOverToEuw1,
      );
      assert.deepEqual(s.ecs['eu-west-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } });

      const events = await auditEvents(world.stateDir);
      const started = events.filter((e) => e.type === 'run.started');
      // A resume with only gates left takes no lock, so the one the killed run left is released
      // afterwards as a run of its own.
      if (point.stage === 'verify') {
        assert.equal(started.length, 3);
        assert.equal(started[2].data?.command, `release the lock left by run ${runId}`);
      } else {
        assert.equal(started.length, 2);
      }
      assert.equal(started[1].data?.resumeOf, runId, 'the resume is linked to the run it continues');

      // No change twice. Every change AWS answered (operation, target, what was sent) is unique across
      // both runs. An intent the killed run wrote but never saw answered may be made again by the
      // resume only if it never reached AWS, which the call counts below pin down.
      const made = intents(events);
      const answered = made.filter((i) => i.ok === true);
      const keys = answered.map((i) => JSON.stringify([i.operation, i.target, i.params]));
      assert.equal(
        new Set(keys).size,
        keys.length,
        `a mutation was repeated:\n${made.map((i) => `${i.runId} ${i.step} ${i.ok} ${JSON.stringify(i.params)}`).join('\n')}`,
      );
      // ...and the sandbox saw each one-shot operation exactly once, however the work was split.
      const calls = world.sandbox.control.calls().filter((c) => c.mutating && c.status === 200);
      const count = (op: string) => calls.filter((c) => c.operation === op).length;
      assert.equal(count('SwitchoverGlobalCluster'), 1);
      assert.equal(count('FailoverGlobalReplicationGroup'), 1);
      // Each eu-west-1 service's count is sent at most once. Raising MinCapacity above the desired count
      // makes Application Auto Scaling scale the service out to it by itself (the sandbox's scalable
      // targets do too), so a resume planned after that finds the count already there and sends none.
      const updates = calls.filter((c) => c.operation === 'UpdateService').map((c) => (JSON.parse(c.request?.body ?? '{}') as { service?: string }).service);
      assert.deepEqual([...new Set(updates)].sort(), [...updates].sort(), `a service's count was sent twice: ${updates.join(', ')}`);
      assert.ok(updates.length >= 1 && updates.length <= 2, `UpdateService ${updates.length} times`);
      // Route 53: each weight change on record reached it at most once (lock changes included).
      const allIntents = events.filter((e) => e.type === 'intent' && (e.data?.call as { operation: string }).operation === 'ChangeResourceRecordSets');
      assert.ok(count('ChangeResourceRecordSets') <= allIntents.length, 'no Route 53 change without an intent');

      // The killed run's lock was taken over by the resume (its process is gone), then released.
      const status = await world.mr(['lock', 'status']);
      assert.match(status.stdout, /not locked/);
      const verify = await world.mr(['audit', 'verify']);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    });
  }

  test('resuming a finished run changes nothing but the lock it left; an unknown or malformed id exits 2', async () => {
    await world.reset();
    const done = await world.mr(['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
    assert.equal(done.code, 0, done.stderr);
    const runId = (await auditEvents(world.stateDir)).find((e) => e.type === 'run.started')!.runId;
    // As if its process had been killed between its last step and releasing its lock.
    const topology = await loadTopologyFile(demoTopology, 'demo');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    await acquireLock(
      { route53: world.aws.route53(), changes: world.aws.mutating(recordingSink()).route53(), topology },
      { runId, actor: 'ops', host: hostname(), pid: deadPid },
    );
    world.sandbox.control.clearCalls();

    const again = await world.mr(['resume', runId, '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`run ${runId} finished \\(succeeded\\): nothing to resume`));
    assert.match(again.stderr, new RegExp(`released the lock left by run ${runId} \\(its process is gone\\)`));
    const changes = world.sandbox.control.calls().filter((c) => c.mutating);
    assert.deepEqual(
      changes.map((c) => c.operation),
      ['ChangeResourceRecordSets'],
      'only the lock record was deleted',
    );
    assert.match((await world.mr(['lock', 'status'])).stdout, /not locked/);
    const released = (await auditEvents(world.stateDir)).filter((e) => e.type === 'lock.released').pop();
    assert.equal((released?.data?.previous as { runId: string }).runId, runId);

    const unknown = await world.mr(['resume', '20200101T000000Z-000000']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no run 20200101T000000Z-000000/);
    const bad = await world.mr(['resume', '../../etc/passwd']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not a run id/);
  });
});
