// runMutation end to end over a fake world: the happy path, approvals, dry runs, no-op re-runs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { auditPath } from '../../src/audit/log.js';
import { readEvents, verifyAuditFile } from '../../src/audit/read.js';
import { runMutation, type RunLock } from '../../src/engine/run.js';
import { runRecordPath, type RunRecord } from '../../src/engine/run-record.js';
import { RUN_ID_PATTERN } from '../../src/engine/run-id.js';
import type { Plan } from '../../src/engine/types.js';
import { runEventSchema, type RunEvent } from '../../src/engine/events.js';
import { CALLER, fakeSteps, harness, noFlags, scaleSpec, yesFlags } from '../helpers/engine-harness.js';
import { sendMutation } from '../../src/aws/mutation.js';

const spec = scaleSpec({
  steps: [
    { name: 'api', to: 6 },
    { name: 'worker', to: 4 },
  ],
});

async function events(stateDir: string) {
  return readEvents(auditPath(stateDir, 'demo'));
}

describe('runMutation: applying', () => {
  test('--yes without a terminal applies, verifies and records every mutation as intent + result', async () => {
    const h = await harness();
    try {
      assert.equal(await runMutation(h.ctx, spec, yesFlags, { stepImpls: fakeSteps(h.world) }), 0);
      assert.deepEqual(h.world, { api: 6, worker: 4 });
      const ev = await events(h.stateDir);
      assert.deepEqual(
        ev.map((e) => `${e.type}${e.data?.step ? ` ${e.data.step}` : ''}`),
        [
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
          'step.succeeded worker',
          'run.finished',
        ],
      );
      const runId = ev[0].runId;
      assert.match(runId, RUN_ID_PATTERN);
      assert.ok(ev.every((e) => e.runId === runId && e.actor.arn === CALLER && e.argv.join(' ') === 'mr test run'));
      assert.deepEqual(h.awsOptions, [{ runId }]); // the clients' user agent carries the run id
      assert.deepEqual(h.stsRegions, ['eu-west-1']); // the spec's region, nowhere else
      assert.deepEqual(ev[2].data, { by: 'flag --yes', fingerprint: (ev[1].data?.plan as Plan).fingerprint });
      assert.deepEqual(ev[4].data, {
        step: 'api',
        call: { service: 'ecs', region: 'eu-west-1', operation: 'UpdateService', target: 'demo-euw1/api', params: { desiredCount: 6 } },
      });
      assert.equal(ev[5].data?.ok, true);
      assert.equal(ev[5].data?.requestId, 'req-api');
      assert.equal(ev[11].data?.outcome, 'succeeded');
      assert.equal((await verifyAuditFile(auditPath(h.stateDir, 'demo'))).broken, null);

      const record = JSON.parse(await readFile(runRecordPath(h.stateDir, runId), 'utf8')) as RunRecord;
      assert.equal(record.outcome, 'succeeded');
      assert.equal(record.approval, 'flag --yes');
      assert.deepEqual(
        record.steps.map((s) => [s.id, s.status, s.mutations, typeof s.durationMs]),
        [
          ['api', 'succeeded', 1, 'number'],
          ['worker', 'succeeded', 1, 'number'],
        ],
      );
      assert.ok(record.firstMutationAt && record.firstMutationAt >= record.createdAt);
      assert.deepEqual(record.spec, spec);
      assert.equal((await stat(runRecordPath(h.stateDir, runId))).mode & 0o777, 0o600);

      const out = h.io.stdout();
      assert.match(
        out,
        /^Plan \d{8}T\d{6}Z-[0-9a-f]{6} for demo: ecs scale eu-west-1\nstage stage-1\n  step api \(ecs.scale\): Scale api to 6\n    change ecs demo-euw1\/api desiredCount: 2 -> 6 \[safe\]/,
      );
      assert.match(out, /✓ api {5}ecs\.scale {2}succeeded/);
      assert.ok(out.includes(`run ${runId}: succeeded\naudit log: ${auditPath(h.stateDir, 'demo')}`));
      assert.ok(h.io.stderr().includes('info: approved by flag --yes'));
    } finally {
      await h.cleanup();
    }
  });

  test('--json prints NDJSON events: plan, step.started / step.finished per step, result, each valid by the schema', async () => {
    const h = await harness({ json: true });
    try {
      assert.equal(await runMutation(h.ctx, spec, { ...yesFlags, json: true }, { stepImpls: fakeSteps(h.world) }), 0);
      const docs = h.io.jsonDocs() as RunEvent[];
      for (const d of docs) runEventSchema.parse(d);
      assert.deepEqual(
        docs.map((d) => d.type + ('step' in d ? ` ${typeof d.step === 'string' ? d.step : d.step.id}` : '')),
        ['plan', 'step.started api', 'progress api', 'step.finished api', 'step.started worker', 'progress worker', 'step.finished worker', 'result', 'report'],
      );
      const planDoc = docs[0] as Extract<RunEvent, { type: 'plan' }>;
      const resultDoc = docs[7] as Extract<RunEvent, { type: 'result' }>;
      assert.equal(planDoc.version, 1);
      assert.equal(planDoc.region, 'eu-west-1'); // the acting region is in the plan
      assert.deepEqual(
        planDoc.stages[0].steps.map((s) => s.id),
        ['api', 'worker'],
      );
      assert.equal(resultDoc.runId, planDoc.id);
      assert.equal(resultDoc.outcome, 'succeeded');
      assert.equal(resultDoc.auditLog, auditPath(h.stateDir, 'demo'));
      assert.equal(resultDoc.runRecord, runRecordPath(h.stateDir, planDoc.id));
      assert.deepEqual(
        resultDoc.steps.map((s) => [s.id, s.kind, s.status]),
        [
          ['api', 'ecs.scale', 'succeeded'],
          ['worker', 'ecs.scale', 'succeeded'],
        ],
      );
      assert.ok(resultDoc.steps.every((s) => s.startedAt && s.endedAt && typeof s.durationMs === 'number'));
      // The record holds the same report the stream ended with: the engine owns both.
      const record = JSON.parse(await readFile(runRecordPath(h.stateDir, planDoc.id), 'utf8')) as RunRecord;
      const { type: _type, ...report } = docs[8] as Extract<RunEvent, { type: 'report' }>;
      assert.deepEqual(record.report, report);
      assert.equal(record.plan.region, 'eu-west-1');
      assert.equal(h.io.stdout(), '');
    } finally {
      await h.cleanup();
    }
  });

  test('the steps of a parallel stage run concurrently', async () => {
    const h = await harness();
    let started = 0;
    const impls = fakeSteps(h.world, {
      // Each apply waits until both have started: run one after the other, this would time out.
      beforeApply: async () => {
        started++;
        for (let i = 0; i < 200 && started < 2; i++) await new Promise((r) => setTimeout(r, 5));
        assert.equal(started, 2, 'the other step of the stage did not start');
      },
    });
    try {
      assert.equal(
        await runMutation(
          h.ctx,
          scaleSpec({
            parallel: true,
            steps: [
              { name: 'api', to: 6 },
              { name: 'worker', to: 4 },
            ],
          }),
          yesFlags,
          { stepImpls: impls },
        ),
        0,
      );
      const types = (await events(h.stateDir)).map((e) => e.type);
      assert.ok(types.lastIndexOf('step.started') < types.indexOf('step.succeeded'));
      assert.deepEqual(h.world, { api: 6, worker: 4 });
    } finally {
      await h.cleanup();
    }
  });

  test('on a terminal: the confirm prompt, default No; yes applies', async () => {
    const h = await harness({ interactive: true, answers: [true] });
    try {
      assert.equal(await runMutation(h.ctx, spec, noFlags, { stepImpls: fakeSteps(h.world) }), 0);
      assert.deepEqual(h.io.prompts(), [{ kind: 'confirm', message: 'Apply 2 changes in 2 steps to demo?', defaultValue: false }]);
      assert.deepEqual(h.world, { api: 6, worker: 4 });
      assert.equal((await events(h.stateDir)).find((e) => e.type === 'approval')?.data?.by, 'prompt');
      // progress on a terminal goes to a spinner that ends with each step's outcome
      const ended = h.io.log.filter((r) => r.kind === 'spinner' && r.event === 'succeed').map((r) => (r as { text?: string }).text);
      assert.equal(ended.length, 1);
      assert.match(
        ended[0] ?? '',
        /^stage-1\n {2}✓ Scale api to 6 \d+ms {2}api running 6: running 6\n {2}✓ Scale worker to 4 \d+ms {2}worker running 4: running 4$/,
      );
      // The summary first, then the stage's changes; passed checks collapsed to one line per step.
      assert.match(
        h.io.stdout(),
        /^ecs scale eu-west-1: 2 changes \(0 disruptive, 0 data loss\) in 1 stage\nPlan .*\n\nStage stage-1\n {2}api {5}Scale api to 6\n {10}ecs demo-euw1\/api desiredCount: 2 -> 6 +safe\n {10}✓ 1 check passed \(-v lists them\)/,
      );
    } finally {
      await h.cleanup();
    }
  });

  test('a data-loss change on a terminal needs the region typed', async () => {
    const h = await harness({ interactive: true, answers: ['eu-west-1'] });
    try {
      const lossy = scaleSpec({ steps: [{ name: 'api', to: 6, dataLoss: true }] });
      assert.equal(await runMutation(h.ctx, lossy, yesFlags, { stepImpls: fakeSteps(h.world) }), 0);
      assert.deepEqual(h.io.prompts(), [{ kind: 'input', message: 'api may lose data in eu-west-1. Type eu-west-1 to apply:' }]);
      assert.equal((await events(h.stateDir)).find((e) => e.type === 'approval')?.data?.by, 'typed eu-west-1');
    } finally {
      await h.cleanup();
    }
  });

  test('an approval step: --yes passes it and records so; a terminal asks with the step message', async () => {
    const withApproval = scaleSpec({
      steps: [
        { id: 'go', kind: 'approval', message: 'Shift traffic now?' },
        { name: 'api', to: 6 },
      ],
    });
    const h = await harness();
    const t = await harness({ interactive: true, answers: [true, true] });
    try {
      assert.equal(await runMutation(h.ctx, withApproval, yesFlags, { stepImpls: fakeSteps(h.world) }), 0);
      assert.deepEqual(
        (await events(h.stateDir)).filter((e) => e.type === 'approval').map((e) => e.data),
        [
          { by: 'flag --yes', fingerprint: ((await events(h.stateDir))[1].data?.plan as Plan).fingerprint },
          { step: 'go', message: 'Shift traffic now?', by: 'flag --yes' },
        ],
      );
      assert.equal(await runMutation(t.ctx, withApproval, noFlags, { stepImpls: fakeSteps(t.world) }), 0);
      assert.deepEqual(
        t.io.prompts().map((p) => (p as { message: string }).message),
        ['Apply 1 change in 2 steps to demo?', 'Shift traffic now?'],
      );
      assert.equal(t.world.api, 6);
    } finally {
      await h.cleanup();
      await t.cleanup();
    }
  });
});

