// A mutation AWS accepts but whose answer never arrives: the sandbox applies the call, then answers
// after longer than mr's mutation timeout (15 s). Mutations are sent once (no SDK retry), and the
// choke point reads the resource back, so each is accepted exactly once and the run goes on (exit
// 0) or stops resumable (exit 5), never "failed, nothing applied" (exit 1) while the change runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readEvents } from '../../src/audit/read.js';
import type { FaultPatch } from '../../src/sandbox/types.js';
import { acceptedMutations, repeatedMutations } from './lib/wire.js';
import { openWorld, type RWorld } from './lib/world.js';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';

/** Past the mutation timeout (max(3 x read timeout, 15 s)). */
const LOST_MS = 16_000;

interface LostCase {
  name: string;
  args: string[];
  operation: string;
  faults: FaultPatch;
  /** How many of `operation` the run makes: each sent once, none retried. */
  sends: number;
}

const lost = (operation: string): FaultPatch => ({ latency: { [operation]: LOST_MS } });

const cases: LostCase[] = [
  {
    name: 'SwitchoverGlobalCluster',
    args: ['aurora', 'switchover', 'eu-west-1', '--yes', '--no-lock'],
    operation: 'SwitchoverGlobalCluster',
    faults: lost('SwitchoverGlobalCluster'),
    sends: 1,
  },
  {
    name: 'FailoverGlobalCluster',
    args: ['aurora', 'failover', 'eu-west-1', '--yes', '--allow-data-loss', '--no-lock'],
    operation: 'FailoverGlobalCluster',
    faults: lost('FailoverGlobalCluster'),
    sends: 1,
  },
  {
    name: 'FailoverGlobalReplicationGroup',
    args: ['redis', 'promote', 'eu-west-1', '--yes', '--no-lock'],
    operation: 'FailoverGlobalReplicationGroup',
    faults: lost('FailoverGlobalReplicationGroup'),
    sends: 1,
  },
  {
    name: 'UpdateService',
    args: ['ecs', 'scale', 'eu-west-1', '--to', '5', '--services', 'api', '--yes', '--no-lock'],
    operation: 'UpdateService',
    faults: lost('UpdateService'),
    sends: 1,
  },
  {
    name: 'ChangeResourceRecordSets (the shift)',
    args: ['traffic', 'shift', '--to', 'eu-west-1', '--yes', '--no-lock'],
    operation: 'ChangeResourceRecordSets',
    faults: lost('ChangeResourceRecordSets'),
    sends: 1,
  },
  // With the lock: its CREATE (and the DELETE that releases it) lose their answers too.
  {
    name: 'the lock CREATE',
    args: ['ecs', 'scale', 'eu-west-1', '--to', '5', '--services', 'api', '--yes'],
    operation: 'ChangeResourceRecordSets',
    faults: lost('ChangeResourceRecordSets'),
    sends: 2,
  },
];

async function auditEvents(w: RWorld) {
  const dir = join(w.stateDir, 'audit');
  return (await Promise.all(readdirSync(dir).map((f) => readEvents(join(dir, f))))).flat();
}

describe('a mutation accepted whose answer is lost', () => {
  let world: RWorld;

  before(async () => {
    world = await openWorld({ timeScale: 600 });
  });

  after(async () => {
    await world.close();
  });

  for (const c of cases) {
    test(c.name, { timeout: 180_000 }, async () => {
      await world.reset();
      world.sandbox.control.setFaults(c.faults);
      const r = await world.mr(c.args, { killAfterMs: 150_000 });
      world.sandbox.control.clearFaults();
      const accepted = acceptedMutations(world.sandbox, world.recorder);
      assert.deepEqual(repeatedMutations(accepted), [], 'no change accepted twice');
      const sent = world.sandbox.control.calls().filter((x) => x.operation === c.operation && x.mutating);
      assert.equal(sent.length, c.sends, `${c.operation} sent ${sent.length} times, want ${c.sends} (no retry, no resend)`);
      assert.ok(r.code === 0 || r.code === 5, `exit ${r.code}, not 0 or 5:\n${r.stderr.slice(-1500)}`);
      if (r.code === 5) assert.match(r.stderr, /mr resume/);
      const results = (await auditEvents(world)).filter((e) => e.type === 'result' && e.data?.operation === c.operation);
      assert.ok(
        results.some((e) => e.data?.outcome === 'applied (answer lost)'),
        `the audit log says the call was applied with its answer lost: ${JSON.stringify(results.map((e) => e.data))}`,
      );
    });
  }
});
