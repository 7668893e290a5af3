// The choke point with an unknown outcome: mutations are sent once, so a lost answer is settled by
// the caller's read-back, and the audit log says which way it went. The choke point is the AWS
// layer's sendMutation; the engine's auditSink is what it writes to.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditWriter } from '../../src/audit/log.js';
import { clientConfig } from '../../src/aws/factory.js';
import { AwsCallError } from '../../src/aws/errors.js';
import { sendMutation, type MutateOptions } from '../../src/aws/mutation.js';
import type { MutationResult } from '../../src/aws/types.js';
import { auditSink } from '../../src/engine/step-context.js';
import type { MutationCall } from '../../src/engine/types.js';

const call: MutationCall = { service: 'rds', region: 'us-east-1', operation: 'SwitchoverGlobalCluster', target: 'aurora global cluster g', params: {} };
const lost = () => new AwsCallError('rds', 'us-east-1', 'SwitchoverGlobalCluster', 'TimeoutError', 'no answer', { unreachable: true, throttled: false });
const refused = () =>
  new AwsCallError('rds', 'us-east-1', 'SwitchoverGlobalCluster', 'InvalidGlobalClusterStateFault', 'busy', {
    unreachable: false,
    throttled: false,
    httpStatus: 400,
  });

function rig() {
  const events: { type: string; data: Record<string, unknown> }[] = [];
  const audit = { append: async (type: string, data: Record<string, unknown>) => void events.push({ type, data }) } as unknown as AuditWriter;
  const tally = { applied: 0 };
  const sink = auditSink({ audit, stepId: 's', tally, signal: new AbortController().signal, now: () => new Date() });
  // The old face of the choke point over the new one: each attempt sends what fn() does.
  const mutate = <T extends MutationResult>(c: MutationCall, fn: () => Promise<T>, opts?: MutateOptions<T>) =>
    sendMutation(sink, c, async () => ({ send: fn }), opts);
  return { events, tally, mutate };
}

describe('a mutation whose answer is lost', () => {
  test('the mutating path sends once; reads keep the standard retries', () => {
    assert.equal(clientConfig({}, 'us-east-1', 'mutate').maxAttempts, 1);
    assert.equal(clientConfig({ maxAttempts: 5 }, 'us-east-1', 'mutate').maxAttempts, 1);
    assert.equal(clientConfig({}, 'us-east-1', 'read').maxAttempts, 3);
  });

  test('read back as applied: the run goes on, recorded "applied (answer lost)", counted as applied', async () => {
    const { events, tally, mutate } = rig();
    let sent = 0;
    const out = await mutate(call, async () => (sent++, Promise.reject(lost())), { reconcile: async () => ({ requestId: undefined }), resend: true });
    assert.deepEqual(out, { requestId: undefined });
    assert.equal(sent, 1, 'not sent again');
    assert.deepEqual(
      events.map((e) => e.type),
      ['intent', 'result'],
    );
    assert.equal(events[1].data.ok, true);
    assert.equal(events[1].data.outcome, 'applied (answer lost)');
    assert.equal(tally.applied, 1);
  });

  test('read back as not applied, with resend: a second intent, and its answer counts', async () => {
    const { events, tally, mutate } = rig();
    let sent = 0;
    const out = await mutate(call, async () => (++sent === 1 ? Promise.reject(lost()) : { requestId: 'req-2' }), {
      reconcile: async () => undefined,
      resend: true,
    });
    assert.deepEqual(out, { requestId: 'req-2' });
    assert.equal(sent, 2);
    assert.deepEqual(
      events.map((e) => e.type),
      ['intent', 'result', 'intent', 'result'],
    );
    assert.equal(events[1].data.outcome, 'not applied (answer lost, read back)');
    assert.equal(events[3].data.requestId, 'req-2');
    assert.equal(tally.applied, 1);
  });

  test('read back as not applied, without resend: the error stands and nothing counts as applied', async () => {
    const { tally, mutate } = rig();
    await assert.rejects(
      mutate(call, async () => Promise.reject(lost()), { reconcile: async () => undefined }),
      /no answer/,
    );
    assert.equal(tally.applied, 0);
  });

  test('an AWS error answer is not reconciled: the call did not take effect', async () => {
    const { events, tally, mutate } = rig();
    let reads = 0;
    await assert.rejects(
      mutate(call, async () => Promise.reject(refused()), { reconcile: async () => (reads++, { requestId: 'x' }) }),
      /busy/,
    );
    assert.equal(reads, 0);
    assert.equal(tally.applied, 0);
    assert.equal(events[1].data.ok, false);
  });

  test('the read-back failing too leaves the outcome unknown: counted as maybe applied', async () => {
    const { tally, mutate } = rig();
    await assert.rejects(
      mutate(call, async () => Promise.reject(lost()), { reconcile: async () => Promise.reject(lost()) }),
      /no answer/,
    );
    assert.equal(tally.applied, 1);
  });
});
