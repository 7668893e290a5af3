// Gates at run time: gate.health and gate.lag re-read and re-check when the run reaches them,
// through the engine's real waitFor, with a bounded window; the writer counts as lag 0. The Aws is
// the hand-fed fake of steps-fake-aws.ts; reads are counted, never timed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditWriter } from '../../src/audit/log.js';
import { AwsCallError } from '../../src/aws/errors.js';
import type { Aws } from '../../src/aws/types.js';
import { fakeAws } from '../helpers/fake-aws.js';
import { makeStepContext } from '../../src/engine/step-context.js';
import type { Check, PlannedStep, StepContext } from '../../src/engine/types.js';
import { ExitCode, isMrError } from '../../src/io/errors.js';
import { GateFailedError, recheckGate } from '../../src/steps/gate-check.js';
import { stepImpl, stepImpls } from '../../src/steps/index.js';
import { demo, FakeState } from './steps-fake-aws.js';

const POLL_MS = 5;

/** A StepContext from the engine's own factory over the fake world; gates never mutate, so no audit. */
function stepContext(s: FakeState, step: PlannedStep, aws: Aws = s.aws()): { ctx: StepContext; reports: string[] } {
  const topology = demo();
  topology.timeouts.pollMs = POLL_MS;
  const reports: string[] = [];
  const noAudit = { append: async () => assert.fail('a gate wrote to the audit log') } as unknown as AuditWriter;
  const ctx = makeStepContext({
    base: { topology, aws, flags: { yes: true, allowDataLoss: false, dryRun: false } },
    runId: 'r1',
    step,
    audit: noAudit,
    tally: { applied: 0 },
    signal: new AbortController().signal,
    pollMs: POLL_MS,
    verifyMs: 60_000,
    now: () => new Date(),
    report: (t) => reports.push(t),
    approve: async () => assert.fail('no approval in a gate'),
    onMutation: () => assert.fail('a gate made a mutating call'),
  });
  return { ctx, reports };
}

const planGate = (s: FakeState, kind: 'gate.health' | 'gate.lag', params: Record<string, unknown>) => stepImpls[kind].plan('g', params, s.ctx());
const reads = (s: FakeState, op: string) => s.calls.filter((c) => c.endsWith(op)).length;

/** Run a gate as the engine does: apply (nothing), then verify. */
async function runGate(step: PlannedStep, ctx: StepContext): Promise<void> {
  await stepImpl(step.kind).apply(step, ctx);
  await stepImpl(step.kind).verify(step, ctx);
}

describe('gate.health at run time', () => {
  test('re-reads the health check when reached and passes on a healthy read, with nothing applied', async () => {
    const s = new FakeState();
    const step = await planGate(s, 'gate.health', { region: 'eu-west-1' });
    s.calls = [];
    const { ctx, reports } = stepContext(s, step);
    await runGate(step, ctx);
    assert.deepEqual(s.calls, ['route53 us-east-1 GetHealthCheckStatus'], 'one read, no other call');
    assert.match(reports.at(-1)!, /eu-west-1 health check \S+: 8 of 8 checkers report success/);
  });

  test('healthy at plan time, unhealthy when reached: fails with the observed value and the bound, a refusal (exit 3)', async () => {
    const s = new FakeState();
    const step = await planGate(s, 'gate.health', { region: 'eu-west-1' });
    s.healthy['eu-west-1'] = false;
    s.calls = [];
    const { ctx } = stepContext(s, step);
    const err = await runGate(step, ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof GateFailedError, String(err));
    assert.equal(err.exitCode, ExitCode.Refused);
    assert.match(
      err.message,
      /^gate failed: eu-west-1 healthy: eu-west-1 health check \S+: 0 of 8 checkers report success: not healthy \(observed 0\/8, bound more than 18% of checkers\), checked for 10ms$/,
    );
    assert.doesNotMatch(err.message, /\n/);
    // Read at once, then each poll until the window (two polls by default) ended.
    const n = reads(s, 'GetHealthCheckStatus');
    assert.ok(n >= 2 && n <= 4, `${n} reads`);
  });

  test('a check that recovers within the window passes', async () => {
    const s = new FakeState();
    const step = await planGate(s, 'gate.health', { region: 'eu-west-1', within: '1m' });
    assert.equal(step.data.withinMs, 60_000);
    s.healthy['eu-west-1'] = false;
    s.calls = [];
    const base = s.aws();
    // Unhealthy on the first read only: the second read, one poll later, sees it healthy again.
    const aws: Aws = fakeAws(
      {
        route53: () => {
          const r = base.route53();
          return {
            ...r,
            getHealthCheckStatus: async (id: string) => {
              const out = await r.getHealthCheckStatus(id);
              s.healthy['eu-west-1'] = true;
              return out;
            },
          };
        },
      },
      base,
    );
    const { ctx, reports } = stepContext(s, step, aws);
    await runGate(step, ctx);
    assert.equal(reads(s, 'GetHealthCheckStatus'), 2);
    assert.ok(
      reports.some((r) => /0 of 8 checkers report success: not healthy/.test(r)),
      'the failed read was shown',
    );
  });

  test('within: 0 reads once', async () => {
    const s = new FakeState();
    const step = await planGate(s, 'gate.health', { region: 'eu-west-1', within: 0 });
    s.healthy['eu-west-1'] = false;
    s.calls = [];
    const { ctx } = stepContext(s, step);
    await assert.rejects(runGate(step, ctx), (e: unknown) => e instanceof GateFailedError && !/, checked for /.test(e.message));
    assert.equal(reads(s, 'GetHealthCheckStatus'), 1);
  });

  test('a run stalled past the window before its first read still reads twice before it refuses', async () => {
    const s = new FakeState();
    const step = await planGate(s, 'gate.health', { region: 'eu-west-1' });
    s.healthy['eu-west-1'] = false;
    s.calls = [];
    const { ctx } = stepContext(s, step);
    // The first probe starts 30 ms late, past the 10 ms window (a loaded machine, a GC pause).
    const waitFor = ctx.waitFor;
    let first = true;
    ctx.waitFor = ((what, probe, opts) =>
      waitFor(
        what,
        async () => {
          if (first) await new Promise((r) => setTimeout(r, 30));
          first = false;
          return probe();
        },
        opts,
      )) as typeof ctx.waitFor;
    await assert.rejects(runGate(step, ctx), GateFailedError);
    assert.equal(reads(s, 'GetHealthCheckStatus'), 2);
  });

  test("Route 53's control plane not answering through the window: the usual one-line explanation, not a gate verdict", async () => {
    const s = new FakeState();
    const step = await planGate(s, 'gate.health', { region: 'eu-west-1' });
    s.down.add('us-east-1');
    s.calls = [];
    const { ctx } = stepContext(s, step);
    await assert.rejects(
      runGate(step, ctx),
      (e: unknown) => isMrError(e) && e.exitCode === ExitCode.Failed && /Route 53's control plane \(us-east-1\) does not answer/.test(e.message),
    );
    assert.ok(reads(s, 'GetHealthCheckStatus') >= 2, 'the read was retried inside the window');
  });
});

