// mr redis promote, spawned against a sandbox in this process.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createAws } from '../../src/aws/factory.js';
import { assertAudited, assertNothingChanged, auditEvents, auditVerifies, inWorld, mr, mutating, stepIntents, type World } from './steps-helpers.js';
import { recordingSink } from '../helpers/fake-aws.js';

interface DatastoreSnap {
  globalDatastores: { primary: string }[];
}
const primary = (w: World) => (w.sb.control.snapshot().services.elasticache as DatastoreSnap).globalDatastores[0].primary;

/** A promotion that outlasts any planning, however loaded the machine: the tests move the clock on. */
const LONG_S = 36_000;
const promotions = (w: World) => mutating(w).filter((c) => c.startsWith('elasticache '));

/** Resolves once `seen()` holds; rejects if `run` ends first. */
async function until(seen: () => boolean | Promise<boolean>, run: Promise<unknown>): Promise<void> {
  let ended = false;
  void run.finally(() => (ended = true));
  while (!(await seen())) {
    if (ended) throw new Error('mr ended before the awaited point');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Each test has its own sandbox and state dir, so two run at once (they mostly wait on polls).
describe('mr redis promote', { concurrency: 2 }, () => {
  test('promotes the region, called there, audited; a re-run is a no-op with no mutating call', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['redis', 'promote', 'eu-west-1', '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(primary(w), 'demo-sessions-euw1');
      assert.deepEqual(await stepIntents(w), ['elasticache eu-west-1 FailoverGlobalReplicationGroup']);
      await assertAudited(w);
      await auditVerifies(w);
      const before = mutating(w).length;
      const again = await mr(w, ['redis', 'promote', 'eu-west-1', '--yes']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /nothing to do/);
      assert.equal(mutating(w).length, before);
    }));

  test('without a terminal and without --yes (exit 4), or declined at the prompt (exit 4): nothing changed', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['redis', 'promote', 'eu-west-1']);
      assert.equal(r.code, 4, r.stderr);
      const d = await mr(w, ['redis', 'promote', 'eu-west-1'], { tty: true, input: 'n\r' });
      assert.equal(d.code, 4, d.stdout);
      assert.match(d.stdout, /declined/);
      assert.equal(primary(w), 'demo-sessions-use1');
      await assertNothingChanged(w);
    }));

  test('an audit log that cannot be written: exit 1, no mutating call', () =>
    inWorld(async (w) => {
      await mkdir(join(w.stateDir, 'audit', 'demo.ndjson'), { recursive: true });
      const r = await mr(w, ['redis', 'promote', 'eu-west-1', '--yes']);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(mutating(w), []);
      assert.equal(primary(w), 'demo-sessions-use1');
    }));

  test('a datastore still modifying from another promotion: AWS allows the promotion anytime, so mr promotes (exit 0)', () =>
    inWorld(
      async (w) => {
        const aws = createAws({ endpointUrl: w.sb.endpoint, credentials: { accessKeyId: 'AKIAMRE2ESTEPS000000', secretAccessKey: 'x' } });
        try {
          await aws.mutating(recordingSink()).elasticache('us-west-2').failoverGlobalDatastore('ldgnf-demo-sessions', 'us-west-2', 'demo-sessions-usw2');
        } finally {
          aws.destroy();
        }
        const run = mr(w, ['redis', 'promote', 'eu-west-1', '--yes']);
        // Once mr's own promotion is in, let the simulated hours pass so its wait ends.
        await until(() => mutating(w).includes('elasticache eu-west-1 FailoverGlobalReplicationGroup'), run);
        w.sb.control.advance(LONG_S * 1000);
        const r = await run;
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout + r.stderr, /modifying: AWS allows a promotion while other modifications are in progress/);
        assert.deepEqual(promotions(w), ['elasticache us-west-2 FailoverGlobalReplicationGroup', 'elasticache eu-west-1 FailoverGlobalReplicationGroup']);
        assert.equal(primary(w), 'demo-sessions-euw1');
      },
      { worldOverrides: (wf) => void (wf.durations.datastoreFailover = LONG_S) },
    ));

  test('a resume right after a crash: its own promotion under way is recognised and waited for, not sent again', () =>
    inWorld(
      async (w) => {
        // The promotion mr sent before it died: accepted, still running when mr plans again (ten hours: the test moves the clock).
        const aws = createAws({ endpointUrl: w.sb.endpoint, credentials: { accessKeyId: 'AKIAMRE2ESTEPS000000', secretAccessKey: 'x' } });
        try {
          await aws.mutating(recordingSink()).elasticache('eu-west-1').failoverGlobalDatastore('ldgnf-demo-sessions', 'eu-west-1', 'demo-sessions-euw1');
        } finally {
          aws.destroy();
        }
        const run = mr(w, ['redis', 'promote', 'eu-west-1', '--yes']);
        await until(async () => (await auditEvents(w)).some((e) => e.type === 'step.started' && (e.data as { inProgress?: boolean }).inProgress === true), run);
        w.sb.control.advance(LONG_S * 1000);
        const r = await run;
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout + r.stderr, /demo-sessions-euw1 is being promoted/);
        assert.deepEqual(
          promotions(w),
          ['elasticache eu-west-1 FailoverGlobalReplicationGroup'],
          'not sent a second time (the lock record is the only other change)',
        );
        assert.equal(primary(w), 'demo-sessions-euw1');
      },
      { worldOverrides: (wf) => void (wf.durations.datastoreFailover = LONG_S) },
    ));

  test('an AWS error from the promotion stops the run with the error and a record', () =>
    inWorld(async (w) => {
      w.sb.control.setFaults({
        errors: [
          {
            service: 'elasticache',
            operation: 'FailoverGlobalReplicationGroup',
            code: 'InvalidGlobalReplicationGroupState',
            message: 'injected for the test',
            status: 400,
            count: 1,
          },
        ],
      });
      const r = await mr(w, ['redis', 'promote', 'eu-west-1', '--yes']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /InvalidGlobalReplicationGroupState/);
      assert.equal(primary(w), 'demo-sessions-use1');
      await assertAudited(w);
      const result = (await auditEvents(w)).find((e) => e.type === 'result' && (e.data as { step?: string }).step === 'promote');
      assert.equal((result?.data as { ok: boolean }).ok, false);
      await auditVerifies(w);
    }));

  test("with the primary's region down: data loss, so --yes alone is refused; with --allow-data-loss it promotes without calling that region", () =>
    inWorld(async (w) => {
      w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
      const refused = await mr(w, ['redis', 'promote', 'us-west-2', '--yes']);
      assert.equal(refused.code, 3, refused.stderr);
      assert.match(refused.stderr, /--allow-data-loss/);
      assert.equal(primary(w), 'demo-sessions-use1');
      const r = await mr(w, ['redis', 'promote', 'us-west-2', '--yes', '--allow-data-loss']);
      assert.match(r.stdout, /data-loss/);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(primary(w), 'demo-sessions-usw2');
      assert.deepEqual(
        w.sb.control.calls().filter((c) => c.region === 'us-east-1' && c.service !== 'route53'),
        [],
      );
      await assertAudited(w);
    }));

  test('an unknown region is bad input (exit 2)', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['redis', 'promote', 'eu-central-1', '--yes']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /eu-central-1.*us-east-1, eu-west-1, us-west-2/);
      assert.deepEqual(w.sb.control.calls(), []);
    }));
});
