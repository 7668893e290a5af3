// Issue 10 item 9, end to end through the built CLI and the real Route 53 client against the sandbox, which
// produces both errors on purpose: PriorRequestNotComplete (a batch refused while Route 53 still processes a
// prior request: sent again, nothing was applied) and a stranded change (Route 53 developer guide, accelerated
// recovery, "Resubmitting DNS changes after failover": accepted, never applied, GetChange answers NoSuchChange;
// mr resubmits it). Each: the change is in effect exactly once, and the audit log records every attempt.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAudited, auditEvents, inWorld, mr, type World } from './steps-helpers.js';

interface R53Snap {
  zones: { records: { name: string; setIdentifier?: string; weight?: number }[] }[];
  changes: { id: string; comment?: string }[];
}
const r53 = (w: World) => w.sb.control.snapshot().services.route53 as R53Snap;
const weights = (w: World) =>
  Object.fromEntries(
    r53(w)
      .zones[0].records.filter((r) => r.weight !== undefined)
      .map((r) => [`${r.name.split('.')[0]} ${r.setIdentifier}`, r.weight]),
  );
const SHIFTED = { 'api euw1': 100, 'api use1': 0, 'api usw2': 0, 'app euw1': 100, 'app use1': 0, 'app usw2': 0 };
const batches = (w: World) => w.sb.control.calls().filter((c) => c.operation === 'ChangeResourceRecordSets');

type CallEvent = { step?: string; ok?: boolean; error?: { code?: string }; call?: { operation: string; params?: { ChangeBatch?: { Comment?: string } } } };
async function shiftEvents(w: World, type: 'intent' | 'result'): Promise<CallEvent[]> {
  return (await auditEvents(w)).filter((e) => e.type === type && (e.data as CallEvent).step === 'shift').map((e) => e.data as CallEvent);
}

describe('Route 53 changes the sandbox refuses or strands on purpose (item 9)', { concurrency: 2 }, () => {
  test('PriorRequestNotComplete twice: sent again after a pause, applied once, three attempts on record', () =>
    inWorld(async (w) => {
      const changesBefore = r53(w).changes.length;
      w.sb.control.setFaults({
        errors: [
          {
            service: 'route53',
            operation: 'ChangeResourceRecordSets',
            code: 'PriorRequestNotComplete',
            message: 'The request was rejected because Route 53 was still processing a prior request.',
            status: 400,
            count: 2,
          },
        ],
      });
      const r = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes', '--no-lock']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(weights(w), SHIFTED);
      assert.deepEqual(
        batches(w).map((c) => c.status),
        [400, 400, 200],
      );
      assert.equal(r53(w).changes.length, changesBefore + 1, 'one change batch took effect');
      const results = await shiftEvents(w, 'result');
      assert.deepEqual(
        results.map((e) => e.ok),
        [false, false, true],
      );
      assert.equal((await shiftEvents(w, 'intent')).length, 3, 'each attempt is its own audited intent');
      await assertAudited(w);
    }));

  test('a stranded change: GetChange answers NoSuchChange, the records are not in effect, mr resubmits once', () =>
    inWorld(async (w) => {
      const changesBefore = r53(w).changes.length;
      w.sb.control.setFaults({ strandedChanges: 1 });
      const r = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes', '--no-lock']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout + r.stderr, /unknown to Route 53 \(NoSuchChange\) and not in effect: resubmitting/);
      assert.deepEqual(weights(w), SHIFTED);
      assert.deepEqual(
        batches(w).map((c) => c.status),
        [200, 200],
      );
      // The stranded batch never took effect: the zone knows one change, the resubmission.
      const changes = r53(w).changes.slice(changesBefore);
      assert.equal(changes.length, 1);
      const intents = await shiftEvents(w, 'intent');
      assert.equal(intents.length, 2, 'the first attempt and the resubmission, each audited');
      assert.match(changes[0].comment ?? '', /resubmitted: change C[0-9A-Z]+ answered NoSuchChange/);
      assert.deepEqual(
        (await shiftEvents(w, 'result')).map((e) => e.ok),
        [true, true],
      );
      await assertAudited(w);
    }));
});
