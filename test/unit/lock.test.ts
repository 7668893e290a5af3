import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  acquireLock,
  decodeLock,
  encodeLock,
  forceRelease,
  forceReleaseDecision,
  isExpired,
  lockRecordName,
  releaseLock,
  verifyLockHeld,
  LockLostError,
  LockUnreachableError,
  type LockDeps,
} from '../../src/engine/lock.js';
import { AwsCallError } from '../../src/aws/errors.js';
import { RefusedError, ExitCode } from '../../src/io/errors.js';
import type { ChangeInfo, RecordChange, RecordSet, Route53Api, Route53Mutations } from '../../src/aws/types.js';
import { fakeAws } from '../helpers/fake-aws.js';
import type { Topology } from '../../src/config/schema.js';
import type { MutationCall } from '../../src/engine/types.js';

const topology = {
  version: 1,
  name: 'demo',
  regions: ['us-east-1', 'eu-west-1'],
  timeouts: { read: '4s', verify: '15m', poll: '2s', readMs: 4000, verifyMs: 900_000, pollMs: 2000 },
  route53: { hostedZoneId: 'Z1', records: [], healthChecks: {} },
} as unknown as Topology;

const batchError = (msg: string) =>
  new AwsCallError('route53', 'us-east-1', 'ChangeResourceRecordSets', 'InvalidChangeBatch', msg, { unreachable: false, throttled: false });

/** Route 53's batch semantics for one zone: CREATE fails if present, DELETE needs the exact values, all or nothing. */
class FakeRoute53 {
  records = new Map<string, RecordSet>();
  changes: RecordChange[][] = [];
  down = false;
  /** Called before a batch is applied, to simulate another operator racing us. */
  beforeChange?: () => void;

  api(): Route53Api & Route53Mutations {
    const self = this;
    const fail = () => {
      if (self.down) throw new AwsCallError('route53', 'us-east-1', 'GetHostedZone', 'ECONNRESET', 'socket hang up', { unreachable: true, throttled: false });
    };
    return {
      async getHostedZone(id) {
        fail();
        return { id, name: 'demo.example.com.' };
      },
      async zoneName(id) {
        return (await this.getHostedZone(id)).name;
      },
      knownZoneName: () => undefined,
      forgetZoneName: () => undefined,
      async readRecords(_zone, name, type) {
        fail();
        const r = self.records.get(`${name}|${type}`);
        return r ? [structuredClone(r)] : [];
      },
      async changeRecords(_zone, changes): Promise<ChangeInfo> {
        fail();
        self.beforeChange?.();
        self.beforeChange = undefined;
        const next = new Map(self.records);
        for (const c of changes) {
          const key = `${c.record.name}|${c.record.type}`;
          const cur = next.get(key);
          if (c.action === 'CREATE') {
            if (cur) throw batchError(`[Tried to create resource record set [name='${c.record.name}', type='TXT'] but it already exists]`);
            next.set(key, structuredClone(c.record));
          } else if (c.action === 'DELETE') {
            if (!cur || JSON.stringify(cur.values) !== JSON.stringify(c.record.values))
              throw batchError('[Tried to delete resource record set but the values provided do not match the current values]');
            next.delete(key);
          }
        }
        self.records = next;
        self.changes.push(changes);
        return { changeId: `C${self.changes.length}`, status: 'PENDING' };
      },
      getChange: async () => ({ changeId: 'C', status: 'INSYNC' }),
      getHealthCheck: async () => assert.fail('not used'),
      getHealthCheckStatus: async () => [],
      getHealthCheckLastFailureReason: async () => [],
      testDnsAnswer: async () => assert.fail('not used'),
      setHealthCheckInverted: async () => assert.fail('not used'),
    };
  }
}

function deps(fake: FakeRoute53, now: Date, calls: MutationCall[] = []): LockDeps {
  return {
    route53: fake.api(),
    topology,
    now: () => now,
    // The fake zone's changes behind the real choke point; the sink keeps the intents.
    changes: fakeAws({ route53: () => fake.api() })
      .mutating({ intent: async (call) => void calls.push(call), result: async () => {} })
      .route53(),
  };
}

