// A parallel stage where one step fails (issue 13, found by the active-passive fault matrix): a sibling
// that has not sent its change yet (waiting for a lag to reach 0) is stopped there, so the run stops
// with exit 5 at once instead of after the sibling's whole timeout; a sibling that has sent its change
// runs its verify to the end, as before.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { auditPath } from '../../src/audit/log.js';
import { readEvents, verifyAuditFile } from '../../src/audit/read.js';
import { runMutation } from '../../src/engine/run.js';
import { runRecordPath, type RunRecord } from '../../src/engine/run-record.js';
import { PartialError } from '../../src/io/errors.js';
import type { PlannedStep, StepContext } from '../../src/engine/types.js';
import { fakeSteps, harness, scaleSpec, yesFlags, type Harness } from '../helpers/engine-harness.js';

/** The wait that never converges: without the stop, the run would last this long and fail on the status asserted below. */
const LAG_WAIT_MS = 8_000;

async function record(h: Harness): Promise<RunRecord> {
  const runId = (await readEvents(auditPath(h.stateDir, 'demo')))[0].runId;
  return JSON.parse(await readFile(runRecordPath(h.stateDir, runId), 'utf8')) as RunRecord;
}

/** The fake scale kind, where a step with `waitFirst` waits (for a lag that never reaches 0) before its change. */
function withWaitFirst(h: Harness, beforeApply?: (step: PlannedStep) => Promise<void> | void) {
  const fakes = fakeSteps(h.world, { beforeApply, verifyTimeoutMs: 300 });
  const scale = fakes['ecs.scale']!;
  return {
    ...fakes,
    'ecs.scale': {
      ...scale,
      async apply(step: PlannedStep, ctx: StepContext) {
        if (step.params.waitFirst)
          await ctx.waitFor('replica lag at 0', async () => ({ done: false, detail: 'lag 5 s' }), { timeoutMs: LAG_WAIT_MS, intervalMs: 20 });
        await scale.apply(step, ctx);
      },
    },
  };
}

describe('a failure in a parallel stage', () => {
  test('stops a sibling still waiting to send its change: exit 5 at once, the sibling unchanged and recorded as stopped', async () => {
    const h = await harness({ world: { api: 2, worker: 1, cache: 1 } });
    try {
      const spec = scaleSpec(
        { steps: [{ name: 'api', to: 6 }] },
        {
          parallel: true,
          steps: [
            { name: 'worker', to: 4, waitFirst: true },
            { name: 'cache', to: 3, fail: 'apply' },
          ],
        },
      );
      const started = Date.now();
      await assert.rejects(runMutation(h.ctx, spec, yesFlags, { stepImpls: withWaitFirst(h) }), (e: unknown) => {
        assert.ok(e instanceof PartialError, String(e));
        assert.equal(e.exitCode, 5);
        assert.match(e.message, /cache/);
        return true;
      });
      assert.ok(Date.now() - started < LAG_WAIT_MS - 2_000, 'the run did not wait out the sibling');
      assert.deepEqual(h.world, { api: 6, worker: 1, cache: 1 });
      const rec = await record(h);
      const byId = Object.fromEntries(rec.steps.map((s) => [s.id, s]));
      assert.equal(byId.api.status, 'succeeded');
      assert.equal(byId.cache.status, 'failed');
      assert.equal(byId.worker.status, 'interrupted');
      assert.equal(byId.worker.mutations, 0);
      assert.equal(byId.worker.error, 'stopped before making its change: cache failed in the same stage');
      const events = await readEvents(auditPath(h.stateDir, 'demo'));
      const stopped = events.find((ev) => ev.type === 'step.failed' && ev.data?.step === 'worker');
      assert.deepEqual(stopped?.data?.error, { code: 'SiblingFailedError', message: 'stopped before making its change: cache failed in the same stage' });
      assert.equal(events.filter((ev) => ev.type === 'intent' && ev.data?.step === 'worker').length, 0, 'worker sent nothing');
      assert.equal((await verifyAuditFile(auditPath(h.stateDir, 'demo'))).broken, null);
    } finally {
      await h.cleanup();
    }
  });

  test('lets a sibling that has sent its change run its verify to its end', async () => {
    const h = await harness({ world: { api: 2, worker: 1 } });
    try {
      // api fails only once worker's change has been made, so worker is verifying when it does.
      const until = async (step: PlannedStep) => {
        if (step.id !== 'api') return;
        while (h.world.worker !== 4) await new Promise((r) => setTimeout(r, 5));
      };
      const spec = scaleSpec({
        parallel: true,
        steps: [
          { name: 'api', to: 6, fail: 'apply' },
          { name: 'worker', to: 4, stuck: true },
        ],
      });
      await assert.rejects(runMutation(h.ctx, spec, yesFlags, { stepImpls: withWaitFirst(h, until) }), (e: unknown) => e instanceof PartialError);
      const byId = Object.fromEntries((await record(h)).steps.map((s) => [s.id, s]));
      assert.equal(byId.worker.status, 'failed');
      assert.match(byId.worker.error ?? '', /^timed out after .* waiting for worker running 4/);
      assert.equal(byId.worker.mutations, 1);
      assert.equal(h.world.worker, 4);
    } finally {
      await h.cleanup();
    }
  });
});
