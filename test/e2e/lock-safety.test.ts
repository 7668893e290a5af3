// Issue 11, item 1: a run whose lock was force-released stops; `lock release --force <run-id>`; the
// approval prompt times out and releases the lock. Driven on a terminal (script(1)).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { waitForOutput } from '../helpers/run-mr.js';
import { auditEvents, intents, jsonDocs, worldState, type World, useWorld } from './playbook-harness.js';
import { recordingSink } from '../helpers/fake-aws.js';

let world: World;
useWorld((w) => (world = w));

async function holder(): Promise<{ runId: string; pid: number } | null> {
  const status = await world.mr(['--json', 'lock', 'status']);
  return (jsonDocs(status.stdout)[0] as { holder: { runId: string; pid: number } | null }).holder;
}

describe('the run lock held across the approval prompt', () => {
  test('force-released while the run waits at its prompt: the run stops with exit 3 and changes nothing', async () => {
    const before = await worldState(world.aws);
    const a = world.start(['failover', 'eu-west-1', '--var', 'bake=0s'], { tty: true, columns: 120 });
    await waitForOutput(a, (out) => /Apply \d+ changes?/.test(out));
    const held = await holder();
    assert.ok(held, 'run A holds the lock at its prompt');

    // The holder is alive on this host: refused without --yes, naming it; a wrong run id is refused too.
    const alive = await world.mr(['lock', 'release', '--force', held.runId]);
    assert.equal(alive.code, 3, alive.stderr);
    assert.match(alive.stderr, new RegExp(`run ${held.runId} is still running on this host \\(pid ${held.pid}\\)`));
    const wrong = await world.mr(['lock', 'release', '--force', '20200101T000000Z-000000', '--yes']);
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, new RegExp(`the lock is held by run ${held.runId}, not 20200101T000000Z-000000`));
    assert.equal((await holder())?.runId, held.runId);

    const forced = await world.mr(['lock', 'release', '--force', held.runId, '--yes']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr + forced.stdout, /STILL RUNNING on this host/);

    a.child.stdin!.write('y\r');
    const r = await a.done;
    assert.equal(r.code, 3, r.stdout);
    assert.match(
      r.stdout,
      new RegExp(`stopped before stage \\S+: the run lock is no longer this run's \\(${held.runId}\\): the lock record is gone; nothing was applied`),
    );
    // Nothing but lock calls from run A, and the world as it was.
    const events = await auditEvents(world.stateDir);
    assert.deepEqual(
      intents(events).filter((i) => i.runId === held.runId && i.step !== 'lock'),
      [],
    );
    assert.ok(events.some((e) => e.runId === held.runId && e.type === 'lock.failed' && e.data?.lost === true));
    const released = events.find((e) => e.type === 'lock.released' && e.data?.forced === true);
    assert.equal(released?.data?.approvedBy, 'flag --yes');
    assert.equal(released?.data?.holderAlive, true);
    assert.deepEqual(await worldState(world.aws), before);
    assert.equal((await world.mr(['audit', 'verify'])).code, 0);
  });

  test('an unanswered prompt gives up after --approval-timeout (exit 4) and releases the lock', async () => {
    // The lock is read in this process (a Route 53 read, milliseconds): spawning `mr lock status` takes
    // seconds on a loaded machine, longer than the prompt waits.
    const { readLockState } = await import('../../src/engine/lock.js');
    const { loadTopologyFile } = await import('../../src/config/load.js');
    const { demoTopology } = await import('../helpers/paths.js');
    const topology = await loadTopologyFile(demoTopology, 'demo');
    const lockRunId = async () => (await readLockState(world.aws.route53(), topology)).value?.runId;
    const a = world.start(['failover', 'eu-west-1', '--approval-timeout', '4s'], { tty: true, columns: 120 });
    await waitForOutput(a, (out) => /Apply \d+ changes?/.test(out));
    assert.ok(await lockRunId(), 'the run holds the lock at its prompt');
    const r = await a.done;
    assert.equal(r.code, 4, r.stdout);
    assert.match(r.stdout, /no answer within 4 s; nothing was applied/);
    assert.equal(await lockRunId(), undefined);
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating && c.operation !== 'ChangeResourceRecordSets').length, 0);
  });

  test('lock release --force <run-id> asks on a terminal (default No) and keeps the lock when declined', async () => {
    const { acquireLock } = await import('../../src/engine/lock.js');
    const { loadTopologyFile } = await import('../../src/config/load.js');
    const { demoTopology } = await import('../helpers/paths.js');
    const topology = await loadTopologyFile(demoTopology, 'demo');
    await acquireLock(
      { route53: world.aws.route53(), changes: world.aws.mutating(recordingSink()).route53(), topology },
      { runId: '20260101T000000Z-0dead0', actor: 'bob@elsewhere', host: 'elsewhere', pid: 1 },
    );
    const run = world.start(['lock', 'release', '--force', '20260101T000000Z-0dead0'], { tty: true });
    await waitForOutput(run, (out) => /Release the lock of run 20260101T000000Z-0dead0 on demo\?/.test(out));
    run.child.stdin!.write('\r');
    const r = await run.done;
    assert.equal(r.code, 4, r.stdout);
    assert.equal((await holder())?.runId, '20260101T000000Z-0dead0');
    const script = await world.mr(['lock', 'release', '--force', '20260101T000000Z-0dead0']);
    assert.equal(script.code, 4);
    assert.match(script.stderr, /re-run with --yes/);
  });
});
