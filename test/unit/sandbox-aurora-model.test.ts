// The Aurora model driven through the RDS module's handle() with a hand-moved clock.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch, SandboxAwsError, type SandboxRequest, type ServiceContext } from '../../src/sandbox/contract.js';
import { rdsService } from '../../src/sandbox/services/rds/index.js';
import { auroraLagMs, resyncMs, type AuroraState } from '../../src/sandbox/services/rds/state.js';
import { DURATIONS } from '../helpers/durations.js';

const T0 = 1_700_000_000_000;
const ACCOUNT = '123456789012';

function world() {
  const down: Record<string, number> = {};
  let now = T0;
  const ctx: ServiceContext = {
    now: () => now,
    durationMs: (k) => (DURATIONS[k] ?? Number.NaN) * 1000,
    account: ACCOUNT,
    regions: ['us-east-1', 'eu-west-1', 'us-west-2'],
    regionDownSince: (r) => down[r],
    appHealthy: (r) => down[r] === undefined,
    peek: <T>() => undefined as T,
  };
  const state = rdsService.init(
    {
      globalClusters: [
        {
          id: 'demo-global',
          members: [
            { region: 'us-east-1', clusterId: 'demo-use1', writer: true },
            { region: 'eu-west-1', clusterId: 'demo-euw1', lagMs: 80 },
            { region: 'us-west-2', clusterId: 'demo-usw2', lagMs: 120 },
          ],
        },
      ],
    },
    ctx,
  );
  const call = async (region: string, params: Record<string, string>) => {
    const body = new URLSearchParams(params).toString();
    const r: SandboxRequest = { service: 'rds', region, method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body, requestId: 'rid' };
    const op = rdsService.operation(r);
    return (await dispatch(rdsService, r, state, ctx, op)).body;
  };
  return {
    state: state as AuroraState,
    ctx,
    call,
    advance: (ms: number) => (now += ms),
    down: (r: string) => (down[r] = now),
    up: (r: string) => delete down[r],
  };
}

