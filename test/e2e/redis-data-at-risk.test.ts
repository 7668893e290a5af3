// Issue 10 item 2, end to end through the built CLI and the real SDK clients: redis.failover's plan reads
// the target's GlobalDatastoreReplicationLag (AWS/ElastiCache) and shows it as the data at risk, the timing
// report gives it as the RPO bound, and with no datapoint the plan says "unknown", never 0.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditEvents, inWorld, mr } from './steps-helpers.js';

type Member = { region: string; replicationGroupId: string; lagMs?: number; publishesLag?: boolean };
const withCache = (change: (members: Member[]) => void) => ({
  worldOverrides: (wf: { elasticache?: unknown }) => change((wf.elasticache as { globalDatastores: { members: Member[] }[] }).globalDatastores[0].members),
});

describe('the Global Datastore replication lag as data at risk (item 2)', { concurrency: 2 }, () => {
  test('the plan shows the lag; the run records it and the timing report bounds the RPO by it', () =>
    inWorld(
      async (w) => {
        const r = await mr(w, ['redis', 'promote', 'eu-west-1', '--yes']);
        assert.equal(r.code, 0, r.stderr);
        const out = r.stdout + r.stderr;
        assert.match(out, /data at risk: 1\.5 s; writes from that last stretch before the promotion may not reach eu-west-1/);
        assert.match(out, /RPO bound, replication lag at the cut: 1500 ms \(.*eu-west-1\); Global Datastore promotion/);
        const plan = (await auditEvents(w)).find((e) => e.type === 'plan')!.data as { plan: { stages: { steps: { data: { dataAtRiskMs?: number } }[] }[] } };
        assert.equal(plan.plan.stages[0].steps[0].data.dataAtRiskMs, 1500);
      },
      withCache((m) => void (m[1].lagMs = 1500)),
    ));

  test('no datapoint: "unknown" in plain words, not 0, and no RPO bound', () =>
    inWorld(
      async (w) => {
        const r = await mr(w, ['redis', 'promote', 'eu-west-1', '--yes']);
        assert.equal(r.code, 0, r.stderr);
        const out = r.stdout + r.stderr;
        assert.match(out, /data at risk: unknown \(no GlobalDatastoreReplicationLag datapoint for eu-west-1 in the last 5 minutes\)/);
        assert.doesNotMatch(out, /data at risk: 0/);
        assert.match(out, /RPO bound: no /);
      },
      withCache((m) => void (m[1].publishesLag = false)),
    ));

  test("the primary's region down: the lag has grown with the outage, and the plan says so", () =>
    inWorld(async (w) => {
      w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
      w.sb.control.advance(120_000);
      const r = await mr(w, ['redis', 'promote', 'eu-west-1', '--dry-run']);
      assert.equal(r.code, 0, r.stderr);
      const m = /data at risk: (\d+\.\d) s/.exec(r.stdout + r.stderr);
      assert.ok(m && Number(m[1]) >= 120, r.stdout + r.stderr);
    }));
});
