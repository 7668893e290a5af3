// Issue 11 item 3: a failover killed after its data stage leaves the writer and the cache primary in
// eu-west-1 with the traffic on us-east-1. Status calls that critical, and names the lock's holder
// and the unfinished run with the command that continues it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDocs, waitForEvent, worldState, type World, useWorld } from './playbook-harness.js';

let world: World;
useWorld((w) => (world = w));

describe('mr status after a failover stopped in its data stage', () => {
  test('split is critical (exit 1); the lock holder and `mr resume <run-id>` are shown', async () => {
    const run = world.start(['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
    const hit = await waitForEvent(world.stateDir, (events) => events.find((e) => e.type === 'step.started' && e.data?.step === 'shift-traffic'), run.done);
    run.child.kill('SIGKILL');
    await run.done;
    const runId = hit.runId;
    const s = await worldState(world.aws);
    assert.equal(s.writer, 'eu-west-1');
    assert.equal(s.cachePrimary, 'eu-west-1');

    const json = await world.mr(['--json', 'status']);
    assert.equal(json.code, 1, json.stderr);
    const doc = jsonDocs(json.stdout)[0] as {
      healthy: boolean;
      findings: { severity: string; message: string }[];
      lock: { locked: boolean; holder: { runId: string } };
      unfinishedRun: { runId: string; resume: string };
      endpoint: string;
    };
    assert.equal(doc.healthy, false);
    assert.equal(doc.findings[0].severity, 'critical');
    assert.match(doc.findings[0].message, /^traffic goes to us-east-1, whose data tier is read-only there: the aurora writer is in eu-west-1$/);
    assert.ok(doc.findings.some((f) => f.severity === 'warning' && f.message.includes(`continue with \`mr resume ${runId}\``)));
    assert.equal(doc.lock.holder.runId, runId);
    assert.equal(doc.unfinishedRun.resume, `mr resume ${runId}`);
    assert.match(doc.endpoint, /^http:\/\/127\.0\.0\.1:\d+/);

    const text = await world.mr(['status']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /DEGRADED {2}via http:\/\/127\.0\.0\.1:\d+/);
    assert.match(text.stdout, new RegExp(`run lock: .* holds it for run ${runId} .*its process \\(pid \\d+\\) is gone from this host`));
    assert.match(text.stdout, new RegExp(`unfinished run ${runId} \\(failover eu-west-1, running\\): continue with \`mr resume ${runId}\``));

    // Once resumed to the end, status is healthy again and names no unfinished run.
    const resumed = await world.mr(['resume', runId, '--yes']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const after = await world.mr(['--json', 'status']);
    const end = jsonDocs(after.stdout)[0] as { healthy: boolean; unfinishedRun: unknown; lock: { locked: boolean } };
    assert.equal(end.unfinishedRun, null);
    assert.equal(end.lock.locked, false);
  });
});
