// runMutation when things go wrong: nothing is applied without approval or an audit log; a failure
// after a change stops with exit 5 and a record; refusals exit 3; interruptions are recorded.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { auditDir, auditPath } from '../../src/audit/log.js';
import { readEvents, verifyAuditFile } from '../../src/audit/read.js';
import { runMutation, type RunLock } from '../../src/engine/run.js';
import { runRecordPath, type RunRecord } from '../../src/engine/run-record.js';
import { DeclinedError, FailedError, PartialError, RefusedError, type MrError } from '../../src/io/errors.js';
import { fakeSteps, harness, noFlags, scaleSpec, yesFlags, type Harness } from '../helpers/engine-harness.js';
import type { PlannedStep } from '../../src/engine/types.js';
import { sendMutation } from '../../src/aws/mutation.js';

const spec = scaleSpec({ steps: [{ name: 'api', to: 6 }] }, { steps: [{ name: 'worker', to: 4 }] });

const is = (cls: new (...a: never[]) => MrError, code: number, message: string | RegExp, hint?: string | RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.equal(e.exitCode, code);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  if (hint !== undefined) typeof hint === 'string' ? assert.equal(e.hint, hint) : assert.match(e.hint ?? '', hint);
  return true;
};

async function types(h: Harness): Promise<string[]> {
  return (await readEvents(auditPath(h.stateDir, 'demo'))).map((e) => `${e.type}${e.data?.step ? ` ${e.data.step}` : ''}`);
}

async function record(h: Harness): Promise<RunRecord> {
  const runId = (await readEvents(auditPath(h.stateDir, 'demo')))[0].runId;
  return JSON.parse(await readFile(runRecordPath(h.stateDir, runId), 'utf8')) as RunRecord;
}

async function withHarness(opts: Parameters<typeof harness>[0], fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await harness(opts);
  try {
    await fn(h);
  } finally {
    await h.cleanup();
  }
}

describe('runMutation: nothing applied', () => {
  test('no terminal and no --yes: declined (exit 4), recorded, nothing changed', () =>
    withHarness({}, async (h) => {
      await assert.rejects(
        runMutation(h.ctx, spec, noFlags, { stepImpls: fakeSteps(h.world) }),
        is(DeclinedError, 4, 'approval needed and there is no terminal to ask on; nothing was applied', 're-run with --yes'),
      );
      assert.deepEqual(h.world, { api: 2, worker: 1 });
      assert.deepEqual(await types(h), ['run.started', 'plan', 'run.finished']);
      assert.equal((await record(h)).outcome, 'declined');
    }));

  test('declined at the prompt: exit 4, nothing changed', () =>
    withHarness({ interactive: true, answers: [false] }, async (h) => {
      await assert.rejects(runMutation(h.ctx, spec, noFlags, { stepImpls: fakeSteps(h.world) }), is(DeclinedError, 4, 'declined; nothing was applied'));
      assert.deepEqual(h.world, { api: 2, worker: 1 });
    }));

  test('a failed check refuses (exit 3) naming the check, value, bound and override flag', () =>
    withHarness({}, async (h) => {
      const checked = scaleSpec({ steps: [{ name: 'api', to: 6, check: false }] });
      const expected = is(
        RefusedError,
        3,
        'refused: api: capacity available: no room for 6 tasks (observed 0, bound 6)',
        'to override, re-run with --skip-capacity-check',
      );
      await assert.rejects(runMutation(h.ctx, checked, yesFlags, { stepImpls: fakeSteps(h.world) }), expected);
      await assert.rejects(runMutation(h.ctx, checked, { ...yesFlags, dryRun: true }, { stepImpls: fakeSteps(h.world) }), expected);
      assert.equal(h.world.api, 2);
      assert.deepEqual(await types(h), ['run.started', 'run.finished']);
      assert.equal((await readEvents(auditPath(h.stateDir, 'demo')))[1].data?.outcome, 'refused');
    }));

  test('an unwritable audit log: exit 1 with one line, nothing applied, no run record', () =>
    withHarness({}, async (h) => {
      await mkdir(h.stateDir, { recursive: true });
      await writeFile(auditDir(h.stateDir), 'a file where the audit directory should be');
      await assert.rejects(
        runMutation(h.ctx, spec, yesFlags, { stepImpls: fakeSteps(h.world) }),
        is(
          FailedError,
          1,
          /^cannot write the audit log .*\/audit\/demo\.ndjson: E[A-Z]+; nothing was applied$/,
          'fix the state directory (--state-dir) so the audit log can be written',
        ),
      );
      assert.deepEqual(h.world, { api: 2, worker: 1 });
      await assert.rejects(stat(`${h.stateDir}/runs`), { code: 'ENOENT' });
    }));

  test('the first call answered with an AWS error: exit 1, nothing applied', () =>
    withHarness({}, async (h) => {
      const failing = scaleSpec({ steps: [{ name: 'api', to: 6, fail: 'apply' }] });
      await assert.rejects(
        runMutation(h.ctx, failing, yesFlags, { stepImpls: fakeSteps(h.world) }),
        is(FailedError, 1, 'api failed: ecs UpdateService in eu-west-1: ServiceNotActiveException: Service was not ACTIVE.; nothing was applied'),
      );
      const ev = await readEvents(auditPath(h.stateDir, 'demo'));
      assert.deepEqual(ev.find((e) => e.type === 'result')?.data?.error, {
        code: 'ServiceNotActiveException',
        message: 'Service was not ACTIVE.',
        requestId: 'req-err',
        unreachable: false,
      });
      assert.equal((await record(h)).outcome, 'failed');
    }));

  test('a lock held by another run: refused before anything is applied', () =>
    withHarness({}, async (h) => {
      const lock: RunLock = { acquire: async () => Promise.reject(new RefusedError('another run holds the lock on this topology: ops holds it for run X')) };
      await assert.rejects(runMutation(h.ctx, spec, yesFlags, { stepImpls: fakeSteps(h.world), lock }), is(RefusedError, 3, /holds the lock/));
      assert.deepEqual(h.world, { api: 2, worker: 1 });
      assert.deepEqual(await types(h), ['run.started', 'plan', 'lock.failed', 'run.finished']);
    }));
});

