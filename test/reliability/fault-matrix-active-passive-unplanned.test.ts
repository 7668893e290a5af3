// Fault matrix over the active-passive world's UNPLANNED failover (issue 13): us-east-1, the source, is down
// for the whole of every case (the run, the judging and the resume), and `mr failover eu-west-1 --unplanned`
// runs under one more fault, by the shared loop (lib/fault-loop.ts): every run completes, stops with exit 5
// saying where, or fails having changed nothing; no change is accepted twice; a stopped run resumed with the
// fault cleared finishes the failover (the replica promoted, ECS at capacity, TestDNSAnswer answering
// eu-west-1). And no case sends a call to a us-east-1 regional endpoint (Route 53 is global: allowed).
// A SUBSET, for runtime (14 cases, about 2.5 minutes on the shared 2-core VM): Route 53 throttled to 1
// request/s, six 500s (past the SDK's retries) on each mutating call of the failover and two on the promotion,
// six on DescribeDBInstances, 400 ms on every call, the promotion answering after the mutation timeout, and the
// target and Route 53's control plane each going down at the data stage and at the DNS stage. The source
// going down is every case's premise; the fence and drain cases of the planned matrix have no step here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultPatch } from '../../src/sandbox/types.js';
import { activePassiveState, regionalCalls, sameAs } from './lib/end-states.js';
import { faultCases, pick, type FaultCase, type FaultWorld } from './lib/fault-cases.js';
import { runFaultCase, type FaultRun } from './lib/fault-loop.js';
import { bundled, openWorld, type RWorld } from './lib/world.js';

const SOURCE = 'us-east-1';

const AP_UNPLANNED_FAULTS: FaultWorld = {
  // The unplanned playbook: no fence and no drain (no UpdateHealthCheck); ecs.scale moves the scalable targets.
  mutations: [
    ['application-autoscaling', 'RegisterScalableTarget'],
    ['ecs', 'UpdateService'],
    ['rds', 'PromoteReadReplica'],
    ['elasticache', 'FailoverGlobalReplicationGroup'],
    ['route53', 'ChangeResourceRecordSets'],
  ],
  polls: [['rds', 'DescribeDBInstances']],
  slowReads: { name: 'RDS read', operations: ['DescribeDBInstances'] },
  cut: { name: 'the promotion', operation: 'PromoteReadReplica' },
  stages: [
    ['data', 'promote-db'],
    ['DNS', 'point-data'],
  ],
  source: SOURCE,
  target: 'eu-west-1',
};

/** The source stays down whatever else a case takes down (a patch's regionsDown replaces the list). */
const withSourceDown = (f: FaultPatch = {}): FaultPatch => ({ ...f, regionsDown: [...new Set([SOURCE, ...(f.regionsDown ?? [])])] });

const CASES: FaultCase[] = pick(faultCases(AP_UNPLANNED_FAULTS), [
  /^throttling storm: Route 53 at 1 request\/s$/,
  /^6 x HTTP 500 on (RegisterScalableTarget|UpdateService|PromoteReadReplica|FailoverGlobalReplicationGroup|ChangeResourceRecordSets)$/,
  /^2 x HTTP 500 on PromoteReadReplica$/,
  /^6 x HTTP 500 on DescribeDBInstances$/,
  /^latency spike: 400 ms on every call$/,
  /^latency spike: the promotion answers after 16 s$/,
  /^eu-west-1 \(the target\) goes down in (data|DNS)$/,
  /^Route 53's control plane goes down in (data|DNS)$/,
]).map((c) => ({ ...c, faults: withSourceDown(c.faults), ...(c.at ? { at: { ...c.at, faults: withSourceDown(c.at.faults) } } : {}) }));

const KNOWN: Record<string, string> = {};

let reference: unknown;
const FAILOVER: FaultRun = {
  args: ['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss'],
  keep: { regionsDown: [SOURCE] },
  resumeFlags: ['--yes', '--allow-data-loss'],
  // Fully moved: as an uninterrupted run leaves the world (read in before()), us-east-1 not read.
  notMoved: sameAs(
    (w) => activePassiveState(w, [SOURCE]),
    () => reference,
  ),
  steps: ['target-healthy', 'scale-target', 'promote-db', 'promote-cache', 'point-data', 'shift-traffic', 'verify-target-healthy'],
  cut: 'PromoteReadReplica',
};

describe('fault matrix over the active-passive world: the unplanned failover never ends as a silent partial, never calls us-east-1', () => {
  let world: RWorld;
  const summary: string[] = [];

  before(async () => {
    world = await openWorld({ ...bundled('active-passive'), timeScale: 600 });
    await world.reset();
    world.sandbox.control.setFaults({ regionsDown: [SOURCE] });
    const ref = await world.mr(FAILOVER.args);
    assert.equal(ref.code, 0, ref.stderr);
    assert.deepEqual(regionalCalls(world, SOURCE), []);
    reference = await activePassiveState(world, [SOURCE]);
    assert.equal((reference as Record<string, unknown>)['ap-db-euw1'], 'available, standalone');
    assert.deepEqual((reference as { dns: { api: string[] } }).dns.api, ['198.51.100.10']);
  });

  after(async () => {
    await world.close();
    process.stdout.write(`# fault matrix, active-passive world, unplanned\n${summary.map((s) => `#   ${s}`).join('\n')}\n`);
    assert.deepEqual(world.leaks, []);
  });

  test('the subset has every kind of fault, each with us-east-1 down', () => {
    for (const kind of ['throttling storm', 'HTTP 500', 'latency spike', 'goes down'])
      assert.ok(
        CASES.some((c) => c.name.includes(kind)),
        `no ${kind}`,
      );
    for (const c of CASES)
      assert.ok(
        [c.faults, c.at?.faults].every((f) => !f || f.regionsDown?.includes(SOURCE)),
        c.name,
      );
  });
  for (const c of CASES)
    test(c.name, KNOWN[c.name] ? { todo: KNOWN[c.name] } : {}, async () => {
      summary.push(await runFaultCase(world, FAILOVER, c));
      // The run and its resume: every call went to eu-west-1 or to Route 53's global endpoint.
      assert.deepEqual(regionalCalls(world, SOURCE), [], `${c.name}: calls to us-east-1`);
    });
});
