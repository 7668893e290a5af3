// An Aurora cross-region read replica CLUSTER (no global database) promoted by the built CLI: the bundled
// active-passive world and topology with one more pair, orders-use1 (source, us-east-1) and orders-euw1 (its
// read replica cluster in eu-west-1), under rds.clusters. Planned (writers fenced, lag 0 at the cut, RPO 0)
// and unplanned with us-east-1 down (no call to us-east-1; RPO = the lag at the cut); status shows the rows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { auditPath } from '../../src/audit/log.js';
import { readEvents } from '../../src/audit/read.js';
import { useCustomWorld } from './custom-world.js';

const playbook = (cut: 'planned' | 'unplanned') => `version: 1
name: promote-orders-${cut}
description: promote the orders read replica cluster (${cut})
params:
  target: { type: region, required: true }
region: "{{ target }}"
stages:
${cut === 'planned' ? '  - name: fence\n    steps:\n      - { id: fence-source, kind: ecs.fence, with: { target: "{{ target }}" } }\n' : ''}  - name: data
    steps:
      - { id: promote-orders, kind: rds.promote-replica-cluster, with: { target: "{{ target }}", cut: ${cut} } }
`;

const w = useCustomWorld({
  prefix: 'mr-ap-cluster',
  // rds.clusters sits beside rds.instances in the world's rds section.
  world: (text) => {
    const withClusters = text.replace(
      /^(\s*)- \{ id: ap-db-euw1,(.*)$/m,
      '$1- { id: ap-db-euw1,$2\n  clusters:\n$1- { id: orders-use1, region: us-east-1, writers: { cluster: ap-use1, services: [api, worker] } }\n$1- { id: orders-euw1, region: eu-west-1, replicaOf: orders-use1, lagMs: 3000 }',
    );
    assert.match(withClusters, /orders-euw1/);
    return withClusters;
  },
  topology: (text) => {
    const topo = text.replace(/^(\s*)maxLagMs: 60000$/m, '$1clusters: { us-east-1: orders-use1, eu-west-1: orders-euw1 }\n$1maxLagMs: 60000');
    assert.match(topo, /clusters: \{ us-east-1: orders-use1/);
    return topo;
  },
  files: { 'promote-planned.yaml': playbook('planned'), 'promote-unplanned.yaml': playbook('unplanned') },
});
const mr = w.mr;

async function orders(region: string, id: string) {
  const c = await w.aws.rds(region).readDbCluster(id);
  return { status: c.status, source: c.source ? `${c.source.id}@${c.source.region}` : null };
}

async function rpoOf(stdout: string) {
  const runId = /Timing report, run (\S+)/.exec(stdout)?.[1];
  assert.ok(runId, stdout);
  const r = await mr(['--json', 'report', runId]);
  assert.equal(r.code, 0, r.stderr);
  return { runId, rpo: (JSON.parse(r.stdout.trim().split('\n')[0]) as { rpo: { boundMs: number; step: string; note: string } | null }).rpo };
}

describe('active-passive with a cross-region read replica cluster', () => {
  test('status shows the cluster pair: role, status and AuroraBinlogReplicaLag', async () => {
    const r = await mr(['--json', 'status']);
    const doc = JSON.parse(r.stdout) as { rds: { clusters: Record<string, { ok: boolean; value: { id: string; lagMs: number | null }[] }> } };
    assert.deepEqual(
      doc.rds.clusters['eu-west-1'].value.map((c) => [c.id, c.lagMs]),
      [['orders-euw1', 3000]],
    );
    const text = await mr(['status']);
    assert.match(text.stdout, /RDS {2}clusters/);
    assert.match(text.stdout, /replica of orders-use1 \(us-east-1\)/);
  });

  test('planned: the source writers fenced, the replica cluster promoted at lag 0; RPO 0', async () => {
    const r = await mr(['run', join(w.dir, 'promote-planned.yaml'), '--var', 'target=eu-west-1', '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(await orders('eu-west-1', 'orders-euw1'), { status: 'available', source: null });
    assert.deepEqual(await orders('us-east-1', 'orders-use1'), { status: 'available', source: null });
    const ecs = await w.aws.ecs('us-east-1').describeServices('ap-use1', ['api', 'worker']);
    assert.deepEqual(
      ecs.map((s) => s.desired),
      [0, 0],
    );
    const { runId, rpo } = await rpoOf(r.stdout);
    assert.equal(rpo?.boundMs, 0);
    assert.equal(rpo?.step, 'promote-orders');
    const intents = (await readEvents(auditPath(w.stateDir, 'active-passive')))
      .filter((e) => e.runId === runId && e.type === 'intent' && (e.data?.step === 'fence-source' || e.data?.step === 'promote-orders')) // not the lock's
      .map((e) => {
        const call = e.data?.call as { operation: string; region: string };
        return `${call.operation} ${call.region}`;
      });
    assert.deepEqual(intents, ['UpdateService us-east-1', 'UpdateService us-east-1', 'PromoteReadReplicaDBCluster eu-west-1']);
  });

  test('unplanned with us-east-1 down: only eu-west-1 is called; RPO bound = the lag at the cut', async () => {
    w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    w.sb.control.advance(30_000);
    w.sb.control.clearCalls();
    const refused = await mr(['run', join(w.dir, 'promote-unplanned.yaml'), '--var', 'target=eu-west-1', '--yes']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /allow-data-loss/);
    const r = await mr(['run', join(w.dir, 'promote-unplanned.yaml'), '--var', 'target=eu-west-1', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(w.callsTo('us-east-1'), []);
    assert.deepEqual(await orders('eu-west-1', 'orders-euw1'), { status: 'available', source: null });
    const { rpo } = await rpoOf(r.stdout);
    assert.ok(rpo && rpo.boundMs >= 33_000, JSON.stringify(rpo));
  });

  test('mr failover on a topology with both rds.instances and rds.clusters: exit 2, one line naming the fix, no call sent', async () => {
    for (const flags of [['--yes'], ['--unplanned', '--yes', '--allow-data-loss']]) {
      w.sb.control.clearCalls();
      const r = await mr(['failover', 'eu-west-1', ...flags]);
      assert.equal(r.code, 2, r.stderr + r.stdout);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(
        lines[0],
        /has both rds\.instances and rds\.clusters.*promotes both \(steps rds\.promote-replica and rds\.promote-replica-cluster\) with mr run <file>/,
      );
      assert.deepEqual(
        w.sb.control.calls().map((c) => c.operation),
        [],
      );
    }
    assert.deepEqual(await orders('eu-west-1', 'orders-euw1'), { status: 'available', source: 'orders-use1@us-east-1' }, 'still a replica');
  });
});