const t0 = new Date('2026-01-01T00:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('lock value', () => {
  test('encodes to one quoted TXT string and decodes back', () => {
    const v = {
      runId: '20260101T000000Z-abcdef',
      actor: 'arn:aws:iam::123456789012:user/ops (ops@host one)',
      since: t0.toISOString(),
      expires: later(60_000).toISOString(),
    };
    const txt = encodeLock(v);
    assert.match(txt, /^"mr-lock\/1 run=20260101T000000Z-abcdef since=\S+ expires=\S+ actor=\S+"$/);
    assert.deepEqual(decodeLock(txt), v);
    const w = { ...v, host: 'ops laptop', pid: 4242 };
    assert.deepEqual(decodeLock(encodeLock(w)), w);
  });

  test('a very long actor is cut so the string stays within 255 characters', () => {
    const v = { runId: 'r1', actor: 'x'.repeat(400) + ' é', since: t0.toISOString(), expires: t0.toISOString() };
    const txt = encodeLock(v);
    assert.ok(txt.length - 2 <= 255, `length ${txt.length}`);
    assert.equal(decodeLock(txt)?.runId, 'r1');
  });

  test('values mr did not write are not locks', () => {
    assert.equal(decodeLock('"v=spf1 -all"'), undefined);
    assert.equal(decodeLock('"mr-lock/1 run=x"'), undefined);
  });

  test('expiry is inclusive of the expiry instant', () => {
    const v = { runId: 'r', actor: 'a', since: t0.toISOString(), expires: later(1000).toISOString() };
    assert.equal(isExpired(v, later(999)), false);
    assert.equal(isExpired(v, later(1000)), true);
  });

  test('record name: topology override, else _mr-lock.<name>.<zone>', () => {
    assert.equal(lockRecordName(topology, 'demo.example.com.'), '_mr-lock.demo.demo.example.com.');
    const custom = { ...topology, route53: { ...topology.route53!, lockRecord: 'lock.demo.example.com' } } as Topology;
    assert.equal(lockRecordName(custom, 'demo.example.com.'), 'lock.demo.example.com.');
  });
});

