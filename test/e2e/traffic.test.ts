// mr traffic shift, spawned against a sandbox in this process.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertAudited, assertNothingChanged, auditEvents, auditVerifies, inWorld, mr, mutating, stepIntents, type World } from './steps-helpers.js';

interface R53Snap {
  zones: { records: { name: string; type: string; setIdentifier?: string; weight?: number; ttl?: number; values?: string[]; healthCheckId?: string }[] }[];
}
const records = (w: World) => (w.sb.control.snapshot().services.route53 as R53Snap).zones[0].records.filter((r) => r.weight !== undefined);
const weights = (w: World) => Object.fromEntries(records(w).map((r) => [`${r.name.split('.')[0]} ${r.setIdentifier}`, r.weight]));
const START = { 'api euw1': 0, 'api use1': 100, 'api usw2': 0, 'app euw1': 0, 'app use1': 100, 'app usw2': 0 };

/** Resolves when the sandbox has seen `n` record changes of the step (the lock's CREATE is the first). */
async function changesSeen(w: World, n: number, done: () => boolean): Promise<void> {
  while (!done() && w.sb.control.calls().filter((c) => c.operation === 'ChangeResourceRecordSets').length < n) await new Promise((r) => setTimeout(r, 5));
}

// Each test has its own sandbox and state dir, so two run at once (they mostly wait on polls).
describe('mr traffic shift', { concurrency: 2 }, () => {
  test('--to moves every record group, keeps every other field, is audited; a re-run is a no-op', () =>
    inWorld(async (w) => {
      const untouched = records(w).map(({ weight: _w, ...rest }) => rest);
      const r = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(weights(w), { 'api euw1': 100, 'api use1': 0, 'api usw2': 0, 'app euw1': 100, 'app use1': 0, 'app usw2': 0 });
      assert.deepEqual(
        records(w).map(({ weight: _w, ...rest }) => rest),
        untouched,
      );
      assert.deepEqual(await stepIntents(w), ['route53 us-east-1 ChangeResourceRecordSets']);
      await assertAudited(w);
      await auditVerifies(w);
      const before = mutating(w).length;
      const again = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /nothing to do/);
      assert.equal(mutating(w).length, before);
    }));

  test('--weights in steps: one change batch per step', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['traffic', 'shift', '--weights', 'us-east-1=50,eu-west-1=50', '--steps', '50,100', '--bake', '100ms', '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(weights(w), { 'api euw1': 50, 'api use1': 50, 'api usw2': 0, 'app euw1': 50, 'app use1': 50, 'app usw2': 0 });
      assert.deepEqual(await stepIntents(w), ['route53 us-east-1 ChangeResourceRecordSets', 'route53 us-east-1 ChangeResourceRecordSets']);
    }));

  test('a health gate failing between steps puts the weights back and fails the run with the reason', () =>
    inWorld(async (w) => {
      const run = mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--steps', '10,50,100', '--bake', '300ms', '--yes']);
      let finished = false;
      void run.then(() => (finished = true));
      // Lock CREATE, then the 10% step: from then on the target is sick.
      await changesSeen(w, 2, () => finished);
      w.sb.control.setFaults({ unhealthyApps: ['eu-west-1'] });
      const r = await run;
      // Rolled back completely, the world as it was: its own outcome, exit 1 (issue 11 item 8), not 5.
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /rolled back at shift: health gate failed before 50%.*eu-west-1.*weights restored to what they were before the step: us-east-1=100 eu-west-1=0 us-west-2=0.*nothing is left changed/,
      );
      assert.match(r.stdout, /run \S+: rolled back; the world is as it was before the run/);
      assert.deepEqual(weights(w), START);
      assert.deepEqual(await stepIntents(w), ['route53 us-east-1 ChangeResourceRecordSets', 'route53 us-east-1 ChangeResourceRecordSets']);
      await assertAudited(w);
      await auditVerifies(w);
    }));

  test('without a terminal and without --yes (exit 4), or declined at the prompt (exit 4): nothing changed', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1']);
      assert.equal(r.code, 4, r.stderr);
      const d = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1'], { tty: true, input: 'n\r' });
      assert.equal(d.code, 4, d.stdout);
      assert.deepEqual(weights(w), START);
      await assertNothingChanged(w);
    }));

  test('an audit log that cannot be written: exit 1, no mutating call', () =>
    inWorld(async (w) => {
      await mkdir(join(w.stateDir, 'audit', 'demo.ndjson'), { recursive: true });
      const r = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes']);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(mutating(w), []);
    }));

  test('refusals (exit 3): every weight 0 names the record; an unhealthy target names --no-gate', () =>
    inWorld(async (w) => {
      const zero = await mr(w, ['traffic', 'shift', '--weights', 'us-east-1=0', '--yes']);
      assert.equal(zero.code, 3, zero.stderr);
      assert.match(zero.stderr, /api\.demo\.example\.com\. A would have every weight 0/);
      w.sb.control.setFaults({ unhealthyApps: ['us-west-2'] });
      const sick = await mr(w, ['traffic', 'shift', '--to', 'us-west-2', '--yes']);
      assert.equal(sick.code, 3, sick.stderr);
      assert.match(sick.stderr, /us-west-2 health check.*not healthy/);
      assert.match(sick.stderr, /--no-gate/);
      assert.deepEqual(mutating(w), []);
      assert.deepEqual(weights(w), START);
    }));

  test('an AWS error from the change batch stops the run with the error and a record', () =>
    inWorld(async (w) => {
      // --no-lock: the injected error must hit the shift's batch, not the lock's TXT record.
      w.sb.control.setFaults({
        errors: [
          { service: 'route53', operation: 'ChangeResourceRecordSets', code: 'InvalidChangeBatch', message: 'injected for the test', status: 400, count: 1 },
        ],
      });
      const r = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes', '--no-lock']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /InvalidChangeBatch/);
      assert.deepEqual(weights(w), START);
      await assertAudited(w);
      const result = (await auditEvents(w)).find((e) => e.type === 'result' && (e.data as { step?: string }).step === 'shift');
      assert.equal((result?.data as { ok: boolean }).ok, false);
    }));

  test("Route 53's control plane not answering: one line pointing to health-check-driven failover, nothing changed", () =>
    inWorld(async (w) => {
      w.sb.control.setFaults({ route53ControlPlaneDown: true });
      const r = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^error: .*control plane \(us-east-1\) does not answer.*health-check-driven failover.*$/m);
      assert.deepEqual(mutating(w), []);
    }));

  test('bad input (exit 2): neither --to nor --weights, an unknown region, bad --steps', () =>
    inWorld(async (w) => {
      for (const args of [[], ['--to', 'ap-south-1'], ['--weights', 'eu-west-1'], ['--to', 'eu-west-1', '--steps', '10,50']]) {
        const r = await mr(w, ['traffic', 'shift', ...args, '--yes']);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      }
      assert.deepEqual(mutating(w), []);
    }));
});

describe('mr traffic shift when Route 53 forgets a change', () => {
  // After a us-east-1 impairment with accelerated recovery, pending changes are stranded and GetChange
  // answers NoSuchChange (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/accelerated-recovery.html).
  test('GetChange answers NoSuchChange: mr re-reads the records, finds the change in effect, and finishes without resubmitting', () =>
    inWorld(async (w) => {
      w.sb.control.setFaults({
        errors: [
          {
            service: 'route53',
            operation: 'GetChange',
            code: 'NoSuchChange',
            message: 'A change with the specified change ID does not exist.',
            status: 404,
            count: 1,
          },
        ],
      });
      const r = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout + r.stderr, /unknown to Route 53 \(NoSuchChange\), but the records read as it set them/);
      assert.deepEqual(weights(w), { 'api euw1': 100, 'api use1': 0, 'api usw2': 0, 'app euw1': 100, 'app use1': 0, 'app usw2': 0 });
      assert.deepEqual(await stepIntents(w), ['route53 us-east-1 ChangeResourceRecordSets'], 'not resubmitted');
      await assertAudited(w);
    }));
});
