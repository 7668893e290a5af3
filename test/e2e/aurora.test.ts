// mr aurora switchover / failover, spawned against a sandbox in this process.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertAudited, assertNothingChanged, auditEvents, auditVerifies, inWorld, mr, mutating, stepIntents, type World } from './steps-helpers.js';

interface AuroraSnap {
  globalClusters: { writer: string }[];
}
const writer = (w: World) => (w.sb.control.snapshot().services.aurora as AuroraSnap).globalClusters[0].writer;

const lagging = {
  worldOverrides: (wf: { aurora?: unknown }) =>
    void ((wf.aurora as { globalClusters: { members: { lagMs?: number }[] }[] }).globalClusters[0].members[1].lagMs = 4000),
};

// Each test has its own sandbox and state dir, so two run at once (they mostly wait on polls).
describe('mr aurora switchover', { concurrency: 2 }, () => {
  test('moves the writer, audits every mutation, and a re-run is a no-op with no mutating call', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(writer(w), 'demo-euw1');
      assert.deepEqual(await stepIntents(w), ['rds us-east-1 SwitchoverGlobalCluster']);
      await assertAudited(w);
      const results = (await auditEvents(w)).filter((e) => e.type === 'result' && (e.data as { step?: string }).step === 'switchover');
      assert.equal(results.length, 1);
      assert.equal((results[0].data as { ok: boolean }).ok, true);
      assert.ok((results[0].data as { requestId?: string }).requestId, 'the AWS request id is recorded');
      await auditVerifies(w);

      const before = mutating(w).length;
      const again = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /nothing to do/);
      assert.equal(mutating(w).length, before, 'no mutating call on the re-run');
    }));

  test('without a terminal and without --yes: refused (exit 4), nothing changed', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['aurora', 'switchover', 'eu-west-1']);
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /no terminal/);
      assert.equal(writer(w), 'demo-use1');
      await assertNothingChanged(w);
    }));

  test('declined at the prompt: exit 4, nothing changed', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['aurora', 'switchover', 'eu-west-1'], { tty: true, input: 'n\r' });
      assert.equal(r.code, 4, r.stdout);
      assert.match(r.stdout, /declined/);
      assert.equal(writer(w), 'demo-use1');
      await assertNothingChanged(w);
    }));

  test('an audit log that cannot be written: exit 1, no mutating call at all', () =>
    inWorld(async (w) => {
      // A directory where the log file should be: no append can succeed, even as root.
      await mkdir(join(w.stateDir, 'audit', 'demo.ndjson'), { recursive: true });
      const r = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /audit log/);
      assert.deepEqual(mutating(w), []);
      assert.equal(writer(w), 'demo-use1');
    }));

  test('a target lagging above the bound is refused (exit 3) naming value, bound and override; --max-lag lets it plan', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /eu-west-1 lag \d+ ms is above the bound 1000 ms/);
      assert.match(r.stderr, /--max-lag/);
      assert.deepEqual(mutating(w), []);
      const raised = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--max-lag', '60000', '--dry-run']);
      assert.equal(raised.code, 0, raised.stderr);
      assert.deepEqual(mutating(w), []);
    }, lagging));

  test('an AWS error from the switchover stops the run with the error and a record; nothing applied', () =>
    inWorld(async (w) => {
      w.sb.control.setFaults({
        errors: [
          {
            service: 'rds',
            operation: 'SwitchoverGlobalCluster',
            code: 'InvalidGlobalClusterStateFault',
            message: 'injected for the test',
            status: 400,
            count: 1,
          },
        ],
      });
      const r = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /InvalidGlobalClusterStateFault/);
      assert.equal(writer(w), 'demo-use1');
      await assertAudited(w);
      const failed = (await auditEvents(w)).find((e) => e.type === 'result' && (e.data as { step?: string }).step === 'switchover');
      assert.equal((failed?.data as { ok: boolean }).ok, false);
      assert.match(JSON.stringify(failed?.data), /InvalidGlobalClusterStateFault/);
      await auditVerifies(w);
    }));

  test('an unknown region is bad input (exit 2) naming the allowed ones; --dry-run --json prints the plan and changes nothing', () =>
    inWorld(async (w) => {
      const bad = await mr(w, ['aurora', 'switchover', 'ap-south-1', '--yes']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /ap-south-1.*us-east-1, eu-west-1, us-west-2/);
      const dry = await mr(w, ['--json', 'aurora', 'switchover', 'us-west-2', '--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      const plan = JSON.parse(dry.stdout) as { version: number; stages: { steps: { kind: string; changes: { to: unknown }[] }[] }[] };
      assert.equal(plan.version, 1);
      assert.equal(plan.stages[0].steps[0].kind, 'aurora.switchover');
      assert.equal(plan.stages[0].steps[0].changes[0].to, 'us-west-2');
      assert.deepEqual(mutating(w), []);
    }));
});

describe('mr aurora failover', { concurrency: 2 }, () => {
  test('refuses without --allow-data-loss (exit 2), calling nothing', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['aurora', 'failover', 'eu-west-1', '--yes']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--allow-data-loss/);
      assert.deepEqual(w.sb.control.calls(), []);
    }));

  test("with the primary's region down: promotes the target and never calls that region's RDS or CloudWatch", () =>
    inWorld(async (w) => {
      w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
      const r = await mr(w, ['aurora', 'failover', 'eu-west-1', '--yes', '--allow-data-loss']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(writer(w), 'demo-euw1');
      assert.match(r.stdout, /data at risk \d+\.\d s \(\d+ ms\)/);
      assert.deepEqual(await stepIntents(w), ['rds eu-west-1 FailoverGlobalCluster']);
      const intoFailed = w.sb.control.calls().filter((c) => c.region === 'us-east-1' && c.service !== 'route53');
      assert.deepEqual(
        intoFailed.map((c) => `${c.service} ${c.operation}`),
        [],
      );
      await assertAudited(w);
      await auditVerifies(w);
    }));
});