describe('acquire and release', () => {
  test('the first run takes the lock with one audited CREATE; the second is refused naming the holder', async () => {
    const fake = new FakeRoute53();
    const calls: MutationCall[] = [];
    const held = await acquireLock(deps(fake, t0, calls), { runId: 'run-a', actor: 'alice', ttlMs: 60_000 });
    assert.equal(held.recordName, '_mr-lock.demo.demo.example.com.');
    assert.deepEqual(
      fake.changes.map((b) => b.map((c) => c.action)),
      [['CREATE']],
    );
    assert.equal(calls.length, 1);
    assert.equal(calls[0].operation, 'ChangeResourceRecordSets');
    assert.equal(calls[0].target, 'lock _mr-lock.demo.demo.example.com.');

    await assert.rejects(acquireLock(deps(fake, later(1000)), { runId: 'run-b', actor: 'bob' }), (e: unknown) => {
      assert.ok(e instanceof RefusedError);
      assert.equal(e.exitCode, ExitCode.Refused);
      assert.match(e.message, /alice holds it for run run-a since 2026-01-01T00:00:00\.000Z \(until 2026-01-01T00:01:00\.000Z\)/);
      assert.match(e.hint ?? '', /mr resume run-a/);
      return true;
    });
    assert.equal(fake.changes.length, 1, 'the refused run made no change');
  });

  test('losing the CREATE race is refused with the winner named', async () => {
    const fake = new FakeRoute53();
    const rival = deps(fake, t0);
    fake.beforeChange = () => {
      // Another operator's CREATE lands between our read and our CREATE.
      fake.records.set('_mr-lock.demo.demo.example.com.|TXT', {
        name: '_mr-lock.demo.demo.example.com.',
        type: 'TXT',
        ttl: 60,
        values: [encodeLock({ runId: 'run-z', actor: 'zoe', since: t0.toISOString(), expires: later(60_000).toISOString() })],
      });
    };
    await assert.rejects(acquireLock(rival, { runId: 'run-a', actor: 'alice' }), /zoe holds it for run run-z/);
  });

  test('an expired lock is taken over in one batch: DELETE of the exact old value + CREATE', async () => {
    const fake = new FakeRoute53();
    await acquireLock(deps(fake, t0), { runId: 'run-a', actor: 'alice', ttlMs: 1000 });
    const held = await acquireLock(deps(fake, later(5000)), { runId: 'run-b', actor: 'bob' });
    assert.equal(held.tookOver?.runId, 'run-a');
    assert.deepEqual(
      fake.changes[1].map((c) => c.action),
      ['DELETE', 'CREATE'],
    );
    assert.equal(decodeLock(fake.changes[1][0].record.values![0])?.runId, 'run-a');
  });

  test('a resume takes over the unexpired lock of the run it continues only when that process is gone from this host', async () => {
    const fake = new FakeRoute53();
    await acquireLock(deps(fake, t0), { runId: 'run-a', actor: 'alice', host: 'h1', pid: 100 });
    const alive = new Set([100]);
    const isAlive = (pid: number) => alive.has(pid);
    // Still running: refused, whatever the run id.
    await assert.rejects(
      acquireLock(deps(fake, later(1000)), { runId: 'run-a2', actor: 'alice', successorOf: ['run-a'], host: 'h1', pid: 200, isAlive }),
      /holds it for run run-a/,
    );
    // Gone, but seen from another host: cannot be known dead, refused.
    alive.clear();
    await assert.rejects(
      acquireLock(deps(fake, later(1000)), { runId: 'run-a2', actor: 'alice', successorOf: ['run-a'], host: 'h2', pid: 200, isAlive }),
      /holds it for run run-a/,
    );
    // Gone from this host: taken over in one batch.
    const held = await acquireLock(deps(fake, later(1000)), { runId: 'run-a2', actor: 'alice', successorOf: ['run-a'], host: 'h1', pid: 200, isAlive });
    assert.equal(held.tookOver?.runId, 'run-a');
    assert.equal(held.value.host, 'h1');
    assert.equal(held.value.pid, 200);
    // Not a successor: refused even though run-a2's process is "gone".
    await assert.rejects(
      acquireLock(deps(fake, later(2000)), { runId: 'run-x', actor: 'x', successorOf: ['run-a'], host: 'h1', pid: 300, isAlive }),
      /holds it for run run-a2/,
    );
  });

  test('release deletes our value; a lock taken over since is left alone', async () => {
    const fake = new FakeRoute53();
    const a = await acquireLock(deps(fake, t0), { runId: 'run-a', actor: 'alice', ttlMs: 1000 });
    await acquireLock(deps(fake, later(5000)), { runId: 'run-b', actor: 'bob' });
    assert.equal(await releaseLock(deps(fake, later(6000)), a), 'not ours');
    assert.equal(fake.records.size, 1);
    const b = { ...a, value: { ...a.value, runId: 'run-b' } };
    assert.equal(await releaseLock(deps(fake, later(7000)), b), 'released');
    assert.equal(fake.records.size, 0);
    assert.equal(await releaseLock(deps(fake, later(8000)), b), 'gone');
  });

  test('force release deletes whatever lock is there, through the choke point', async () => {
    const fake = new FakeRoute53();
    await acquireLock(deps(fake, t0), { runId: 'run-a', actor: 'alice' });
    const calls: MutationCall[] = [];
    const state = await forceRelease(deps(fake, t0, calls));
    assert.equal(state.value?.runId, 'run-a');
    assert.equal(fake.records.size, 0);
    assert.deepEqual(
      calls.map((c) => c.params.why),
      ['force-release the run lock'],
    );
  });

  test('an unreachable control plane refuses with exit 3 and points at --no-lock', async () => {
    const fake = new FakeRoute53();
    fake.down = true;
    await assert.rejects(acquireLock(deps(fake, t0), { runId: 'run-a', actor: 'alice' }), (e: unknown) => {
      assert.ok(e instanceof LockUnreachableError);
      assert.equal(e.exitCode, ExitCode.Refused);
      assert.match(e.message, /Route 53's control plane \(us-east-1\).*does not answer \(ECONNRESET\)/);
      assert.match(e.hint ?? '', /--no-lock/);
      return true;
    });
  });

  test('a foreign TXT value at the lock name is not overwritten', async () => {
    const fake = new FakeRoute53();
    fake.records.set('_mr-lock.demo.demo.example.com.|TXT', { name: '_mr-lock.demo.demo.example.com.', type: 'TXT', ttl: 60, values: ['"hello"'] });
    await assert.rejects(acquireLock(deps(fake, t0), { runId: 'run-a', actor: 'alice' }), /TXT value mr did not write/);
    assert.equal(fake.changes.length, 0);
  });
});

describe('a run re-reads its lock (issue 11, item 1)', () => {
  test('held while the record carries exactly our value; lost when force-released or taken over, naming the new holder', async () => {
    const fake = new FakeRoute53();
    const d = deps(fake, t0);
    const held = await acquireLock(d, { runId: 'run-a', actor: 'alice', ttlMs: 60_000, host: 'h1', pid: 11 });
    assert.equal(await verifyLockHeld(d, held), 'held');
    // Released by someone else: gone.
    await forceRelease(d);
    await assert.rejects(
      verifyLockHeld(d, held),
      (e: unknown) =>
        e instanceof LockLostError && e.exitCode === ExitCode.Refused && /no longer this run's \(run-a\): the lock record is gone/.test(e.message),
    );
    // Then taken by run B: B is named.
    await acquireLock(d, { runId: 'run-b', actor: 'bob', ttlMs: 60_000 });
    await assert.rejects(verifyLockHeld(d, held), (e: unknown) => e instanceof LockLostError && /bob holds it for run run-b/.test(e.message));
    // The same run id with another value (released and re-taken) is not our lock either.
    await forceRelease(d);
    const again = await acquireLock(deps(fake, later(1000)), { runId: 'run-a', actor: 'alice', ttlMs: 60_000, host: 'h1', pid: 11 });
    assert.notEqual(again.txt, held.txt);
    await assert.rejects(verifyLockHeld(d, held), LockLostError);
    assert.equal(await verifyLockHeld(d, again), 'held');
  });

  test('expired is lost; an unreachable control plane leaves an unexpired lock unverified (no one else can take it)', async () => {
    const fake = new FakeRoute53();
    const held = await acquireLock(deps(fake, t0), { runId: 'run-a', actor: 'alice', ttlMs: 60_000 });
    await assert.rejects(verifyLockHeld(deps(fake, later(60_000)), held), LockLostError);
    fake.down = true;
    assert.equal(await verifyLockHeld(deps(fake, later(1000)), held), 'unverified');
    await assert.rejects(verifyLockHeld(deps(fake, later(60_000)), held), /socket hang up/);
  });
});

describe('mr lock release --force <run-id> decides (issue 11, item 1)', () => {
  const state = (value?: { runId: string; host?: string; pid?: number }) => ({
    zoneId: 'Z1',
    recordName: '_mr-lock.demo.demo.example.com.',
    ...(value
      ? {
          record: { name: '_mr-lock.demo.demo.example.com.', type: 'TXT' as const, values: ['"x"'] },
          value: { actor: 'bob@h2 (arn)', since: t0.toISOString(), expires: later(60_000).toISOString(), ...value },
        }
      : {}),
  });
  const alive = () => true;
  test('nothing locked; a wrong run id is refused naming the holder; a holder alive on this host needs --yes', () => {
    assert.deepEqual(forceReleaseDecision(state(), 'r1', { yes: false, now: t0 }), { kind: 'nothing' });
    const wrong = forceReleaseDecision(state({ runId: 'r1' }), 'r2', { yes: true, now: t0 });
    assert.equal(wrong.kind, 'refuse');
    assert.match(wrong.kind === 'refuse' ? wrong.message : '', /^the lock is held by run r1, not r2: bob@h2 \(arn\) holds it for run r1/);
    assert.match(wrong.kind === 'refuse' ? wrong.hint : '', /mr lock release --force r1/);
    const live = forceReleaseDecision(state({ runId: 'r1', host: 'me', pid: 42 }), 'r1', { yes: false, now: t0, host: 'me', isAlive: alive });
    assert.equal(live.kind, 'refuse');
    assert.match(live.kind === 'refuse' ? live.message : '', /run r1 is still running on this host \(pid 42\)/);
    assert.deepEqual(
      forceReleaseDecision(state({ runId: 'r1', host: 'me', pid: 42 }), 'r1', { yes: true, now: t0, host: 'me', isAlive: alive }).kind,
      'release',
    );
    const elsewhere = forceReleaseDecision(state({ runId: 'r1', host: 'other', pid: 42 }), 'r1', { yes: false, now: t0, host: 'me', isAlive: alive });
    assert.equal(elsewhere.kind === 'release' && elsewhere.holderAlive, false);
    const gone = forceReleaseDecision(state({ runId: 'r1', host: 'me', pid: 42 }), 'r1', { yes: false, now: t0, host: 'me', isAlive: () => false });
    assert.equal(gone.kind, 'release');
  });
});
