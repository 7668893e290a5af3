// runMutation end to end with the real steps and SDK clients against the in-process sandbox:
// what changes in the world, what the sandbox saw (its call log), and what the audit log holds.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAws } from '../../src/aws/factory.js';
import type { Aws } from '../../src/aws/types.js';
import { auditDir, auditPath } from '../../src/audit/log.js';
import { readEvents, verifyAuditFile } from '../../src/audit/read.js';
import type { CommandContext } from '../../src/cli/types.js';
import { loadTopologyFile } from '../../src/config/load.js';
import { runMutation } from '../../src/engine/run.js';
import { runRecordPath, type RunRecord } from '../../src/engine/run-record.js';
import type { RunSpec } from '../../src/engine/types.js';
import type { MrError } from '../../src/io/errors.js';
import { demoTopology } from '../helpers/paths.js';
import { recordingIo } from '../helpers/recording-io.js';
import { withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const spec: RunSpec = {
  command: 'prepare eu-west-1',
  region: 'eu-west-1',
  stages: [
    { name: 'scale', parallel: false, steps: [{ id: 'scale', kind: 'ecs.scale', params: { region: 'eu-west-1', capacity: true } }] },
    { name: 'db', parallel: false, steps: [{ id: 'switch-db', kind: 'aurora.switchover', params: { target: 'eu-west-1' } }] },
  ],
};
const yes = { yes: true, allowDataLoss: false, dryRun: false, json: false };

let sb: SandboxHandle;
let dir: string;
const clients: Aws[] = [];

before(async () => {
  sb = await withSandbox();
  dir = await mkdtemp(join(tmpdir(), 'mr-engine-sb-'));
});
after(async () => {
  for (const a of clients) a.destroy();
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => sb.control.reset());

let n = 0;
async function context(opts: { interactive?: boolean } = {}) {
  const stateDir = join(dir, `state-${++n}`);
  const io = recordingIo(opts);
  const topology = await loadTopologyFile(demoTopology);
  topology.timeouts.pollMs = 20; // the sandbox runs 600x: poll often so each verify ends in milliseconds
  const ctx: CommandContext = {
    io,
    globals: {},
    argv: ['mr', 'prepare', 'eu-west-1'],
    stateDir,
    signal: new AbortController().signal,
    loadTopology: async () => topology,
    aws: async (o = {}) => {
      const aws = createAws({
        endpointUrl: sb.endpoint,
        credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' },
        requestTimeoutMs: 3000,
        userAgentSuffix: `mr/test run/${o.runId}`,
      });
      clients.push(aws);
      return aws;
    },
    close: async () => {},
  };
  const aws = createAws({ endpointUrl: sb.endpoint, credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' } });
  clients.push(aws);
  return { ctx, io, stateDir, aws };
}

const mutating = () => sb.control.calls().filter((c) => c.mutating);

async function worldState(aws: Aws) {
  const [gc, services] = await Promise.all([
    aws.rds('eu-west-1').readGlobalCluster('demo-global'),
    aws.ecs('eu-west-1').describeServices('demo-euw1', ['api', 'worker']),
  ]);
  return { writer: gc.members.find((m) => m.isWriter)?.region, desired: services.map((s) => s.desired) };
}

const exit = (code: number, message?: RegExp) => (e: unknown) => {
  assert.equal((e as MrError).exitCode, code, String(e));
  if (message) assert.match((e as Error).message, message);
  return true;
};

describe('runMutation against the sandbox', () => {
  test('applies, verifies, records intent and result for every mutating call; a re-run is a no-op with no mutating call', async () => {
    const { ctx, stateDir, aws } = await context();
    assert.equal(await runMutation(ctx, spec, yes), 0);
    assert.deepEqual(await worldState(aws), { writer: 'eu-west-1', desired: [6, 4] });

    const calls = mutating();
    assert.deepEqual(
      calls.map((c) => `${c.region} ${c.operation}`),
      // The pre-scale raises each standby service's MinCapacity first (demo world scalable targets).
      [
        'eu-west-1 RegisterScalableTarget',
        'eu-west-1 RegisterScalableTarget',
        'eu-west-1 UpdateService',
        'eu-west-1 UpdateService',
        'us-east-1 SwitchoverGlobalCluster',
      ],
    );
    const events = await readEvents(auditPath(stateDir, 'demo'));
    const intents = events.filter((e) => e.type === 'intent');
    const results = events.filter((e) => e.type === 'result');
    assert.equal(intents.length, calls.length);
    // each call the sandbox answered is in the log under its request id, after its intent
    for (const c of calls) {
      const r = results.find((e) => e.data?.requestId === c.requestId);
      assert.ok(r, `no result with request id ${c.requestId} for ${c.operation}`);
      assert.equal(r.data?.operation, c.operation);
      assert.ok(events.indexOf(intents.find((i) => (i.data?.call as { operation: string }).operation === c.operation)!) < events.indexOf(r));
    }
    assert.equal((await verifyAuditFile(auditPath(stateDir, 'demo'))).broken, null);

    sb.control.clearCalls();
    const again = await context();
    assert.equal(await runMutation(again.ctx, spec, { ...yes, yes: false }), 0);
    assert.deepEqual(mutating(), []);
    assert.ok(again.io.stderr().includes('nothing to do'));
  });

  test('no terminal and no --yes: exit 4, no mutating call', async () => {
    const { ctx, aws } = await context();
    await assert.rejects(runMutation(ctx, spec, { ...yes, yes: false }), exit(4));
    assert.deepEqual(mutating(), []);
    assert.deepEqual(await worldState(aws), { writer: 'us-east-1', desired: [2, 1] });
  });

  test('an unwritable audit log: exit 1, no mutating call', async () => {
    const { ctx, stateDir } = await context();
    await mkdir(stateDir, { recursive: true });
    await writeFile(auditDir(stateDir), 'not a directory');
    await assert.rejects(runMutation(ctx, spec, yes), exit(1, /^cannot write the audit log .*; nothing was applied$/));
    assert.deepEqual(mutating(), []);
  });

  test('a failing check (lag above the bound) refuses with exit 3 naming value, bound and override; no mutating call', async () => {
    const lagging = await withSandbox({
      worldOverrides: (w) => {
        const members = (w.aurora!.globalClusters[0] as { members: { region: string; lagMs?: number }[] }).members;
        members.find((m) => m.region === 'eu-west-1')!.lagMs = 5000;
      },
    });
    try {
      const { ctx } = await context();
      const lagged = {
        ...ctx,
        aws: async (o: { runId?: string } = {}) => {
          const aws = createAws({
            endpointUrl: lagging.endpoint,
            credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' },
            userAgentSuffix: `mr/test run/${o.runId}`,
          });
          clients.push(aws);
          return aws;
        },
      };
      await assert.rejects(runMutation(lagged, spec, yes), (e: unknown) => {
        exit(3, /switch-db: .*lag.*5000.*1000/)(e);
        assert.match((e as MrError).hint ?? '', /--max-lag/);
        return true;
      });
      assert.deepEqual(
        lagging.control.calls().filter((c) => c.mutating),
        [],
      );
    } finally {
      await lagging.stop();
    }
  });

  test('an AWS error after one change: exit 5, stopped at the failing step, with a record', async () => {
    const { ctx, stateDir, aws } = await context();
    sb.control.setFaults({
      errors: [{ service: 'rds', operation: 'SwitchoverGlobalCluster', code: 'InvalidGlobalClusterStateFault', message: 'injected', status: 400, count: 1 }],
    });
    await assert.rejects(runMutation(ctx, spec, yes), (e: unknown) => {
      exit(5, /^stopped at switch-db: rds SwitchoverGlobalCluster in us-east-1: InvalidGlobalClusterStateFault: injected$/)(e);
      assert.match((e as MrError).hint ?? '', /^mr resume /);
      return true;
    });
    assert.deepEqual(await worldState(aws), { writer: 'us-east-1', desired: [6, 4] });
    const events = await readEvents(auditPath(stateDir, 'demo'));
    const failed = events.find((e) => e.type === 'result' && e.data?.ok === false);
    assert.equal((failed?.data?.error as { code: string }).code, 'InvalidGlobalClusterStateFault');
    const record = JSON.parse(await readFile(runRecordPath(stateDir, events[0].runId), 'utf8')) as RunRecord;
    assert.equal(record.outcome, 'partial');
    assert.deepEqual(
      record.steps.map((s) => [s.id, s.status]),
      [
        ['scale', 'succeeded'],
        ['switch-db', 'failed'],
      ],
    );
    assert.equal((await verifyAuditFile(auditPath(stateDir, 'demo'))).broken, null);
  });
});
