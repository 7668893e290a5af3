// A sandbox for one describe block of RDS tests: started on a world written to a temp dir before the
// tests, reset before each, stopped (with its SDK clients) after; plus the lag read through CloudWatch.
import { after, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RDSClient } from '@aws-sdk/client-rds';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { sdkConfig, withSandbox, type SandboxHandle } from './sandbox.js';

export interface RdsSandboxSuite {
  readonly sb: SandboxHandle;
  rds(region: string): RDSClient;
  /** The newest Maximum of an AWS/RDS metric over the last five sandbox minutes, as GetMetricData returns it. */
  metric(region: string, name: string, dimension: string, id: string): Promise<number | undefined>;
}

export function rdsSandboxSuite(worldYaml: string): RdsSandboxSuite {
  let sb: SandboxHandle | undefined;
  let dir = '';
  const rdsClients = new Map<string, RDSClient>();
  const cwClients = new Map<string, CloudWatchClient>();
  const cached = <C>(m: Map<string, C>, region: string, make: () => C): C => {
    if (!m.has(region)) m.set(region, make());
    return m.get(region)!;
  };
  const suite: RdsSandboxSuite = {
    get sb() {
      assert.ok(sb, 'the sandbox starts in before()');
      return sb;
    },
    rds: (region) => cached(rdsClients, region, () => new RDSClient(sdkConfig(suite.sb.endpoint, region, 1))),
    async metric(region, name, dimension, id) {
      const now = suite.sb.control.now();
      const cw = cached(cwClients, region, () => new CloudWatchClient(sdkConfig(suite.sb.endpoint, region, 1)));
      const out = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 300_000),
          EndTime: new Date(now + 1),
          ScanBy: 'TimestampDescending',
          MetricDataQueries: [
            {
              Id: 'lag',
              MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: name, Dimensions: [{ Name: dimension, Value: id }] }, Period: 60, Stat: 'Maximum' },
            },
          ],
        }),
      );
      return out.MetricDataResults?.[0]?.Values?.[0];
    },
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mr-rds-suite-'));
    const world = join(dir, 'world.yaml');
    writeFileSync(world, worldYaml);
    sb = await withSandbox({ timeScale: 1, world });
  });
  after(async () => {
    for (const c of [...rdsClients.values(), ...cwClients.values()]) c.destroy();
    await sb?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => suite.sb.control.reset());
  return suite;
}

/** The call fails with this AWS error name and HTTP status. */
export async function rejectsAs(p: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(p, (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}
