// Issue 10 items 4 and 5, end to end through the built CLI and the real SDK clients against the sandbox:
// the lag metric AWS says to read for the engine, the refusal when no datapoint comes back and its
// audited override, and the preconditions Aurora itself checks (engine versions, headless target, a
// primary region that does not answer), each refused at plan time with the value named.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAws } from '../../src/aws/factory.js';
import { isAwsCallError } from '../../src/aws/errors.js';
import { auditEvents, inWorld, mr, mutating, type World } from './steps-helpers.js';
import { openWorld } from './playbook-harness.js';
import { waitForOutput } from '../helpers/run-mr.js';
import { recordingSink } from '../helpers/fake-aws.js';

interface AuroraSnap {
  globalClusters: { writer: string }[];
}
const writer = (w: World) => (w.sb.control.snapshot().services.aurora as AuroraSnap).globalClusters[0].writer;

type Member = { region: string; clusterId: string; engineVersion?: string; instances?: number; lagMs?: number; publishesLag?: boolean };
type GlobalWorld = { engine?: string; engineVersion?: string; members: Member[] };
const withAurora = (change: (gc: GlobalWorld) => void) => ({
  worldOverrides: (wf: { aurora?: unknown }) => change((wf.aurora as { globalClusters: GlobalWorld[] }).globalClusters[0]),
});
/** members[1] is demo-euw1 (eu-west-1), members[2] demo-usw2 (us-west-2). */
const euw1 = (gc: GlobalWorld) => gc.members[1];

const statusLag = async (w: World, region: string) => {
  const r = await mr(w, ['--json', 'status']);
  const doc = JSON.parse(r.stdout) as { aurora: { lagMs: Record<string, { ok: boolean; value?: number | null }> } };
  return doc.aurora.lagMs[region];
};

describe('the lag metric follows the engine (item 5)', { concurrency: 2 }, () => {
  test('Aurora PostgreSQL: the switchover reads AuroraGlobalDBRPOLag and goes ahead on its value', () =>
    inWorld(async (w) => {
      // The sandbox publishes only the metric AWS says to read for the engine, so reading
      // AuroraGlobalDBReplicationLag for Aurora PostgreSQL would find no datapoint and be refused.
      const r = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(writer(w), 'demo-euw1');
      const plan = (await auditEvents(w)).find((e) => e.type === 'plan')!.data as { plan: { stages: { steps: { data: { lagMs?: number } }[] }[] } };
      assert.equal(plan.plan.stages[0].steps[0].data.lagMs, 80);
    }));

  for (const [version, metric] of [
    ['8.0.mysql_aurora.3.03.1', 'AuroraGlobalDBReplicationLag'],
    ['8.0.mysql_aurora.3.04.0', 'AuroraGlobalDBRPOLag'],
  ]) {
    test(`Aurora MySQL ${version}: status reads ${metric} and shows the lag`, () =>
      inWorld(
        async (w) => assert.deepEqual(await statusLag(w, 'eu-west-1'), { ok: true, value: 80 }),
        withAurora((gc) => {
          gc.engine = 'aurora-mysql';
          gc.engineVersion = version;
        }),
      ));
  }
});

describe('no lag datapoint (item 5)', { concurrency: 2 }, () => {
  const silent = withAurora((gc) => void (euw1(gc).publishesLag = false));

  test('refused plainly, naming --skip-lag-check; nothing changes', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
      assert.equal(r.code, 3, r.stderr);
      assert.match(
        r.stderr,
        /no replication lag reading for demo-euw1 in eu-west-1: no AuroraGlobalDBRPOLag datapoint in the last 5 minutes, so the lag is unknown \(not zero\)/,
      );
      assert.match(r.stderr, /re-run with --skip-lag-check/);
      assert.deepEqual(mutating(w), []);
    }, silent));

  test('--skip-lag-check goes ahead, and the audit log records each overridden check', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes', '--skip-lag-check']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(writer(w), 'demo-euw1');
      assert.match(r.stderr, /overridden by --skip-lag-check/);
      const events = await auditEvents(w);
      const overrides = events.filter((e) => e.type === 'override').map((e) => e.data as { step: string; check: string; flag: string });
      assert.deepEqual(
        overrides.map((o) => [o.step, o.check, o.flag]),
        [['switchover', 'target lag under bound', '--skip-lag-check']],
      );
      // Recorded before the change it allowed.
      const at = (t: string) => events.findIndex((e) => e.type === t);
      assert.ok(at('override') < at('intent'));
    }, silent));
});

