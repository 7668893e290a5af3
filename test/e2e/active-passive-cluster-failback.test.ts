// The whole return trip for Aurora clusters replicating across regions, by the built CLI: the active-passive
// world with clusters only (orders-use1 in us-east-1, its read replica cluster orders-euw1 in eu-west-1; the db
// name follows the cluster). An unplanned failover to eu-west-1 with us-east-1 down (the replica cluster promoted
// with data loss), then, once us-east-1 answers, `mr run failback-cluster --var target=us-east-1`: a replica
// cluster rebuilt in us-east-1 (CreateDBCluster + CreateDBInstance), fence, promoted at lag 0, names back; RPO 0.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { runMr } from '../helpers/run-mr.js';
import { AP, clusterEndpoint, clusterOnlyTopology, clusterOnlyWorld, useCustomWorld } from './custom-world.js';

const ZONE = 'Z0MRACTPASS00001';
const ACCOUNT = '123456789012';

const w = useCustomWorld({
  prefix: 'mr-cluster-fb',
  world: (text) => {
    const world = clusterOnlyWorld(text);
    assert.match(world, /orders-euw1, region: eu-west-1/);
    assert.doesNotMatch(world, /ap-db-/);
    return world;
  },
  topology: (text) => {
    const topo = clusterOnlyTopology(text);
    assert.match(topo, /follows: rds-cluster/);
    assert.match(topo, /kmsKeyIds/);
    return topo;
  },
  // The unplanned failover of the shipped playbook, with the cluster promotion in place of the instance's.
  files: async () => {
    const unplanned = (await readFile(join(repoRoot, 'playbooks/active-passive-failover-unplanned.yaml'), 'utf8')).replace(
      'kind: rds.promote-replica\n',
      'kind: rds.promote-replica-cluster\n',
    );
    assert.match(unplanned, /rds\.promote-replica-cluster/);
    return { 'unplanned.yaml': unplanned };
  },
});
const mr = w.mr;

async function clusters() {
  const out: Record<string, unknown> = {};
  for (const [region, ids] of [
    ['us-east-1', ['orders-use1', 'orders-use1-r']],
    ['eu-west-1', ['orders-euw1']],
  ] as const) {
    for (const id of ids) {
      try {
        const c = await w.aws.rds(region).readDbCluster(id);
        out[id] = { status: c.status, source: c.source ? `${c.source.id}@${c.source.region}` : null, instances: c.instances };
      } catch {
        // not there
      }
    }
  }
  return out;
}

async function dns() {
  const r53 = w.aws.route53();
  return {
    api: (await r53.testDnsAnswer(ZONE, 'api.active-passive.example.com', 'A')).data,
    db: (await r53.testDnsAnswer(ZONE, 'db.active-passive.example.com', 'CNAME')).data,
  };
}

