// Crash matrix: `mr failover eu-west-1` killed with SIGKILL at every step boundary of failover.yaml
// (each step.started / step.succeeded / step.skipped, the lock taken, and each step's first change
// sent), then `mr resume <run-id>`. Every time: the world ends failed over, the audit log verifies,
// the lock is free, and the sandbox accepted no mutation twice (same operation, target and
// parameters, compared on the wire).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { AuditEvent } from '../../src/audit/types.js';
import { auditEvents, failedOverToEuw1, waitForEvent, worldState } from '../e2e/playbook-harness.js';
import { acceptedMutations, repeatedMutations } from './lib/wire.js';
import { openWorld, type RWorld } from './lib/world.js';

const FAILOVER = ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'];

interface KillPoint {
  label: string;
  type: string;
  step?: string;
}

const isBoundary = (e: AuditEvent) => ['lock.acquired', 'step.started', 'step.succeeded', 'step.skipped'].includes(e.type);

/** The boundaries of an uninterrupted run, in the order they happened, plus each step's first change. */
function killPoints(events: AuditEvent[]): KillPoint[] {
  const points: KillPoint[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    const step = typeof e.data?.step === 'string' ? e.data.step : undefined;
    const firstChange = e.type === 'intent' && step !== undefined && step !== 'lock';
    if (!isBoundary(e) && !firstChange) continue;
    const label = `${e.type === 'intent' ? 'first change of' : e.type} ${step ?? ''}`.trim();
    if (seen.has(label)) continue;
    seen.add(label);
    points.push({ label, type: e.type, step });
  }
  return points;
}

const matches = (p: KillPoint) => (events: AuditEvent[]) => events.find((e) => e.type === p.type && (p.step === undefined || e.data?.step === p.step));

describe('crash matrix: SIGKILL at every step boundary of the planned failover, then resume', () => {
  let world: RWorld;
  let points: KillPoint[] = [];

  before(async () => {
    // 50 ms on every call: the work after a boundary takes long enough for the kill to land before it.
    world = await openWorld({ worldOverrides: (w) => void (w.faults.latencyMs = 50) });
    const ref = await world.mr(FAILOVER);
    assert.equal(ref.code, 0, ref.stderr);
    points = killPoints(await auditEvents(world.stateDir));
  });

  after(async () => {
    await world.close();
    assert.deepEqual(world.leaks, [], 'a credential reached an output or a file');
  });

  test('the uninterrupted failover has a boundary for every step of failover.yaml', () => {
    const labels = points.map((p) => p.label);
    for (const step of ['scale-target', 'switch-db', 'promote-cache', 'shift-traffic']) {
      assert.ok(labels.includes(`step.started ${step}`), `no start of ${step} in ${labels.join(', ')}`);
      assert.ok(labels.includes(`step.succeeded ${step}`));
      assert.ok(labels.includes(`first change of ${step}`));
    }
    assert.ok(labels.includes('lock.acquired'));
    assert.ok(
      labels.some((l) => / target-healthy$/.test(l)),
      'the health gate has a boundary',
    );
    assert.ok(points.length >= 13, `only ${points.length} kill points`);
  });

  test('each kill point: resume finishes the failover without repeating a change', async () => {
    const problems: string[] = [];
    for (const point of points) {
      await world.reset();
      const run = world.start(FAILOVER);
      const hit = await waitForEvent(world.stateDir, matches(point), run.done);
      run.child.kill('SIGKILL');
      const killed = await run.done;
      const where = `killed at ${point.label}`;
      if (killed.signal !== 'SIGKILL') {
        problems.push(`${where}: the run ended by itself (exit ${killed.code}) before the kill`);
        continue;
      }
      const resumed = await world.mr(['resume', hit.runId, '--yes']);
      if (resumed.code !== 0) {
        problems.push(`${where}: resume exited ${resumed.code}: ${resumed.stderr.trim().split('\n').slice(-3).join(' / ')}`);
        continue;
      }
      const s = await worldState(world.aws);
      const got = { writer: s.writer, auroraStatus: s.auroraStatus, cachePrimary: s.cachePrimary, cacheStatus: s.cacheStatus, weights: s.weights };
      if (!isDeepStrictEqual(got, failedOverToEuw1)) problems.push(`${where}: ended in ${JSON.stringify(got)}`);
      if (!isDeepStrictEqual(s.ecs['eu-west-1'], { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } })) {
        problems.push(`${where}: ECS in eu-west-1 is ${JSON.stringify(s.ecs['eu-west-1'])}`);
      }
      const repeated = repeatedMutations(acceptedMutations(world.sandbox, world.recorder));
      if (repeated.length > 0) problems.push(`${where}: mutations accepted twice:\n    ${repeated.join('\n    ')}`);
      const verify = await world.mr(['audit', 'verify']);
      if (verify.code !== 0) problems.push(`${where}: audit verify exited ${verify.code}: ${verify.stdout}${verify.stderr}`);
      const lock = await world.mr(['lock', 'status']);
      if (!/not locked/.test(lock.stdout)) problems.push(`${where}: the lock is still held: ${lock.stdout}`);
    }
    assert.equal(problems.join('\n'), '');
  });
});