describe('preconditions Aurora checks, checked at plan time (item 4)', { concurrency: 2 }, () => {
  test('engine versions that differ in major or minor: switchover and failover refused, naming both', () =>
    inWorld(
      async (w) => {
        const s = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
        assert.equal(s.code, 3, s.stderr);
        assert.match(
          s.stderr,
          /engine versions match: demo-euw1 in eu-west-1 runs engine version 15\.6, the primary demo-use1 16\.4: Aurora needs the same major and minor version/,
        );
        const f = await mr(w, ['aurora', 'failover', 'eu-west-1', '--yes', '--allow-data-loss']);
        assert.equal(f.code, 3, f.stderr);
        assert.match(f.stderr, /runs engine version 15\.6, the global cluster demo-global 16\.4/);
        assert.deepEqual(mutating(w), []);
        // The sandbox refuses it too, as Aurora would.
        const aws = createAws({ endpointUrl: w.sb.endpoint, credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' }, maxAttempts: 1 });
        try {
          await assert.rejects(
            aws.mutating(recordingSink()).rds('us-east-1').switchoverGlobalCluster('demo-global', 'arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1'),
            (e: unknown) => isAwsCallError(e) && e.code === 'InvalidGlobalClusterStateFault',
          );
        } finally {
          aws.destroy();
        }
      },
      withAurora((gc) => void (euw1(gc).engineVersion = '15.6')),
    ));

  test('a patch-level difference is allowed', () =>
    inWorld(
      async (w) => {
        const s = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
        assert.equal(s.code, 0, s.stderr);
        assert.equal(writer(w), 'demo-euw1');
      },
      withAurora((gc) => void (euw1(gc).engineVersion = '16.4.2')),
    ));

  test('a headless secondary cannot take over: refused, naming it', () =>
    inWorld(
      async (w) => {
        const r = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stderr, /target has a DB instance: demo-euw1 in eu-west-1 has no DB instances \(a headless secondary\)/);
        const f = await mr(w, ['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
        assert.equal(f.code, 3, f.stderr);
        assert.match(f.stderr, /headless secondary/);
        assert.deepEqual(mutating(w), []);
      },
      withAurora((gc) => void (euw1(gc).instances = 0)),
    ));

  test("the primary's region does not answer: a planned switchover is refused at plan time, pointing to --unplanned", () =>
    inWorld(async (w) => {
      w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
      const r = await mr(w, ['aurora', 'switchover', 'eu-west-1', '--yes']);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /primary's region answers: the primary's region us-east-1 does not answer .*use `mr failover eu-west-1 --unplanned`/);
      assert.deepEqual(mutating(w), []);
    }));

  test('--unplanned with the primary healthy: warns that a planned switchover would lose nothing, and still asks for the typed region', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['failover', 'eu-west-1', '--unplanned', '--yes'], { tty: true, input: 'no\r' });
      assert.equal(r.code, 4, r.stdout);
      assert.match(
        r.stdout,
        /the primary's region us-east-1 looks healthy \(8 of 8 health checkers report success\): a planned switchover, `mr failover eu-west-1`, would lose nothing/,
      );
      assert.match(r.stdout, /Type eu-west-1 to apply/);
      assert.deepEqual(
        mutating(w).filter((m) => !m.includes('ChangeResourceRecordSets')),
        [],
      );
      // With the primary's region down there is nothing to warn about.
      w.sb.control.setFaults({ regionsDown: ['us-east-1'] });
      const down = await mr(w, ['failover', 'eu-west-1', '--unplanned', '--dry-run']);
      assert.doesNotMatch(down.stderr, /looks healthy/);
    }));

  test('--unplanned without a region: the chooser lists the secondary with the least lag first', async () => {
    const w = await openWorld(withAurora((gc) => void (gc.members[2].lagMs = 30)));
    try {
      const run = w.start(['failover', '--unplanned', '--dry-run'], { tty: true, columns: 120 });
      await waitForOutput(run, (out) => /which region\?/.test(out) && /us-east-1/.test(out));
      const menu = run.output();
      const order = ['us-west-2', 'eu-west-1', 'us-east-1'].map((r) => menu.indexOf(`${r} `));
      assert.ok(order.every((i) => i >= 0) && order[0] < order[1] && order[1] < order[2], menu);
      assert.match(menu, /us-west-2\s+healthy \(8\/8 checkers\), Aurora lag 30 ms/);
      run.child.stdin!.write('\r'); // the first entry
      const r = await run.done;
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /failover us-west-2 --unplanned/);
    } finally {
      await w.close();
    }
  });
});