const arn = (region: string, id: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:${id}`;
const describe1 = (w: ReturnType<typeof world>) => w.call('eu-west-1', { Action: 'DescribeGlobalClusters', GlobalClusterIdentifier: 'demo-global' });
const writerOf = (xml: string) => /<DBClusterArn>([^<]+)<\/DBClusterArn><Readers>(?:<member>[^<]*<\/member>)+<\/Readers><IsWriter>true/.exec(xml)?.[1];

async function rejects(p: Promise<unknown>, code: string) {
  await assert.rejects(p, (e: unknown) => e instanceof SandboxAwsError && e.code === code);
}

describe('aurora switchover', () => {
  test('pending, then switching-over, then the writer moves and FailoverState clears', async () => {
    const w = world();
    const first = await w.call('us-east-1', {
      Action: 'SwitchoverGlobalCluster',
      GlobalClusterIdentifier: 'DEMO-GLOBAL',
      TargetDbClusterIdentifier: arn('eu-west-1', 'demo-euw1'),
    });
    assert.match(first, /<Status>switching-over<\/Status>/);
    assert.match(
      first,
      /<FailoverState><Status>pending<\/Status><FromDbClusterArn>[^<]*demo-use1<\/FromDbClusterArn><ToDbClusterArn>[^<]*demo-euw1<\/ToDbClusterArn><IsDataLossAllowed>false/,
    );
    assert.equal(writerOf(first), arn('us-east-1', 'demo-use1'));
    w.advance(30_000);
    const mid = await describe1(w);
    assert.match(mid, /<FailoverState><Status>switching-over<\/Status>/);
    assert.equal(writerOf(mid), arn('us-east-1', 'demo-use1'));
    w.advance(30_000);
    const done = await describe1(w);
    assert.match(done, /<Status>available<\/Status>/);
    assert.doesNotMatch(done, /FailoverState/);
    assert.equal(writerOf(done), arn('eu-west-1', 'demo-euw1'));
  });

  test('refuses outside the primary region, while busy, and with an unknown or wrong-region target', async () => {
    const w = world();
    const target = arn('eu-west-1', 'demo-euw1');
    await rejects(
      w.call('eu-west-1', { Action: 'SwitchoverGlobalCluster', GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: target }),
      'InvalidGlobalClusterStateFault',
    );
    await rejects(
      w.call('us-east-1', { Action: 'SwitchoverGlobalCluster', GlobalClusterIdentifier: 'nope', TargetDbClusterIdentifier: target }),
      'GlobalClusterNotFoundFault',
    );
    await rejects(
      w.call('us-east-1', { Action: 'SwitchoverGlobalCluster', GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: 'demo-euw1' }),
      'DBClusterNotFoundFault',
    );
    await rejects(
      w.call('us-east-1', {
        Action: 'SwitchoverGlobalCluster',
        GlobalClusterIdentifier: 'demo-global',
        TargetDbClusterIdentifier: arn('us-east-1', 'demo-use1'),
      }),
      'InvalidDBClusterStateFault',
    );
    await w.call('us-east-1', { Action: 'SwitchoverGlobalCluster', GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: target });
    await rejects(
      w.call('us-east-1', {
        Action: 'SwitchoverGlobalCluster',
        GlobalClusterIdentifier: 'demo-global',
        TargetDbClusterIdentifier: arn('us-west-2', 'demo-usw2'),
      }),
      'InvalidGlobalClusterStateFault',
    );
    await rejects(w.call('us-east-1', { Action: 'Nonsense' }), 'InvalidAction');
  });
});

describe('aurora failover with data loss', () => {
  test('works from the target region while the primary region is down; old primary resyncs after it returns', async () => {
    const w = world();
    w.down('us-east-1');
    w.advance(10_000);
    assert.equal(auroraLagMs(w.state, 'demo-euw1', w.ctx.now(), w.ctx), 80 + 10_000);
    const first = await w.call('eu-west-1', {
      Action: 'FailoverGlobalCluster',
      GlobalClusterIdentifier: 'demo-global',
      TargetDbClusterIdentifier: arn('eu-west-1', 'demo-euw1'),
      AllowDataLoss: 'true',
      Switchover: 'false',
    });
    assert.match(first, /<Status>failing-over<\/Status>/);
    assert.match(first, /<IsDataLossAllowed>true<\/IsDataLossAllowed>/);
    w.advance(45_000);
    const done = await describe1(w);
    assert.equal(writerOf(done), arn('eu-west-1', 'demo-euw1'));
    assert.match(
      done,
      /demo-use1<\/DBClusterArn><Readers><\/Readers><IsWriter>false<\/IsWriter><GlobalWriteForwardingStatus>disabled<\/GlobalWriteForwardingStatus><SynchronizationStatus>pending-resync/,
    );
    // The new writer has no lag; the other secondary is being rebuilt from it (AWS rebuilds every other
    // secondary after an unplanned failover): no lag until the rebuild is done, then it replicates again.
    assert.equal(auroraLagMs(w.state, 'demo-euw1', w.ctx.now(), w.ctx), undefined);
    assert.equal(auroraLagMs(w.state, 'demo-usw2', w.ctx.now(), w.ctx), undefined);
    assert.match(
      done,
      /demo-usw2<\/DBClusterArn><Readers><\/Readers><IsWriter>false<\/IsWriter><GlobalWriteForwardingStatus>disabled<\/GlobalWriteForwardingStatus><SynchronizationStatus>pending-resync/,
    );
    // The old primary stays pending while its region stays down, however long.
    w.advance(10 * resyncMs(w.ctx));
    assert.match(await describe1(w), /demo-use1<\/DBClusterArn>.*?<SynchronizationStatus>pending-resync/);
    assert.equal(auroraLagMs(w.state, 'demo-usw2', w.ctx.now(), w.ctx), 120);
    // A switchover needs every member in sync.
    await rejects(
      w.call('eu-west-1', {
        Action: 'SwitchoverGlobalCluster',
        GlobalClusterIdentifier: 'demo-global',
        TargetDbClusterIdentifier: arn('us-west-2', 'demo-usw2'),
      }),
      'InvalidGlobalClusterStateFault',
    );
    w.up('us-east-1');
    assert.match(await describe1(w), /pending-resync/);
    w.advance(resyncMs(w.ctx));
    const synced = await describe1(w);
    assert.doesNotMatch(synced, /pending-resync/);
    assert.equal(auroraLagMs(w.state, 'demo-use1', w.ctx.now(), w.ctx), 100);
  });

  test('a primary region that came back before anyone looked is rebuilt from the first read that sees it up', async () => {
    const w = world();
    w.down('us-east-1');
    await w.call('eu-west-1', {
      Action: 'FailoverGlobalCluster',
      GlobalClusterIdentifier: 'demo-global',
      TargetDbClusterIdentifier: arn('eu-west-1', 'demo-euw1'),
      AllowDataLoss: 'true',
    });
    w.advance(45_000);
    w.up('us-east-1');
    w.advance(3 * resyncMs(w.ctx));
    assert.match(await describe1(w), /pending-resync/);
    w.advance(resyncMs(w.ctx));
    assert.doesNotMatch(await describe1(w), /pending-resync/);
  });

  test('must be called in the target region; both modes together are refused', async () => {
    const w = world();
    const params = {
      Action: 'FailoverGlobalCluster',
      GlobalClusterIdentifier: 'demo-global',
      TargetDbClusterIdentifier: arn('eu-west-1', 'demo-euw1'),
      AllowDataLoss: 'true',
    };
    await rejects(w.call('us-west-2', params), 'InvalidGlobalClusterStateFault');
    await rejects(w.call('eu-west-1', { ...params, Switchover: 'true' }), 'InvalidParameterCombination');
    // Without AllowDataLoss it is a switchover, so it belongs in the primary's region.
    await rejects(w.call('eu-west-1', { ...params, AllowDataLoss: 'false' }), 'InvalidGlobalClusterStateFault');
    const sw = await w.call('us-east-1', { ...params, AllowDataLoss: 'false', Switchover: 'true' });
    assert.match(sw, /<Status>switching-over<\/Status>/);
  });
});

test('DescribeDBClusters is regional and takes an id or an ARN', async () => {
  const w = world();
  const all = await w.call('eu-west-1', { Action: 'DescribeDBClusters' });
  assert.deepEqual(
    [...all.matchAll(/<DBClusterIdentifier>([^<]+)</g)].map((m) => m[1]),
    ['demo-euw1'],
  );
  const byArn = await w.call('eu-west-1', { Action: 'DescribeDBClusters', DBClusterIdentifier: arn('eu-west-1', 'DEMO-EUW1') });
  assert.match(byArn, /<Endpoint>demo-euw1\.cluster-c0ffee\.eu-west-1\.rds\.amazonaws\.com<\/Endpoint>/);
  await rejects(w.call('eu-west-1', { Action: 'DescribeDBClusters', DBClusterIdentifier: 'demo-use1' }), 'DBClusterNotFoundFault');
});