describe('failback-cluster: the return trip of a cross-region read replica cluster', () => {
  test('unplanned failover, then failback-cluster in one run: rebuilt in us-east-1, fenced, promoted at lag 0, names back; RPO 0', async () => {
    w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    const down = await mr(['run', join(w.dir, 'unplanned.yaml'), '--var', 'target=eu-west-1', '--yes', '--allow-data-loss']);
    assert.equal(down.code, 0, down.stderr + down.stdout);
    assert.deepEqual((await dns()).db, [clusterEndpoint('orders-euw1', 'eu-west-1')]);
    w.sb.control.clearFaults();

    w.sb.control.clearCalls();
    const back = await mr(['run', 'failback-cluster', '--var', 'target=us-east-1', '--yes']);
    assert.equal(back.code, 0, back.stderr + back.stdout);
    // The plan approved up front names the rebuild, the old cluster's fate and the deferred promotion.
    assert.match(back.stdout, /change rds cluster orders-use1-r role: absent -> read replica cluster of orders-euw1 \(eu-west-1\)/);
    assert.match(back.stdout, /cluster orders-use1 in us-east-1: standalone, available: left as it is \(mr never deletes a cluster\)/);
    assert.match(
      back.stdout,
      /step promote-db \(rds\.promote-replica-cluster\).*planned when reached \(cluster orders-use1-r is built by step rebuild-replica\)/,
    );

    assert.deepEqual(await clusters(), {
      'orders-use1': { status: 'available', source: null, instances: 1 },
      'orders-use1-r': { status: 'available', source: null, instances: 1 },
      'orders-euw1': { status: 'available', source: null, instances: 1 },
    });
    const rebuilt = await w.aws.rds('us-east-1').readDbCluster('orders-use1-r');
    assert.equal(rebuilt.tags?.['mr:replica-of'], `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:orders-euw1`);
    const instance = await w.aws.rds('us-east-1').readDbInstance('orders-use1-r-instance-1');
    assert.deepEqual([instance.status, instance.clusterId, instance.instanceClass], ['available', 'orders-use1-r', 'db.r6g.large']);
    const ecs = async (region: string, cluster: string) => (await w.aws.ecs(region).describeServices(cluster, ['api', 'worker'])).map((s) => s.desired);
    assert.deepEqual(await ecs('eu-west-1', 'ap-euw1'), [0, 0], 'the eu-west-1 writers were fenced');
    assert.deepEqual(await ecs('us-east-1', 'ap-use1'), [6, 4]);
    assert.deepEqual(await dns(), { api: ['192.0.2.10'], db: [clusterEndpoint('orders-use1-r', 'us-east-1')] });

    // What was sent: the replica cluster (with the source ARN and the KMS key of us-east-1), its instance, the cut.
    const sent = w.sb.control
      .calls()
      .filter((c) => ['CreateDBCluster', 'CreateDBInstance', 'PromoteReadReplicaDBCluster'].includes(c.operation))
      .map((c) => `${c.operation} ${c.region}`);
    assert.deepEqual(sent, ['CreateDBCluster us-east-1', 'CreateDBInstance us-east-1', 'PromoteReadReplicaDBCluster us-east-1']);
    const runId = /Timing report, run (\S+)/.exec(back.stdout)![1];
    const shown = await mr(['--json', 'audit', 'show', runId]);
    const { events } = JSON.parse(shown.stdout) as {
      events: { type: string; data?: { step?: string; call?: { operation?: string; input?: Record<string, unknown> } } }[];
    };
    const create = events.find((e) => e.type === 'intent' && e.data?.call?.operation === 'CreateDBCluster');
    assert.equal(create?.data?.call?.input?.ReplicationSourceIdentifier, `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:orders-euw1`);
    assert.equal(create?.data?.call?.input?.KmsKeyId, 'alias/orders');
    const at = (type: string, step: string) => events.findIndex((e) => e.type === type && e.data?.step === step);
    assert.ok(at('step.succeeded', 'fence-source') < at('step.started', 'promote-db'), 'fenced before the cut');
    assert.ok(at('step.planned', 'promote-db') > at('step.succeeded', 'rebuild-replica'), 'promote-db planned when reached');

    const rep = await mr(['--json', 'report', runId]);
    const rpo = (JSON.parse(rep.stdout.trim().split('\n')[0]) as { rpo: { boundMs: number; step: string; note: string } | null }).rpo;
    assert.deepEqual([rpo?.boundMs, rpo?.step], [0, 'promote-db']);
    assert.match(rpo?.note ?? '', /planned cut/);

    // A second run finds it done: the rebuilt cluster's tag says it was built and promoted.
    const again = await mr(['run', 'failback-cluster', '--var', 'target=us-east-1', '--yes']);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.match(again.stderr + again.stdout, /nothing to do|no changes to make/);
  });

  test('bad input for rds.create-replica-cluster: same region, a source that is a replica, no rds.clusters: one line, exit 3 or 2, nothing created', async () => {
    const pb = join(w.dir, 'rebuild.yaml');
    await writeFile(
      pb,
      'version: 1\nname: rebuild\ndescription: rebuild only\nparams:\n  target: { type: region, required: true }\n  from: { type: region, required: true }\nstages:\n  - name: rebuild\n    steps:\n      - { id: rebuild, kind: rds.create-replica-cluster, with: { target: "{{ target }}", from: "{{ from }}" } }\n',
    );
    const before = await clusters();
    w.sb.control.clearCalls();
    const cases: [string[], number, RegExp][] = [
      [['--var', 'target=us-east-1', '--var', 'from=us-east-1'], 3, /the source region and the replica region are both us-east-1/],
      [
        ['--var', 'target=us-east-1', '--var', 'from=eu-west-1'],
        3,
        /cluster orders-euw1 in eu-west-1: read replica cluster of orders-use1 \(us-east-1\), available: no primary to replicate from/,
      ],
    ];
    for (const [vars, code, message] of cases) {
      const r = await mr(['run', pb, ...vars, '--yes']);
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    const noClusters = await runMr([
      '--endpoint-url',
      w.sb.endpoint,
      '--config',
      join(AP, 'topology.yaml'),
      '--state-dir',
      w.stateDir,
      'run',
      pb,
      '--var',
      'target=us-east-1',
      '--var',
      'from=eu-west-1',
      '--yes',
    ]);
    assert.equal(noClusters.code, 2, noClusters.stderr);
    assert.match(noClusters.stderr, /step "rebuild" \(rds\.create-replica-cluster\): the topology has no rds\.clusters/);
    assert.equal(noClusters.stderr.trim().split('\n').length, 1, noClusters.stderr);
    assert.ok(!w.sb.control.calls().some((c) => c.operation === 'CreateDBCluster' || c.operation === 'CreateDBInstance'), 'nothing created');
    assert.deepEqual(await clusters(), before);
  });
});
