// Fault matrix: the planned failover under throttling storms, bursts of 5xx on each operation it
// calls, latency spikes, and a region (or Route 53's control plane) going down at each stage.
// Every run completes, or stops with exit 5 saying where, or fails having changed nothing (lib/
// outcome.ts), and no run has a change accepted twice. A stopped run is then resumed with the fault
// cleared, and must finish the failover. The cases and the loop (lib/fault-cases.ts, lib/fault-loop.ts)
// are shared with the latency and active-passive matrices (fault-matrix-latency.test.ts, fault-matrix-active-passive.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { faultCases, type FaultWorld } from './lib/fault-cases.js';
import { runFaultCase, type FaultRun } from './lib/fault-loop.js';
import { DEMO_TARGET } from './lib/outcome.js';
import { openWorld, type RWorld } from './lib/world.js';

const DEMO_FAULTS: FaultWorld = {
  mutations: [
    ['ecs', 'UpdateService'],
    ['rds', 'SwitchoverGlobalCluster'],
    ['elasticache', 'FailoverGlobalReplicationGroup'],
    ['route53', 'ChangeResourceRecordSets'],
  ],
  polls: [
    ['route53', 'GetChange'],
    ['rds', 'DescribeGlobalClusters'],
  ],
  slowReads: { name: 'Aurora read', operations: ['DescribeGlobalClusters', 'DescribeDBClusters'] },
  cut: { name: 'the switchover', operation: 'SwitchoverGlobalCluster' },
  stages: [
    ['capacity', 'scale-target'],
    ['data', 'switch-db'],
    ['traffic', 'shift-traffic'],
  ],
  source: 'us-east-1',
  target: 'eu-west-1',
};

const FAILOVER: FaultRun = { ...DEMO_TARGET, args: ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'], cut: 'SwitchoverGlobalCluster' };

describe('fault matrix: the planned failover never ends as a silent partial', () => {
  let world: RWorld;
  const summary: string[] = [];

  before(async () => {
    world = await openWorld({ timeScale: 600 });
  });

  after(async () => {
    await world.close();
    // The table for bench/RESULTS.md's reliability summary.
    process.stdout.write(`# fault matrix\n${summary.map((s) => `#   ${s}`).join('\n')}\n`);
    assert.deepEqual(world.leaks, []);
  });

  for (const c of faultCases(DEMO_FAULTS)) test(c.name, async () => void summary.push(await runFaultCase(world, FAILOVER, c)));
});
