// The active-passive world end to end: the built CLI against a sandbox in the test process, with the
// bundled world and topology. Planned failover (fence, RPO 0), unplanned with us-east-1 down (no call to
// us-east-1, RPO = lag at the cut), failback (rebuild a replica, switch back with RPO 0), bad input.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useCustomWorld } from './custom-world.js';

const ZONE = 'Z0MRACTPASS00001';
const endpoint = (id: string, region: string) => `${id}.c0ffee.${region}.rds.amazonaws.com`;

// The bundled world as shipped; the topology polls every 100ms.
const w = useCustomWorld({ prefix: 'mr-ap' });
const EUW1_DNS = { api: ['198.51.100.10'], db: [endpoint('ap-db-euw1', 'eu-west-1')] };
const mr = w.mr;

async function state(skip: string[] = []) {
  const out: Record<string, unknown> = {};
  for (const [region, ids] of [
    ['us-east-1', ['ap-db-use1', 'ap-db-use1-r']],
    ['eu-west-1', ['ap-db-euw1']],
  ] as const) {
    if (skip.includes(region)) continue;
    for (const id of ids) {
      try {
        const i = await w.aws.rds(region).readDbInstance(id);
        out[id] = { status: i.status, source: i.source ? `${i.source.id}@${i.source.region}` : null, replication: i.replication?.status ?? null };
      } catch {
        // not there
      }
    }
    const ecs = await w.aws.ecs(region).describeServices(region === 'us-east-1' ? 'ap-use1' : 'ap-euw1', ['api', 'worker']);
    out[`ecs ${region}`] = ecs.map((x) => `${x.name} ${x.desired}/${x.running}`).join(', ');
  }
  // What Route 53 answers (TestDNSAnswer): the API's failover record and the database name.
  const r53 = w.aws.route53();
  out.dns = {
    api: (await r53.testDnsAnswer(ZONE, 'api.active-passive.example.com', 'A')).data,
    db: (await r53.testDnsAnswer(ZONE, 'db.active-passive.example.com', 'CNAME')).data,
  };
  return out;
}

