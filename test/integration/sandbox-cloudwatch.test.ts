// The sandbox's CloudWatch GetMetricData through the real CloudWatchClient over HTTP: the installed
// client's awsJson 1.0 (query-compatible), and awsQuery when a caller picks that protocol.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, GetMetricDataCommand, paginateGetMetricData, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const MINUTE = 60_000;

async function rejectsAs(p: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(p, (e: { name?: string; $metadata?: { httpStatusCode?: number; requestId?: string } }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.match(e.$metadata?.requestId ?? '', /^[0-9a-f-]{36}$/);
    return true;
  });
}

describe('sandbox cloudwatch', () => {
  let sb: SandboxHandle;
  const clients: CloudWatchClient[] = [];
  const cw = (region: string, query = false) => {
    const c = new CloudWatchClient({ ...sdkConfig(sb.endpoint, region, 1), ...(query ? { protocol: AwsQueryProtocol } : {}) });
    clients.push(c);
    return c;
  };
  /** A lag query over the last `minutes` simulated minutes, one datapoint per minute. */
  const lagInput = (clusterId: string, minutes: number, extra: Partial<GetMetricDataCommandInput> = {}, stat = 'Average'): GetMetricDataCommandInput => ({
    StartTime: new Date(sb.control.now() - minutes * MINUTE),
    EndTime: new Date(sb.control.now()),
    MetricDataQueries: [
      {
        Id: 'lag',
        MetricStat: {
          Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBRPOLag', Dimensions: [{ Name: 'DBClusterIdentifier', Value: clusterId }] },
          Period: 60,
          Stat: stat,
        },
      },
    ],
    ...extra,
  });

  before(async () => {
    sb = await withSandbox({ timeScale: 1 });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await sb.stop();
  });
  beforeEach(() => sb.control.reset());

  test('a secondary in its own region: one datapoint per period at the world lag, newest first', async () => {
    sb.control.advance(10 * MINUTE);
    const res = await cw('eu-west-1').send(new GetMetricDataCommand(lagInput('demo-euw1', 5)));
    assert.match(res.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    const r = res.MetricDataResults![0];
    assert.equal(r.Id, 'lag');
    assert.equal(r.Label, 'AuroraGlobalDBRPOLag');
    assert.equal(r.StatusCode, 'Complete');
    assert.ok(r.Values!.length === 5 || r.Values!.length === 6, `5 or 6 periods, got ${r.Values!.length}`);
    assert.ok(r.Values!.every((v) => v === 80));
    const ts = r.Timestamps!.map((d) => d.getTime());
    assert.ok(ts.every((t) => t % MINUTE === 0));
    assert.deepEqual(
      ts,
      [...ts].sort((a, b) => b - a),
    );
    assert.equal(ts[0] - ts[1], MINUTE);
  });

  test('the lag grows while the primary region is down', async () => {
    sb.control.advance(10 * MINUTE);
    sb.control.setFaults({ regionsDown: ['us-east-1'] });
    sb.control.advance(3 * MINUTE);
    const res = await cw('us-west-2').send(new GetMetricDataCommand(lagInput('demo-usw2', 8, { ScanBy: 'TimestampAscending' }, 'Maximum')));
    const values = res.MetricDataResults![0].Values!;
    // Before the outage the world lag (120 ms); from it on, growing by the time since it began.
    assert.equal(values[0], 120);
    const growing = values.filter((v) => v > 120);
    assert.ok(growing.length >= 3, `at least three periods since the outage: ${values.join(',')}`);
    for (let i = 1; i < growing.length; i++) assert.ok(growing[i] > growing[i - 1]);
    assert.ok(growing.at(-1)! >= 120 + 3 * MINUTE && growing.at(-1)! < 120 + 4 * MINUTE);
  });

  test('no datapoints for the writer, a cluster in another region, an unknown cluster or another metric', async () => {
    sb.control.advance(5 * MINUTE);
    const empty = async (region: string, input: GetMetricDataCommandInput) => {
      const r = (await cw(region).send(new GetMetricDataCommand(input))).MetricDataResults![0];
      assert.equal(r.StatusCode, 'Complete');
      assert.deepEqual([r.Values, r.Timestamps], [[], []]);
    };
    await empty('us-east-1', lagInput('demo-use1', 3));
    await empty('us-west-2', lagInput('demo-euw1', 3));
    await empty('eu-west-1', lagInput('ghost', 3));
    const other = lagInput('demo-euw1', 3);
    other.MetricDataQueries![0].MetricStat!.Metric!.MetricName = 'CPUUtilization';
    await empty('eu-west-1', other);
  });

  test('MaxDatapoints pages with NextToken (paginator); the first pages are PartialData', async () => {
    sb.control.advance(30 * MINUTE);
    const input = lagInput('demo-euw1', 10);
    input.EndTime = new Date(Math.floor(sb.control.now() / MINUTE) * MINUTE); // exactly 10 periods
    const pages: [number, string][] = [];
    for await (const p of paginateGetMetricData({ client: cw('eu-west-1'), pageSize: 4 }, input)) {
      const r = p.MetricDataResults![0];
      pages.push([r.Values!.length, r.StatusCode!]);
    }
    assert.deepEqual(pages, [
      [4, 'PartialData'],
      [4, 'PartialData'],
      [2, 'Complete'],
    ]);
  });

  test('errors: bad time range, bad period, bad token', async () => {
    const c = cw('eu-west-1');
    await rejectsAs(
      c.send(new GetMetricDataCommand({ ...lagInput('demo-euw1', 5), StartTime: new Date(sb.control.now()), EndTime: new Date(sb.control.now() - MINUTE) })),
      'InvalidParameterValueException',
    );
    const badPeriod = lagInput('demo-euw1', 5);
    badPeriod.MetricDataQueries![0].MetricStat!.Period = 45;
    await rejectsAs(c.send(new GetMetricDataCommand(badPeriod)), 'InvalidParameterValueException');
    await rejectsAs(c.send(new GetMetricDataCommand({ ...lagInput('demo-euw1', 5), NextToken: 'bogus' })), 'InvalidNextToken');
  });

  test('an injected error comes back as the SDK names it (query-compatible code)', async () => {
    sb.control.setFaults({
      errors: [{ service: 'monitoring', operation: 'GetMetricData', code: 'InvalidParameterValue', message: 'injected', status: 400, count: 1 }],
    });
    await rejectsAs(cw('eu-west-1').send(new GetMetricDataCommand(lagInput('demo-euw1', 3))), 'InvalidParameterValueException');
  });

  test('the awsQuery protocol gives the same datapoints and errors', async () => {
    sb.control.advance(10 * MINUTE);
    const input = lagInput('demo-euw1', 5);
    input.EndTime = new Date(Math.floor(sb.control.now() / MINUTE) * MINUTE); // a settled range: both calls see the same periods
    const json = await cw('eu-west-1').send(new GetMetricDataCommand(input));
    const query = await cw('eu-west-1', true).send(new GetMetricDataCommand(input));
    assert.deepEqual(query.MetricDataResults, json.MetricDataResults);
    assert.equal(query.MetricDataResults![0].Values?.length, 5);
    assert.ok(query.MetricDataResults![0].Timestamps?.every((t) => t instanceof Date));
    await rejectsAs(cw('eu-west-1', true).send(new GetMetricDataCommand({ ...input, NextToken: 'bogus' })), 'InvalidNextToken');
  });
});
