// waitFor right after the step's own change: with a typical duration, the first look waits the
// schedule's first gap (a look at once could only see the operation just begun); a wait on an
// operation found under way (no change sent by the step: a resumed run) looks at once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditWriter } from '../../src/audit/log.js';
import type { EcsServiceInfo } from '../../src/aws/types.js';
import { makeStepContext } from '../../src/engine/step-context.js';
import type { PlannedStep, StepContext } from '../../src/engine/types.js';
import { fakeAws } from '../helpers/fake-aws.js';
import { demo } from './steps-fake-aws.js';

const INTERVAL_MS = 50;
const EXPECTED_MS = 800;

function context(): { ctx: StepContext; written: string[] } {
  const written: string[] = [];
  const audit = { append: async (type: string) => void written.push(type) } as unknown as AuditWriter;
  const service: EcsServiceInfo = { cluster: 'c', name: 'api', status: 'ACTIVE', desired: 6, running: 2, pending: 4, deployments: 1 };
  const step = { id: 's1', kind: 'ecs.scale' } as PlannedStep;
  const ctx = makeStepContext({
    base: {
      topology: demo(),
      aws: fakeAws({ ecs: () => ({ updateDesiredCount: async () => ({ ...service }) }) }),
      flags: { yes: true, allowDataLoss: false, dryRun: false },
    },
    runId: 'r1',
    step,
    audit,
    tally: { applied: 0 },
    signal: new AbortController().signal,
    pollMs: INTERVAL_MS,
    verifyMs: 60_000,
    now: () => new Date(),
    report: () => undefined,
    approve: async () => undefined,
    onMutation: () => undefined,
  });
  return { ctx, written };
}

/** Wait until `doneAfterMs` past the wait's start; the elapsed time of each look. */
async function looks(ctx: StepContext, doneAfterMs: number): Promise<number[]> {
  const started = Date.now();
  const seen: number[] = [];
  await ctx.waitFor(
    'the tasks',
    async () => {
      const at = Date.now() - started;
      seen.push(at);
      return { done: at >= doneAfterMs, detail: `${at} ms` };
    },
    { intervalMs: INTERVAL_MS, expectedMs: EXPECTED_MS },
  );
  return seen;
}

describe('waitFor after a change', () => {
  test("right after the step's own change, the first look is half the expected duration later, not at once", async () => {
    const { ctx, written } = context();
    await ctx.mutating.ecs('eu-west-1').updateDesiredCount('c', 'api', 6);
    assert.deepEqual(written, ['intent', 'result']);
    const seen = await looks(ctx, EXPECTED_MS);
    // Timers never fire early: the first look is at least the first gap (400 ms) after the start.
    assert.ok(seen[0] >= EXPECTED_MS / 2 - 1, `first look at ${seen[0]} ms`);
    assert.ok(seen.length <= 5, `${seen.length} looks: ${seen.join(', ')}`);
  });

  test('an operation found under way (no change sent by this step) is looked at at once', async () => {
    const { ctx, written } = context();
    const seen = await looks(ctx, 0);
    assert.deepEqual(written, []);
    assert.equal(seen.length, 1);
    assert.ok(seen[0] < EXPECTED_MS / 2, `first look at ${seen[0]} ms`);
  });

  test('without an expected duration the first look is at once, change or not', async () => {
    const { ctx } = context();
    await ctx.mutating.ecs('eu-west-1').updateDesiredCount('c', 'api', 6);
    const started = Date.now();
    const seen: number[] = [];
    await ctx.waitFor('the tasks', async () => (seen.push(Date.now() - started), { done: true, detail: 'done' }), { intervalMs: INTERVAL_MS });
    assert.equal(seen.length, 1);
    assert.ok(seen[0] < EXPECTED_MS / 2, `first look at ${seen[0]} ms`);
  });
});