describe('runMutation: stopped part way', () => {
  test('an AWS error after one change: exit 5, "stopped at", the resume hint, and a record', () =>
    withHarness({}, async (h) => {
      const failing = scaleSpec({ steps: [{ name: 'api', to: 6 }] }, { steps: [{ name: 'worker', to: 4, fail: 'apply' }] });
      await assert.rejects(
        runMutation(h.ctx, failing, yesFlags, { stepImpls: fakeSteps(h.world) }),
        is(
          PartialError,
          5,
          'stopped at worker: ecs UpdateService in eu-west-1: ServiceNotActiveException: Service was not ACTIVE.',
          /^mr resume \d{8}T\d{6}Z-[0-9a-f]{6}$/,
        ),
      );
      assert.deepEqual(h.world, { api: 6, worker: 1 });
      assert.deepEqual(await types(h), [
        'run.started',
        'plan',
        'approval',
        'step.started api',
        'intent api',
        'result api',
        'step.succeeded api',
        'step.started worker',
        'intent worker',
        'result worker',
        'step.failed worker',
        'run.finished',
      ]);
      const rec = await record(h);
      assert.equal(rec.outcome, 'partial');
      assert.deepEqual(
        rec.steps.map((s) => [s.id, s.status]),
        [
          ['api', 'succeeded'],
          ['worker', 'failed'],
        ],
      );
      assert.equal(rec.steps[1].error, 'ecs UpdateService in eu-west-1: ServiceNotActiveException: Service was not ACTIVE.');
      assert.equal((await verifyAuditFile(auditPath(h.stateDir, 'demo'))).broken, null);
      assert.match(h.io.stdout(), /✗ worker {2}ecs\.scale {2}failed/);
    }));

  test('a call that got no answer may have applied: exit 5', () =>
    withHarness({}, async (h) => {
      await assert.rejects(
        runMutation(h.ctx, scaleSpec({ steps: [{ name: 'api', to: 6, fail: 'unreachable' }] }), yesFlags, { stepImpls: fakeSteps(h.world) }),
        is(PartialError, 5, /^stopped at api: ecs UpdateService in eu-west-1: ECONNRESET/),
      );
    }));

  test('the audit log failing mid-run: the next call is never made', () =>
    withHarness({}, async (h) => {
      const path = auditPath(h.stateDir, 'demo');
      const impls = fakeSteps(h.world, {
        beforeApply: async (step) => {
          if (step.id !== 'worker') return;
          await rm(path);
          await mkdir(path); // appends now fail with EISDIR
        },
      });
      await assert.rejects(
        runMutation(h.ctx, spec, yesFlags, { stepImpls: impls }),
        is(PartialError, 5, /^stopped at worker: cannot write the audit log .*demo\.ndjson: EISDIR$/),
      );
      assert.deepEqual(h.world, { api: 6, worker: 1 });
      const [file] = await readdir(`${h.stateDir}/runs`);
      const rec = JSON.parse(await readFile(`${h.stateDir}/runs/${file}`, 'utf8')) as RunRecord;
      assert.equal(rec.outcome, 'partial');
      assert.deepEqual(
        rec.steps.map((s) => [s.id, s.mutations]),
        [
          ['api', 1],
          ['worker', 0],
        ],
      );
    }));

  test('a verify that does not converge times out naming what it waited for', () =>
    withHarness({}, async (h) => {
      const stuck = scaleSpec({ steps: [{ name: 'api', to: 6, stuck: true }] });
      await assert.rejects(
        runMutation(h.ctx, stuck, yesFlags, { stepImpls: fakeSteps(h.world, { verifyTimeoutMs: 30 }) }),
        is(PartialError, 5, 'stopped at api: timed out after 30ms waiting for api running 6 (last seen: running 6)'),
      );
    }));

  test('interrupted while verifying after a change: run.interrupted recorded, the lock still released, exit 5 with the resume hint', () =>
    withHarness({}, async (h) => {
      const impls = fakeSteps(h.world, { onProbe: () => h.abort.abort() });
      const stuck = scaleSpec({ steps: [{ name: 'api', to: 6, stuck: true }] }, { steps: [{ name: 'worker', to: 4 }] });
      const lockCall = { service: 'route53' as const, region: 'us-east-1', operation: 'ChangeResourceRecordSets', target: 'lock', params: {} };
      const lock: RunLock = {
        acquire: async (l) => ({
          detail: {},
          release: async () => (await sendMutation(l.sink, lockCall, async () => ({ send: async () => ({ requestId: 'unlock' }) })), { released: true }),
        }),
      };
      await assert.rejects(
        runMutation(h.ctx, stuck, yesFlags, { stepImpls: impls, lock }),
        is(PartialError, 5, 'interrupted at api after 1 change', /^mr resume /),
      );
      assert.deepEqual(h.world, { api: 6, worker: 1 });
      const t = await types(h);
      assert.deepEqual(t.slice(-5), ['step.failed api', 'run.interrupted api', 'intent lock', 'result lock', 'lock.released']);
      const rec = await record(h);
      assert.equal(rec.outcome, 'interrupted');
      assert.deepEqual(
        rec.steps.map((s) => s.status),
        ['interrupted', 'pending'],
      );
    }));

  test('an interrupt names every step in flight and where each left the world (issue 11 item 12)', () =>
    withHarness({}, async (h) => {
      const probed = new Set<string>();
      const fakes = fakeSteps(h.world, {
        onProbe: (step) => {
          probed.add(step.id);
          if (probed.size === 2) h.abort.abort();
        },
      });
      const impls = {
        ...fakes,
        'ecs.scale': { ...fakes['ecs.scale']!, interrupted: async (step: PlannedStep) => `AWS carries the scaling of ${String(step.data.name)} on by itself` },
      };
      const both = scaleSpec({
        parallel: true,
        steps: [
          { name: 'api', to: 6, stuck: true },
          { name: 'worker', to: 4, stuck: true },
        ],
      });
      await assert.rejects(
        runMutation(h.ctx, both, yesFlags, { stepImpls: impls }),
        is(
          PartialError,
          5,
          'interrupted at api, worker after 2 changes; api: AWS carries the scaling of api on by itself; worker: AWS carries the scaling of worker on by itself',
          /^mr resume /,
        ),
      );
      const ev = (await readEvents(auditPath(h.stateDir, 'demo'))).find((e) => e.type === 'run.interrupted');
      assert.deepEqual(ev?.data?.inFlight, ['api', 'worker']);
      assert.equal((ev?.data?.left as string[]).length, 2);
    }));

  test('interrupted before the first change: exit 4', () =>
    withHarness({}, async (h) => {
      const impls = fakeSteps(h.world, { beforeApply: () => h.abort.abort() });
      await assert.rejects(runMutation(h.ctx, spec, yesFlags, { stepImpls: impls }), is(DeclinedError, 4, 'interrupted; nothing was applied'));
      assert.deepEqual(h.world, { api: 2, worker: 1 });
      assert.equal((await types(h)).at(-1), 'run.interrupted api');
    }));

  test('an approval step declined after a change: exit 5', () =>
    withHarness({ interactive: true, answers: [true, false] }, async (h) => {
      const paused = scaleSpec(
        { steps: [{ name: 'api', to: 6 }] },
        { steps: [{ id: 'go', kind: 'approval', message: 'Continue?' }] },
        { steps: [{ name: 'worker', to: 4 }] },
      );
      await assert.rejects(runMutation(h.ctx, paused, noFlags, { stepImpls: fakeSteps(h.world) }), is(PartialError, 5, 'stopped at go: declined at go'));
      assert.deepEqual(h.world, { api: 6, worker: 1 });
    }));

  test('a saved plan whose observed state has moved is refused as stale', () =>
    withHarness({}, async (h) => {
      const out = `${h.stateDir}-plan.json`;
      await runMutation(h.ctx, spec, { ...noFlags, dryRun: true, out }, { stepImpls: fakeSteps(h.world) });
      const saved = JSON.parse(await readFile(out, 'utf8'));
      h.world.api = 3;
      await assert.rejects(
        runMutation(h.ctx, spec, yesFlags, { stepImpls: fakeSteps(h.world), savedPlan: saved }),
        is(RefusedError, 3, /^plan is stale: .*api: api was 2, now 3/),
      );
      assert.deepEqual(h.world, { api: 3, worker: 1 });
    }));
});
