// One run at a time: two `mr failover` started together, `mr lock status`, `mr lock release --force`.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { acquireLock } from '../../src/engine/lock.js';
import { loadTopologyFile } from '../../src/config/load.js';
import { demoTopology } from '../helpers/paths.js';
import { auditEvents, failedOverToEuw1, intents, jsonDocs, worldState, type World, useWorld } from './playbook-harness.js';
import { recordingSink } from '../helpers/fake-aws.js';

let world: World;
useWorld((w) => (world = w));

describe('the run lock, end to end', () => {
  test('two mr failover started together: exactly one runs, the other exits 3 naming the holder', async () => {
    const args = ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'];
    // Route 53 changes (the lock's CREATE first) answer late, so both runs have planned before either
    // holds the lock: on a loaded machine one process may otherwise start after the other has
    // finished, find nothing to do and exit 0, which tests nothing about the race.
    world.sandbox.control.setFaults({ latency: { ChangeResourceRecordSets: 1500 } });
    const [a, b] = await Promise.all([world.mr(args), world.mr(args)]);
    world.sandbox.control.clearFaults();
    const codes = [a.code, b.code].sort();
    assert.deepEqual(codes, [0, 3], `exit codes ${a.code} / ${b.code}\n${a.stderr}\n${b.stderr}`);
    const loser = a.code === 3 ? a : b;
    const winner = a.code === 0 ? a : b;
    const winnerRun = /Timing report, run (\S+)/.exec(winner.stdout)?.[1];
    assert.ok(winnerRun);
    assert.match(
      loser.stderr,
      new RegExp(
        `another run holds the lock on this topology: \\S+@\\S+ \\(arn:aws:iam::\\d+:user/\\S+\\) holds it for run ${winnerRun} since \\S+ \\(until \\S+\\)`,
      ),
    );

    // The loser changed nothing: every change on record belongs to the winner, and each was made once.
    const made = intents(await auditEvents(world.stateDir));
    assert.deepEqual([...new Set(made.map((i) => i.runId))], [winnerRun]);
    assert.equal(world.sandbox.control.calls().filter((c) => c.mutating && c.operation === 'SwitchoverGlobalCluster').length, 1);
    const s = await worldState(world.aws);
    assert.equal(s.writer, failedOverToEuw1.writer);
    assert.deepEqual(s.weights, failedOverToEuw1.weights);

    // The loser's refusal is on record too; the winner released the lock when done.
    const failed = (await auditEvents(world.stateDir)).filter((e) => e.type === 'lock.failed');
    assert.equal(failed.length, 1);
    assert.notEqual(failed[0].runId, winnerRun);
    const status = await world.mr(['lock', 'status']);
    assert.equal(status.code, 0);
    assert.match(status.stdout, /demo: not locked \(_mr-lock\.demo\.demo\.example\.com\.\)/);
  });

  test('lock status names a holder; release needs --force, is audited, and frees the topology', async () => {
    const topology = await loadTopologyFile(demoTopology, 'demo');
    // A lock left by a run that died on another machine.
    await acquireLock(
      { route53: world.aws.route53(), changes: world.aws.mutating(recordingSink()).route53(), topology },
      { runId: '20260101T000000Z-0dead0', actor: 'bob@elsewhere (arn:aws:iam::123456789012:user/bob)', host: 'elsewhere', pid: 1 },
    );
    const status = await world.mr(['--json', 'lock', 'status']);
    assert.equal(status.code, 0);
    const doc = jsonDocs(status.stdout)[0] as { locked: boolean; expired: boolean; holder: { runId: string; actor: string; host: string } };
    assert.equal(doc.locked, true);
    assert.equal(doc.expired, false);
    assert.equal(doc.holder.runId, '20260101T000000Z-0dead0');
    assert.equal(doc.holder.host, 'elsewhere');

    const blocked = await world.mr(['failover', 'eu-west-1', '--yes']);
    assert.equal(blocked.code, 3);
    assert.match(blocked.stderr, /bob@elsewhere .* holds it for run 20260101T000000Z-0dead0/);
    assert.match(blocked.stderr, /mr lock release --force/);
    // A resume of that run from here cannot see that it is dead: refused as well.
    const text = await world.mr(['lock', 'status']);
    assert.match(text.stdout, /demo: locked; bob@elsewhere .* holds it for run 20260101T000000Z-0dead0/);

    const noForce = await world.mr(['lock', 'release']);
    assert.equal(noForce.code, 2);
    assert.match(noForce.stderr, /needs --force/);

    // Like terraform force-unlock LOCK_ID: the holder's run id, and --yes without a terminal.
    const released = await world.mr(['lock', 'release', '--force', '20260101T000000Z-0dead0', '--yes']);
    assert.equal(released.code, 0, released.stderr);
    assert.match(released.stderr + released.stdout, /released the lock on demo \(bob@elsewhere .* holds it for run 20260101T000000Z-0dead0/);
    const events = await auditEvents(world.stateDir);
    const intent = events.find((e) => e.type === 'intent');
    assert.equal((intent?.data?.call as { target: string }).target, 'lock _mr-lock.demo.demo.example.com.');
    const rel = events.find((e) => e.type === 'lock.released');
    assert.equal(rel?.data?.forced, true);
    assert.equal((rel?.data?.previous as { runId: string }).runId, '20260101T000000Z-0dead0');
    assert.equal((await world.mr(['audit', 'verify'])).code, 0);

    assert.match((await world.mr(['lock', 'status'])).stdout, /not locked/);
    const nothing = await world.mr(['lock', 'release', '--force', '20260101T000000Z-0dead0']);
    assert.equal(nothing.code, 0);
    assert.match(nothing.stderr + nothing.stdout, /was not locked; nothing to release/);
  });
});
