// mr ecs scale, spawned against a sandbox in this process.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertAudited, assertNothingChanged, auditEvents, auditVerifies, inWorld, mr, mutating, stepIntents, type World } from './steps-helpers.js';

interface EcsSnap {
  clusters: { region: string; services: { name: string; desired: number }[] }[];
}
const desired = (w: World, region: string) =>
  Object.fromEntries((w.sb.control.snapshot().services.ecs as EcsSnap).clusters.find((c) => c.region === region)!.services.map((s) => [s.name, s.desired]));

// Each test has its own sandbox and state dir, so two run at once (they mostly wait on polls).
describe('mr ecs scale', { concurrency: 2 }, () => {
  test('--capacity sets the topology figures and waits for them; audited; a re-run is a no-op', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['ecs', 'scale', 'eu-west-1', '--capacity', '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(desired(w, 'eu-west-1'), { api: 6, worker: 4 });
      // The demo standbys are under Application Auto Scaling: each MinCapacity comes up first (issue 10 item 7).
      assert.deepEqual(await stepIntents(w), [
        'application-autoscaling eu-west-1 RegisterScalableTarget',
        'application-autoscaling eu-west-1 RegisterScalableTarget',
        'ecs eu-west-1 UpdateService',
        'ecs eu-west-1 UpdateService',
      ]);
      await assertAudited(w);
      await auditVerifies(w);
      const before = mutating(w).length;
      const again = await mr(w, ['ecs', 'scale', 'eu-west-1', '--yes']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /nothing to do/);
      assert.equal(mutating(w).length, before);
    }));

  test('--to with --services changes only those services', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['ecs', 'scale', 'us-west-2', '--to', '0', '--services', 'worker', '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(desired(w, 'us-west-2'), { api: 2, worker: 0 });
      // worker's MinCapacity 1 comes down to 0 first, or its scaling policy would scale it back out.
      assert.deepEqual(await stepIntents(w), ['application-autoscaling us-west-2 RegisterScalableTarget', 'ecs us-west-2 UpdateService']);
    }));

  test('without a terminal and without --yes (exit 4), or declined at the prompt (exit 4): nothing changed', () =>
    inWorld(async (w) => {
      const r = await mr(w, ['ecs', 'scale', 'eu-west-1', '--capacity']);
      assert.equal(r.code, 4, r.stderr);
      const d = await mr(w, ['ecs', 'scale', 'eu-west-1', '--capacity'], { tty: true, input: 'n\r' });
      assert.equal(d.code, 4, d.stdout);
      assert.deepEqual(desired(w, 'eu-west-1'), { api: 2, worker: 1 });
      await assertNothingChanged(w);
    }));

  test('an audit log that cannot be written: exit 1, no mutating call', () =>
    inWorld(async (w) => {
      await mkdir(join(w.stateDir, 'audit', 'demo.ndjson'), { recursive: true });
      const r = await mr(w, ['ecs', 'scale', 'eu-west-1', '--capacity', '--yes']);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(mutating(w), []);
    }));

  test('a service missing from the cluster is refused (exit 3) naming it', () =>
    inWorld(
      async (w) => {
        const r = await mr(w, ['ecs', 'scale', 'eu-west-1', '--capacity', '--yes']);
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stderr, /worker MISSING/);
        assert.deepEqual(mutating(w), []);
      },
      {
        worldOverrides: (wf) => {
          const ecs = wf.ecs as unknown as { clusters: { region: string; services: { name: string }[] }[] };
          const c = ecs.clusters.find((x) => x.region === 'eu-west-1')!;
          c.services = c.services.filter((s) => s.name !== 'worker');
        },
      },
    ));

  // Services without scalable targets, so UpdateService is the step's first change (nothing applied before it).
  test('an AWS error from UpdateService stops the run with the error and a record', () =>
    inWorld(
      async (w) => {
        w.sb.control.setFaults({
          errors: [{ service: 'ecs', operation: 'UpdateService', code: 'ServiceNotActiveException', message: 'injected for the test', status: 400, count: 1 }],
        });
        const r = await mr(w, ['ecs', 'scale', 'eu-west-1', '--capacity', '--yes']);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /ServiceNotActiveException/);
        assert.deepEqual(desired(w, 'eu-west-1'), { api: 2, worker: 1 });
        await assertAudited(w);
        const result = (await auditEvents(w)).find((e) => e.type === 'result' && (e.data as { step?: string }).step === 'scale');
        assert.equal((result?.data as { ok: boolean }).ok, false);
        await auditVerifies(w);
      },
      { worldOverrides: (wf) => void delete (wf as Record<string, unknown>)['application-autoscaling'] },
    ));

  test('bad input: unknown region, --to and --capacity together, a count that is not a number (exit 2)', () =>
    inWorld(async (w) => {
      for (const args of [['ap-south-1'], ['eu-west-1', '--to', '3', '--capacity'], ['eu-west-1', '--to', 'many']]) {
        const r = await mr(w, ['ecs', 'scale', ...args, '--yes']);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      }
      assert.deepEqual(w.sb.control.calls(), []);
    }));
});
