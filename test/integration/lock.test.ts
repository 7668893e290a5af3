// The run lock against the sandbox's Route 53 through the real SDK client: the TXT record, the
// atomic CREATE that lets exactly one of two simultaneous runs win, takeover, release, and the
// control plane being down.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAws } from '../../src/aws/factory.js';
import type { Aws } from '../../src/aws/types.js';
import { loadTopologyFile } from '../../src/config/load.js';
import type { Topology } from '../../src/config/schema.js';
import { acquireLock, decodeLock, readLockState, releaseLock, LockUnreachableError, type LockDeps } from '../../src/engine/lock.js';
import type { MutationCall } from '../../src/engine/types.js';
import { RefusedError } from '../../src/io/errors.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { demoTopology } from '../helpers/paths.js';

let sandbox: SandboxHandle;
let aws: Aws;
let topology: Topology;
const record = '_mr-lock.demo.demo.example.com.';

before(async () => {
  sandbox = await startSandbox({ timeScale: 600, port: 0 });
  aws = createAws({
    endpointUrl: sandbox.endpoint,
    credentials: { accessKeyId: 'AKIAMRLOCKTEST000000', secretAccessKey: 'sandbox' },
    requestTimeoutMs: 2000,
    maxAttempts: 1,
  });
  topology = await loadTopologyFile(demoTopology, 'demo topology.yaml');
});

after(async () => {
  aws.destroy();
  await sandbox.stop();
});

function deps(calls: MutationCall[] = [], now?: () => Date): LockDeps {
  const sink = { intent: async (call: MutationCall) => void calls.push(call), result: async () => {} };
  return { route53: aws.route53(), changes: aws.mutating(sink).route53(), topology, now };
}

const mutatingCalls = () => sandbox.control.calls().filter((c) => c.mutating);

describe('run lock in Route 53', () => {
  test('taken as a TXT record in the zone, read back, released with the exact value', async () => {
    sandbox.control.reset();
    const calls: MutationCall[] = [];
    const held = await acquireLock(deps(calls), { runId: '20260101T000000Z-aaaaaa', actor: 'alice@laptop (arn:aws:iam::123456789012:user/alice)' });
    const state = await readLockState(aws.route53(), topology);
    assert.equal(state.recordName, record);
    assert.equal(state.record?.type, 'TXT');
    assert.equal(state.value?.runId, '20260101T000000Z-aaaaaa');
    assert.equal(state.value?.actor, 'alice@laptop (arn:aws:iam::123456789012:user/alice)');
    assert.equal(decodeLock(state.record!.values![0])?.expires, held.value.expires);

    assert.equal(await releaseLock(deps(calls), held), 'released');
    assert.equal((await readLockState(aws.route53(), topology)).record, undefined);
    // Both changes went through the choke point, and they are the only mutating calls made.
    assert.deepEqual(
      calls.map((c) => [c.operation, c.target, c.params.why]),
      [
        ['ChangeResourceRecordSets', `lock ${record}`, 'take the run lock'],
        ['ChangeResourceRecordSets', `lock ${record}`, 'release the run lock'],
      ],
    );
    assert.deepEqual(
      mutatingCalls().map((c) => [c.service, c.operation, c.status]),
      [
        ['route53', 'ChangeResourceRecordSets', 200],
        ['route53', 'ChangeResourceRecordSets', 200],
      ],
    );
  });

  test('two runs taking it at the same moment: exactly one wins, the other is refused naming it', async () => {
    sandbox.control.reset();
    const results = await Promise.allSettled([
      acquireLock(deps(), { runId: '20260101T000000Z-bbbbbb', actor: 'bob' }),
      acquireLock(deps(), { runId: '20260101T000000Z-cccccc', actor: 'carol' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value.value;
    assert.ok(lost[0].reason instanceof RefusedError);
    assert.match(lost[0].reason.message, new RegExp(`${winner.actor} holds it for run ${winner.runId}`));
    assert.equal((await readLockState(aws.route53(), topology)).value?.runId, winner.runId);
  });

  test('an expired lock is taken over in one batch; its old holder then releases nothing', async () => {
    sandbox.control.reset();
    const t0 = Date.now();
    const old = await acquireLock(deps(), { runId: '20260101T000000Z-dddddd', actor: 'dave', ttlMs: 1000 });
    sandbox.control.clearCalls();
    const held = await acquireLock(
      deps([], () => new Date(t0 + 10_000)),
      { runId: '20260101T000000Z-eeeeee', actor: 'erin' },
    );
    assert.equal(held.tookOver?.runId, '20260101T000000Z-dddddd');
    assert.equal(mutatingCalls().length, 1, 'DELETE + CREATE in a single ChangeResourceRecordSets');
    assert.equal(await releaseLock(deps(), old), 'not ours');
    assert.equal((await readLockState(aws.route53(), topology)).value?.runId, '20260101T000000Z-eeeeee');
  });

  test('with the control plane down the lock is refused as unreachable, and nothing is changed', async () => {
    sandbox.control.reset();
    sandbox.control.setFaults({ route53ControlPlaneDown: true });
    try {
      await assert.rejects(
        acquireLock(deps(), { runId: '20260101T000000Z-ffffff', actor: 'frank' }),
        (e: unknown) => e instanceof LockUnreachableError && /--no-lock/.test(e.hint ?? ''),
      );
      assert.equal(sandbox.control.calls().filter((c) => c.mutating && c.status !== 0).length, 0);
    } finally {
      sandbox.control.clearFaults();
    }
    assert.equal((await readLockState(aws.route53(), topology)).record, undefined);
  });
});