describe('runMutation: plans that apply nothing', () => {
  test('--dry-run shows the plan, exits 0, writes nothing', async () => {
    const h = await harness();
    try {
      assert.equal(await runMutation(h.ctx, spec, { ...noFlags, dryRun: true }, { stepImpls: fakeSteps(h.world) }), 0);
      assert.deepEqual(h.world, { api: 2, worker: 1 });
      await assert.rejects(stat(h.stateDir), { code: 'ENOENT' });
      assert.match(h.io.stdout(), /change ecs demo-euw1\/worker desiredCount: 1 -> 4 \[safe\]/);
      assert.ok(h.io.stderr().includes('dry run: nothing was applied'));
      assert.deepEqual(h.io.prompts(), []);
    } finally {
      await h.cleanup();
    }
  });

  test('--out saves the plan document', async () => {
    const h = await harness();
    try {
      const out = `${h.stateDir}-plan.json`;
      assert.equal(await runMutation(h.ctx, spec, { ...noFlags, dryRun: true, out }, { stepImpls: fakeSteps(h.world) }), 0);
      const saved = JSON.parse(await readFile(out, 'utf8')) as Plan;
      assert.equal(saved.version, 1);
      assert.match(saved.fingerprint, /^[0-9a-f]{64}$/);
      assert.deepEqual(
        saved.stages[0].steps.map((s) => s.observed),
        [{ api: 2 }, { worker: 1 }],
      );
    } finally {
      await h.cleanup();
    }
  });

  test('a no-op re-run says nothing to do, asks nothing, calls nothing, takes no lock', async () => {
    const h = await harness({ world: { api: 6, worker: 4 } });
    let locks = 0;
    const lock: RunLock = {
      acquire: async () => {
        locks++;
        return { detail: {}, release: async () => ({}) };
      },
    };
    try {
      assert.equal(await runMutation(h.ctx, spec, noFlags, { stepImpls: fakeSteps(h.world), lock }), 0);
      assert.equal(locks, 0);
      const ev = await events(h.stateDir);
      assert.deepEqual(
        ev.map((e) => e.type),
        ['run.started', 'plan', 'run.finished'],
      );
      assert.equal(ev[2].data?.outcome, 'noop');
      assert.ok(h.io.stderr().includes('success: nothing to do: every step is already done'));
      assert.deepEqual(h.io.prompts(), []);
      assert.match(h.io.stdout(), /- api {5}ecs\.scale {2}skipped \(already done\)/);
    } finally {
      await h.cleanup();
    }
  });

  test('a lock is taken for a plan with changes, its changes audited, and released', async () => {
    const h = await harness();
    const lock: RunLock = {
      acquire: async (l) => {
        await sendMutation(
          l.sink,
          { service: 'route53', region: 'us-east-1', operation: 'ChangeResourceRecordSets', target: 'lock', params: {} },
          async () => ({ send: async () => ({ requestId: 'lock-req' }) }),
        );
        return { detail: { holder: l.runId }, release: async () => ({ released: true }) };
      },
    };
    try {
      assert.equal(await runMutation(h.ctx, spec, yesFlags, { stepImpls: fakeSteps(h.world), lock }), 0);
      const ev = await events(h.stateDir);
      const types = ev.map((e) => `${e.type}${e.data?.step ? ` ${e.data.step}` : ''}`);
      assert.deepEqual(types.slice(0, 6), ['run.started', 'plan', 'intent lock', 'result lock', 'lock.acquired', 'approval']);
      assert.deepEqual(types.slice(-2), ['run.finished', 'lock.released']);
      assert.deepEqual(ev[4].data, { holder: ev[0].runId });
    } finally {
      await h.cleanup();
    }
  });
});
