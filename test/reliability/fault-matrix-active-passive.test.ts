// Fault matrix over the active-passive world's planned failover (issue 13): the demo matrix's cases
// (lib/fault-cases.ts) for this world's operations and stages, run by the same loop (lib/fault-loop.ts):
// every run completes, stops with exit 5 saying where, or fails having changed nothing; no change is
// accepted twice; a stopped run resumed with the fault cleared finishes the failover (the replica promoted,
// ECS at capacity, TestDNSAnswer answering eu-west-1). A SUBSET, for runtime (11 cases, about 4 minutes on
// the shared VM): Route 53 throttled to 1 request/s, six 500s (past the SDK's retries) on each of its
// mutating calls and two (absorbed) on the promotion, the promotion answering after the mutation timeout,
// the source going down at the fence, the target at the data stage, and Route 53's control plane at the DNS
// stage. Three more (500s on DescribeDBInstances, 400 ms on every call, the source and Route 53's control
// plane going down at the data stage) passed once when this was written.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { activePassiveState } from './lib/end-states.js';
import { faultCases, pick, type FaultWorld } from './lib/fault-cases.js';
import { runFaultCase, type FaultRun } from './lib/fault-loop.js';
import { bundled, openWorld, type RWorld } from './lib/world.js';

const AP_FAULTS: FaultWorld = {
  mutations: [
    ['ecs', 'UpdateService'],
    ['rds', 'PromoteReadReplica'],
    ['elasticache', 'FailoverGlobalReplicationGroup'],
    ['route53', 'ChangeResourceRecordSets'],
    ['route53', 'UpdateHealthCheck'],
  ],
  polls: [['rds', 'DescribeDBInstances']],
  slowReads: { name: 'RDS read', operations: ['DescribeDBInstances'] },
  cut: { name: 'the promotion', operation: 'PromoteReadReplica' },
  stages: [
    ['fence', 'fence-source'],
    ['data', 'promote-db'],
    ['DNS', 'point-data'],
  ],
  source: 'us-east-1',
  target: 'eu-west-1',
};

const CASES = pick(faultCases(AP_FAULTS), [
  /^throttling storm: Route 53 at 1 request\/s$/,
  /^6 x HTTP 500 on (UpdateService|PromoteReadReplica|FailoverGlobalReplicationGroup|ChangeResourceRecordSets|UpdateHealthCheck)$/,
  /^2 x HTTP 500 on PromoteReadReplica$/,
  /^latency spike: the promotion answers after 16 s$/,
  /^us-east-1 \(the source\) goes down in fence$/,
  /^eu-west-1 \(the target\) goes down in data$/,
  /^Route 53's control plane goes down in DNS$/,
]);

// Found by this matrix, and fixed in the engine (src/engine/execute.ts): with eu-west-1 down from the data
// stage, promote-cache fails at once, and its parallel sibling promote-db, still waiting for the replica's
// ReplicaLag to reach 0, is stopped before its promotion instead of waiting out timeouts.verify (15 min).

let reference: unknown;
const FAILOVER: FaultRun = {
  args: ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'],
  // Fully moved: as an uninterrupted run leaves the world (read in before()).
  async notMoved(w) {
    const got = await activePassiveState(w);
    return JSON.stringify(got) === JSON.stringify(reference) ? '' : `world is ${JSON.stringify(got)}, an uninterrupted run left ${JSON.stringify(reference)}`;
  },
  steps: [
    'target-healthy',
    'scale-target',
    'fence-source',
    'promote-db',
    'promote-cache',
    'point-data',
    'shift-traffic',
    'drain-others',
    'verify-target-healthy',
  ],
  cut: 'PromoteReadReplica',
};

describe('fault matrix over the active-passive world: the planned failover never ends as a silent partial', () => {
  let world: RWorld;
  const summary: string[] = [];

  before(async () => {
    world = await openWorld({ ...bundled('active-passive'), timeScale: 600 });
    const ref = await world.mr(FAILOVER.args);
    assert.equal(ref.code, 0, ref.stderr);
    reference = await activePassiveState(world);
    assert.equal((reference as Record<string, unknown>)['ap-db-euw1'], 'available, standalone');
  });

  after(async () => {
    await world.close();
    process.stdout.write(`# fault matrix, active-passive world\n${summary.map((s) => `#   ${s}`).join('\n')}\n`);
    assert.deepEqual(world.leaks, []);
  });

  test('the subset has every kind of fault', () => {
    for (const kind of ['throttling storm', 'HTTP 500', 'latency spike', 'goes down'])
      assert.ok(
        CASES.some((c) => c.name.includes(kind)),
        `no ${kind}`,
      );
  });
  for (const c of CASES) test(c.name, async () => void summary.push(await runFaultCase(world, FAILOVER, c)));
});