async function report(runStdout: string): Promise<{ rpo: { boundMs: number; step: string; kind: string; note: string } | null }> {
  const runId = /Timing report, run (\S+)/.exec(runStdout)?.[1];
  assert.ok(runId, runStdout);
  const r = await mr(['--json', 'report', runId]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n')[0]);
}

describe('active-passive world (RDS read replica)', () => {
  test('planned failover: warm standby to capacity, source fenced, replica promoted at lag 0, names moved; RPO 0', async () => {
    assert.deepEqual((await state()).dns, { api: ['192.0.2.10'], db: [endpoint('ap-db-use1', 'us-east-1')] });
    const r = await mr(['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const s = await state();
    assert.deepEqual(s['ap-db-euw1'], { status: 'available', source: null, replication: null });
    assert.equal(s['ecs eu-west-1'], 'api 6/6, worker 4/4');
    assert.equal(s['ecs us-east-1'], 'api 0/0, worker 0/0', 'the source writers were fenced');
    assert.deepEqual(s.dns, EUW1_DNS);
    const rep = await report(r.stdout);
    assert.equal(rep.rpo?.boundMs, 0);
    assert.equal(rep.rpo?.kind, 'rds.promote-replica');
    assert.match(rep.rpo?.note ?? '', /planned cut/);
  });

  test('unplanned failover with us-east-1 down: only eu-west-1 and Route 53 are called; RPO bound = lag at the cut', async () => {
    w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    w.sb.control.advance(60_000); // a minute into the outage: the replica has received nothing since
    w.sb.control.clearCalls();
    const r = await mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const regional = w.sb.control.calls().filter((c) => c.service !== 'route53' && c.region === 'us-east-1');
    assert.deepEqual(
      regional.map((c) => `${c.service} ${c.operation}`),
      [],
      'no call to a us-east-1 regional endpoint',
    );
    const s = await state(['us-east-1']);
    assert.deepEqual(s['ap-db-euw1'], { status: 'available', source: null, replication: null });
    assert.equal(s['ecs eu-west-1'], 'api 6/6, worker 4/4');
    assert.deepEqual(s.dns, EUW1_DNS);
    const rep = await report(r.stdout);
    // 2 s of steady lag plus at least the minute of the outage: what the cut read, not the plan's reading.
    assert.ok(rep.rpo && rep.rpo.boundMs >= 62_000, JSON.stringify(rep.rpo));
    const promote = JSON.parse(await readFile(join(w.stateDir, 'runs', `${/Timing report, run (\S+)/.exec(r.stdout)![1]}.json`), 'utf8'))
      .plan.stages.flatMap((st: { steps: { id: string; data: { dataAtRiskMs: number; cutLagMs: number } }[] }) => st.steps)
      .find((x: { id: string }) => x.id === 'promote-db');
    assert.equal(rep.rpo.boundMs, promote.data.cutLagMs);
    assert.ok(promote.data.cutLagMs >= promote.data.dataAtRiskMs, 'the lag kept growing between the plan and the cut');
  });

  test('unplanned failover needs --allow-data-loss with --yes: refused, nothing changed', async () => {
    w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    const r = await mr(['failover', 'eu-west-1', '--unplanned', '--yes']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /allow-data-loss/);
    const s = await state(['us-east-1']);
    assert.deepEqual(s['ap-db-euw1'], { status: 'available', source: 'ap-db-use1@us-east-1', replication: 'error' });
  });

  test('failback in one run after an unplanned failover: replica rebuilt in us-east-1, fence, promoted at lag 0, names back; RPO 0', async () => {
    w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
    const down = await mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
    assert.equal(down.code, 0, down.stderr + down.stdout);
    w.sb.control.clearFaults();
    const back = await mr(['run', 'failback', '--var', 'target=us-east-1', '--yes']);
    assert.equal(back.code, 0, back.stderr + back.stdout);
    // The plan approved up front names every change, the two that act on the rebuilt replica included.
    assert.match(back.stdout, /ap-db-use1 in us-east-1: standalone, available: left as it is/);
    assert.match(back.stdout, /step promote-db \(rds\.promote-replica\).*planned when reached \(ap-db-use1-r is built by step rebuild-replica\)/);
    assert.match(back.stdout, /change rds instance ap-db-use1-r role: read replica of ap-db-euw1 \(eu-west-1\) -> standalone primary/);
    assert.match(back.stdout, /step point-data \(route53\.point\).*planned when reached/);
    const s = await state();
    assert.deepEqual(s['ap-db-use1-r'], { status: 'available', source: null, replication: null }, 'us-east-1: the rebuilt replica is the writable primary');
    assert.deepEqual(s['ap-db-use1'], { status: 'available', source: null, replication: null }, 'the old primary is kept, never deleted');
    assert.deepEqual(s['ap-db-euw1'], { status: 'available', source: null, replication: null }, 'eu-west-1: the old primary left standalone (fenced)');
    assert.equal(s['ecs us-east-1'], 'api 6/6, worker 4/4');
    assert.equal(s['ecs eu-west-1'], 'api 0/0, worker 0/0', 'the eu-west-1 writers were fenced before the cut');
    assert.deepEqual(s.dns, { api: ['192.0.2.10'], db: [endpoint('ap-db-use1-r', 'us-east-1')] });
    const rep = await report(back.stdout);
    assert.equal(rep.rpo?.boundMs, 0);
    assert.equal(rep.rpo?.step, 'promote-db');
    assert.match(rep.rpo?.note ?? '', /planned cut/);
    // The audit log: the deferred steps were planned again when reached, the fence came before the promotion.
    const runId = /Timing report, run (\S+)/.exec(back.stdout)![1];
    const shown = await mr(['--json', 'audit', 'show', runId]);
    assert.equal(shown.code, 0, shown.stderr);
    const { events } = JSON.parse(shown.stdout) as { events: { type: string; data?: { step?: string; call?: { operation?: string } } }[] };
    const at = (type: string, step: string) => events.findIndex((e) => e.type === type && e.data?.step === step);
    assert.ok(at('step.planned', 'promote-db') > at('step.succeeded', 'rebuild-replica'), 'promote-db planned after the rebuild');
    assert.ok(at('step.planned', 'point-data') > at('step.succeeded', 'promote-db'));
    assert.ok(at('step.succeeded', 'fence-source') < at('step.started', 'promote-db'), 'fenced before the cut');
    const ops = events.filter((e) => e.type === 'intent').map((e) => `${e.data?.step} ${e.data?.call?.operation}`);
    assert.ok(ops.includes('rebuild-replica CreateDBInstanceReadReplica') && ops.includes('promote-db PromoteReadReplica'), ops.join('\n'));
    // A second run finds everything done (the rebuilt replica's tag tells the rebuild it was made and promoted).
    const again = await mr(['run', 'failback', '--var', 'target=us-east-1', '--yes']);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.match(again.stderr + again.stdout, /nothing to do|no changes to make/);
    assert.deepEqual(await state(), s);
  });

  test('bad input: not a replica (target holds the primary) and a same-region create: one line, exit 3, nothing changed', async () => {
    const before = await state();
    const promote = await mr(['run', 'active-passive-failover', '--var', 'target=us-east-1', '--yes']);
    assert.equal(promote.code, 3, promote.stderr);
    assert.match(promote.stderr, /ap-db-use1 in us-east-1: primary of 1 replica\(s\), available: not a read replica/);
    assert.doesNotMatch(promote.stderr, /\n\s+at /, 'no stack trace');
    const failback = await mr(['run', 'failback', '--var', 'target=us-east-1', '--yes']);
    assert.equal(failback.code, 3, failback.stderr);
    assert.deepEqual(await state(), before);
  });

  test('bad input: an unknown region exits 2 with one line', async () => {
    const r = await mr(['failover', 'ap-south-1', '--yes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown region "ap-south-1"/);
  });
});
