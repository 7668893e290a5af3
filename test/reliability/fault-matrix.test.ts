// Fault matrix: the planned failover under throttling storms, bursts of 5xx on each operation it
// calls, latency spikes, and a region (or Route 53's control plane) going down at each stage.
// Every run completes, or stops with exit 5 saying where, or fails having changed nothing (lib/
// outcome.ts), and no run has a change accepted twice. A stopped run is then resumed with the fault
// cleared, and must finish the failover.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent } from '../../src/audit/types.js';
import type { FaultPatch } from '../../src/sandbox/types.js';
import { waitForEvent } from '../e2e/playbook-harness.js';
import { judgeRun, notMoved } from './lib/outcome.js';
import { acceptedMutations, repeatedMutations } from './lib/wire.js';
import { openWorld, type RWorld } from './lib/world.js';

const FAILOVER = ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'];

interface FaultCase {
  name: string;
  /** Faults in place from the start. */
  faults?: FaultPatch;
  /** Faults injected when the first event of this type (and step) reaches the audit log. */
  at?: { type: string; step?: string; faults: FaultPatch };
}

const burst = (service: string, operation: string, count: number): FaultCase => ({
  name: `${count} x HTTP 500 on ${operation}`,
  faults: { errors: [{ service, operation, code: 'InternalFailure', message: 'injected 5xx', status: 500, count }] },
});

const stages: { stage: string; step: string }[] = [
  { stage: 'capacity', step: 'scale-target' },
  { stage: 'data', step: 'switch-db' },
  { stage: 'traffic', step: 'shift-traffic' },
];

const cases: FaultCase[] = [
  { name: 'throttling storm: Route 53 at 1 request/s', faults: { route53RateLimit: 1 } },
  { name: 'throttling storm: Route 53 at 1 request every 3 s', faults: { route53RateLimit: 0.33 } },
  // Two are absorbed by the SDK's retries (3 attempts); six outlast them.
  ...[2, 6].flatMap((n) => [
    burst('ecs', 'UpdateService', n),
    burst('rds', 'SwitchoverGlobalCluster', n),
    burst('elasticache', 'FailoverGlobalReplicationGroup', n),
    burst('route53', 'ChangeResourceRecordSets', n),
  ]),
  burst('route53', 'GetChange', 6),
  burst('rds', 'DescribeGlobalClusters', 6),
  { name: 'latency spike: 400 ms on every call', faults: { latencyMs: 400 } },
  { name: 'latency spike: 2.5 s on every Aurora read', faults: { latency: { DescribeGlobalClusters: 2500, DescribeDBClusters: 2500 } } },
  // Longer than the mutation timeout (15 s): the switchover is made, but mr never hears back.
  { name: 'latency spike: the switchover answers after 16 s', faults: { latency: { SwitchoverGlobalCluster: 16_000 } } },
  ...stages.flatMap(({ stage, step }) => [
    { name: `us-east-1 (the source) goes down in ${stage}`, at: { type: 'step.started', step, faults: { regionsDown: ['us-east-1'] } } },
    { name: `eu-west-1 (the target) goes down in ${stage}`, at: { type: 'step.started', step, faults: { regionsDown: ['eu-west-1'] } } },
    { name: `Route 53's control plane goes down in ${stage}`, at: { type: 'step.started', step, faults: { route53ControlPlaneDown: true } } },
  ]),
];

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

  for (const c of cases) {
    test(c.name, async () => {
      await world.reset();
      if (c.faults) world.sandbox.control.setFaults(c.faults);
      const run = world.start(FAILOVER, { killAfterMs: 120_000 });
      if (c.at) {
        const at = c.at;
        await waitForEvent(
          world.stateDir,
          (events: AuditEvent[]) => events.find((e) => e.type === at.type && (at.step === undefined || e.data?.step === at.step)),
          run.done,
        ).then(
          () => world.sandbox.control.setFaults(at.faults),
          () => undefined, // finished before the stage: judged as it ended
        );
      }
      const r = await run.done;
      // Judged with the fault gone, so the world can be read (a slow or dead region would hide it).
      world.sandbox.control.clearFaults();
      const judged = await judgeRun(world, r);
      assert.deepEqual(judged.problems, [], `exit ${r.code}\n${r.stderr.slice(-1500)}`);
      // Within the run. (Its resume may legitimately redo a change the run itself undid, e.g. a
      // traffic step rolled back by a failed health gate.)
      const accepted = acceptedMutations(world.sandbox, world.recorder);
      assert.deepEqual(repeatedMutations(accepted), [], 'no change accepted twice');
      // Sent can exceed accepted: a call with no answer whose read-back shows it was not made is sent
      // once more (the resend of src/engine/step-context.ts), e.g. to a region that went down.
      const sent = (op: string) => world.sandbox.control.calls().filter((x) => x.operation === op && x.mutating).length;
      const took = (op: string) => accepted.filter((m) => m.call.operation === op).length;
      let line = `${c.name}: exit ${r.code} (${judged.kind}; switchover sent ${sent('SwitchoverGlobalCluster')}x, accepted ${took('SwitchoverGlobalCluster')}x)`;
      if (judged.kind === 'stopped') {
        const resumed = await world.mr(['resume', judged.runId!, '--yes'], { killAfterMs: 120_000 });
        assert.equal(resumed.code, 0, `resume after the fault cleared: ${resumed.stderr.slice(-1500)}`);
        assert.equal(await notMoved(world), '', 'the resume finishes the failover');
        line += ', resumed: exit 0, failed over';
      }
      const verify = await world.mr(['audit', 'verify']);
      assert.equal(verify.code, 0, verify.stderr);
      summary.push(line);
    });
  }
});