describe('gate.lag: the writer counts as lag 0', () => {
  test('a secondary is judged by its lag; the writer passes as the replication source, at plan and run time', async () => {
    const s = new FakeState();
    const secondary = await planGate(s, 'gate.lag', { region: 'eu-west-1' });
    assert.equal(secondary.checks[0].passed, true);
    assert.equal(secondary.checks[0].observed, 80);
    assert.match(secondary.checks[0].message, /eu-west-1 lag 80 ms is within the bound 1000 ms/);

    // After the switchover (a resumed failover): eu-west-1 writes and has no lag datapoint.
    s.global.members[0].isWriter = false;
    s.global.members[1].isWriter = true;
    s.lag['demo-euw1'] = null;
    s.calls = [];
    const writer = await planGate(s, 'gate.lag', { region: 'eu-west-1', maxLagMs: 50 });
    assert.deepEqual(
      { passed: writer.checks[0].passed, observed: writer.checks[0].observed, bound: writer.checks[0].bound },
      { passed: true, observed: 0, bound: 50 },
    );
    assert.match(writer.checks[0].message, /demo-euw1 in eu-west-1 is the Aurora writer \(the replication source\): lag 0 ms/);
    // Its role is read in its own region, and no lag is read for a writer.
    assert.deepEqual(s.calls, ['rds eu-west-1 DescribeGlobalClusters']);

    s.calls = [];
    const { ctx, reports } = stepContext(s, writer);
    await runGate(writer, ctx);
    assert.deepEqual(s.calls, ['rds eu-west-1 DescribeGlobalClusters']);
    assert.match(reports.at(-1)!, /is the Aurora writer/);
  });

  test('a secondary with no lag reading fails, naming the cluster; lag that grew past the bound fails at run time', async () => {
    const s = new FakeState();
    s.lag['demo-usw2'] = null;
    const none = await planGate(s, 'gate.lag', { region: 'us-west-2' });
    assert.equal(none.checks[0].passed, false);
    assert.match(none.checks[0].message, /no replication lag reading for demo-usw2 in us-west-2/);

    s.lag['demo-usw2'] = 120;
    const step = await planGate(s, 'gate.lag', { region: 'us-west-2', maxLagMs: 500, within: '20ms' });
    assert.equal(step.checks[0].passed, true);
    s.lag['demo-usw2'] = 2400;
    const { ctx } = stepContext(s, step);
    await assert.rejects(
      runGate(step, ctx),
      (e: unknown) => e instanceof GateFailedError && /us-west-2 lag 2400 ms is above the bound 500 ms \(observed 2400, bound 500\)/.test(e.message),
    );
  });
});

describe('recheckGate', () => {
  const check = (passed: boolean): Check => ({ name: 'c', passed, observed: passed ? 1 : 9, bound: 5, message: passed ? 'fine' : 'not fine' });

  test('a read error that is not passing (access denied) ends the gate at once, as it came', async () => {
    const s = new FakeState();
    const step = await planGate(s, 'gate.health', { region: 'eu-west-1' });
    const { ctx } = stepContext(s, step);
    let n = 0;
    const denied = new AwsCallError('route53', 'us-east-1', 'GetHealthCheckStatus', 'AccessDenied', 'not allowed', {
      httpStatus: 403,
      unreachable: false,
      throttled: false,
    });
    await assert.rejects(
      recheckGate(ctx, 'x', 60_000, async () => {
        n++;
        throw denied;
      }),
      (e: unknown) => e === denied,
    );
    assert.equal(n, 1);
  });

  test('throttled reads are retried; a passing read after them passes', async () => {
    const s = new FakeState();
    const step = await planGate(s, 'gate.health', { region: 'eu-west-1' });
    const { ctx } = stepContext(s, step);
    const throttled = new AwsCallError('route53', 'us-east-1', 'GetHealthCheckStatus', 'Throttling', 'Rate exceeded', {
      httpStatus: 400,
      unreachable: false,
      throttled: true,
    });
    let n = 0;
    const got = await recheckGate(ctx, 'x', 60_000, async () => {
      n++;
      if (n < 3) throw throttled;
      return check(true);
    });
    assert.equal(got.message, 'fine');
    assert.equal(n, 3);
  });
});
