// The cut-lag recheck (cut-lag.ts) for the two other unplanned cuts: rds.promote-replica-cluster
// (AuroraBinlogReplicaLag) and redis.failover (GlobalDatastoreReplicationLag). Approved with us-east-1 up (a
// small lag), us-east-1 then goes down while the run waits on its lock's slowed Route 53 call: the lag grows
// past the approved data at risk by more than 30 s (cutLagMarginMs), so --yes refuses before the cut's stage,
// exit 3, nothing promoted, a recheck.refused event in the audit log.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { auditPath } from '../../src/audit/log.js';
import { readEvents } from '../../src/audit/read.js';
import type { AuditEvent } from '../../src/audit/types.js';
import { startMr } from '../helpers/run-mr.js';
import { useCustomWorld } from './custom-world.js';

const playbook = (kind: string, extra: string, first = '') => `version: 1
name: cut-${kind.replace('.', '-')}
description: an unplanned ${kind}
params:
  target: { type: region, required: true }
region: "{{ target }}"
stages:
${first}  - name: data
    steps:
      - { id: cut, kind: ${kind}, with: { target: "{{ target }}"${extra} } }
`;

const settle = '  - name: settle\n    steps:\n      - { id: settle, kind: wait, with: { duration: 3s } }\n';
const w = useCustomWorld({
  prefix: 'mr-cutlag-cc',
  world: (text) =>
    text.replace(
      /^(\s*)- \{ id: ap-db-euw1,(.*)$/m,
      '$1- { id: ap-db-euw1,$2\n  clusters:\n$1- { id: orders-use1, region: us-east-1 }\n$1- { id: orders-euw1, region: eu-west-1, replicaOf: orders-use1, lagMs: 3000 }',
    ),
  topology: (text) => text.replace(/^(\s*)maxLagMs: 60000$/m, '$1clusters: { us-east-1: orders-use1, eu-west-1: orders-euw1 }\n$1maxLagMs: 60000'),
  files: {
    'cluster.yaml': playbook('rds.promote-replica-cluster', ', cut: unplanned'),
    // The datastore's observed state changes with us-east-1 down (the plan would be stale under the lock), so
    // the region goes down during a first stage, after the lock's re-read, before the cut's stage.
    'cache.yaml': playbook('redis.failover', '', settle),
  },
});

async function events(): Promise<AuditEvent[]> {
  try {
    return await readEvents(auditPath(w.stateDir, 'active-passive'));
  } catch {
    return [];
  }
}

/**
 * Start the playbook, take us-east-1 down once `after` is on record (its plan, by default), and return what mr did.
 */
async function cutAfterOutage(file: string, flags: string[], after: (e: AuditEvent) => boolean = (e) => e.type === 'plan') {
  w.sb.control.setFaults({ latency: { ChangeResourceRecordSets: 1500 } });
  const run = startMr(w.args(['run', join(w.dir, file), '--var', 'target=eu-west-1', '--yes', ...flags]));
  let finished = false;
  void run.done.then(() => (finished = true));
  while (!(await events()).some(after)) {
    assert.ok(!finished, `mr exited before its plan: ${run.output()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  w.sb.control.setFaults({ regionsDown: ['us-east-1'], latency: { ChangeResourceRecordSets: 1500 } });
  return run.done;
}

describe('the cut-lag recheck of a replica cluster promotion and a Global Datastore promotion', () => {
  const refusedOnRecord = async (operation: string) => {
    assert.ok(!w.sb.control.calls().some((c) => c.operation === operation), `no ${operation} sent`);
    const all = await events();
    const refused = all.find((e) => e.type === 'recheck.refused');
    assert.ok(refused, 'the refusal is in the audit log');
    assert.equal(refused.data?.step, 'cut');
    assert.match(String(refused.data?.error), /more data may be lost than was approved/);
    assert.ok(!all.some((e) => e.type === 'intent' && (e.data?.call as { operation?: string })?.operation === operation));
    assert.equal(all.find((e) => e.type === 'run.finished')?.data?.outcome, 'refused');
  };

  test('rds.promote-replica-cluster: AuroraBinlogReplicaLag grew past what was approved -> exit 3, nothing promoted', { timeout: 120_000 }, async () => {
    const r = await cutAfterOutage('cluster.yaml', ['--allow-data-loss']);
    assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
    assert.match(
      r.stderr,
      /stopped before stage data: cut: replication lag before the cut is [\d.]+ s, [\d.]+ s more than the 3\.0 s of data at risk approved/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    await refusedOnRecord('PromoteReadReplicaDBCluster');
    const c = await w.aws.rds('eu-west-1').readDbCluster('orders-euw1');
    assert.deepEqual([c.status, c.source?.id], ['available', 'orders-use1'], 'still a replica');
  });

  test('redis.failover: GlobalDatastoreReplicationLag grew past what was approved -> exit 3, nothing promoted', { timeout: 120_000 }, async () => {
    const r = await cutAfterOutage('cache.yaml', [], (e) => e.type === 'step.started' && e.data?.step === 'settle');
    assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
    assert.match(
      r.stderr,
      /stopped before stage data: cut: replication lag before the cut is [\d.]+ s, [\d.]+ s more than the [\d.]+ s of data at risk approved/,
    );
    await refusedOnRecord('FailoverGlobalReplicationGroup');
    const ds = await w.aws.elasticache('eu-west-1').readGlobalDatastore('ldgnf-ap-sessions');
    assert.equal(ds.members.find((m) => m.role.toLowerCase() === 'primary')?.region, 'us-east-1', 'the primary did not move');
  });
});
