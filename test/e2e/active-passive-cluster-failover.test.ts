// `mr failover` on an active-passive topology whose database is an Aurora cross-region read replica cluster
// only (rds.clusters, no rds.instances): the bundled active-passive-cluster-failover(-unplanned) playbook,
// which promotes the replica cluster (PromoteReadReplicaDBCluster), moves the db name to its cluster endpoint
// and flips the failover records. Planned: writers fenced, RPO 0. Unplanned with us-east-1 down: no call to a
// us-east-1 regional endpoint, RPO bound = the lag at the cut.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditPath } from '../../src/audit/log.js';
import { readEvents } from '../../src/audit/read.js';
import { clusterEndpoint, clusterOnlyTopology, clusterOnlyWorld, useCustomWorld } from './custom-world.js';

const ZONE = 'Z0MRACTPASS00001';
const w = useCustomWorld({ prefix: 'mr-ap-cluster-fo', world: clusterOnlyWorld, topology: clusterOnlyTopology });

async function outcome() {
  const c = await w.aws.rds('eu-west-1').readDbCluster('orders-euw1');
  const r53 = w.aws.route53();
  return {
    cluster: { status: c.status, source: c.source?.id ?? null },
    api: (await r53.testDnsAnswer(ZONE, 'api.active-passive.example.com', 'A')).data,
    db: (await r53.testDnsAnswer(ZONE, 'db.active-passive.example.com', 'CNAME')).data,
    ecs: (await w.aws.ecs('eu-west-1').describeServices('ap-euw1', ['api', 'worker'])).map((s) => s.desired),
  };
}

/** The run's mutating calls as the audit log has them (intents), and its RPO from the timing report. */
async function record(stdout: string) {
  const runId = /Timing report, run (\S+)/.exec(stdout)?.[1];
  assert.ok(runId, stdout);
  const events = await readEvents(auditPath(w.stateDir, 'active-passive'));
  assert.equal(events.find((e) => e.runId === runId && e.type === 'run.finished')?.data?.outcome, 'succeeded');
  const intents = events
    .filter((e) => e.runId === runId && e.type === 'intent' && e.data?.step !== undefined)
    .map((e) => {
      const call = e.data?.call as { operation: string; region: string };
      return `${String(e.data?.step)} ${call.operation} ${call.region}`;
    });
  const rep = await w.mr(['--json', 'report', runId]);
  assert.equal(rep.code, 0, rep.stderr);
  const rpo = (JSON.parse(rep.stdout.trim().split('\n')[0]) as { rpo: { boundMs: number; kind: string; note: string } | null }).rpo;
  return { intents, rpo };
}

const EUW1 = {
  cluster: { status: 'available', source: null },
  api: ['198.51.100.10'],
  db: [clusterEndpoint('orders-euw1', 'eu-west-1')],
  ecs: [6, 4],
};

describe('mr failover on a topology with read replica clusters only', () => {
  test('planned: the replica cluster promoted at lag 0 after the fence, the db name on its endpoint, the records flipped; RPO 0', async () => {
    const before = await outcome();
    assert.deepEqual([before.cluster, before.db], [{ status: 'available', source: 'orders-use1' }, [clusterEndpoint('orders-use1', 'us-east-1')]]);
    const r = await w.mr(['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(await outcome(), EUW1);
    const fenced = (await w.aws.ecs('us-east-1').describeServices('ap-use1', ['api', 'worker'])).map((s) => s.desired);
    assert.deepEqual(fenced, [0, 0], 'the us-east-1 writers were fenced');
    const { intents, rpo } = await record(r.stdout);
    assert.deepEqual(
      intents.filter((i) => /^(fence-source|promote-db) /.test(i)),
      ['fence-source UpdateService us-east-1', 'fence-source UpdateService us-east-1', 'promote-db PromoteReadReplicaDBCluster eu-west-1'],
    );
    assert.ok(!intents.some((i) => / PromoteReadReplica /.test(i)), 'no DB instance promotion');
    assert.deepEqual([rpo?.boundMs, rpo?.kind], [0, 'rds.promote-replica-cluster']);
    assert.match(rpo?.note ?? '', /planned cut/);
  });

  test('unplanned with us-east-1 down: no call to a us-east-1 regional endpoint; RPO bound = the lag at the cut', async () => {
    w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    w.sb.control.advance(30_000);
    w.sb.control.clearCalls();
    const refused = await w.mr(['failover', 'eu-west-1', '--unplanned', '--yes']);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /allow-data-loss/);
    assert.equal((await outcome()).cluster.source, 'orders-use1', 'nothing promoted without --allow-data-loss');
    const r = await w.mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(w.callsTo('us-east-1'), []);
    assert.deepEqual(await outcome(), EUW1);
    const { intents, rpo } = await record(r.stdout);
    assert.ok(intents.includes('promote-db PromoteReadReplicaDBCluster eu-west-1'), intents.join('\n'));
    assert.equal(rpo?.kind, 'rds.promote-replica-cluster');
    assert.ok(rpo && rpo.boundMs >= 33_000, JSON.stringify(rpo));
  });
});
