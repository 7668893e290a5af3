// Crash matrix over the single-run failback of the active-passive world (after an unplanned failover to
// eu-west-1): `mr run failback --var target=us-east-1` killed with SIGKILL at a SUBSET of its points, then
// `mr resume <run-id>`. The points are the ones the failback's own mechanisms answer for: the rebuild's
// first change (the replica still creating), the deferred promotion planned on reaching it, its first
// change (the promotion under way), and its success (the rebuilt replica now standalone, found by its
// mr:replica-of tag). Every time: us-east-1's rebuilt replica is the writable primary, DNS answers us-east-1,
// the audit log verifies, the lock is free and the sandbox accepted no mutation twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditPath } from '../../src/audit/log.js';
import { readEvents } from '../../src/audit/read.js';
import type { AuditEvent } from '../../src/audit/types.js';
import { createAws } from '../../src/aws/factory.js';
import type { Aws } from '../../src/aws/types.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { distRoot } from '../helpers/paths.js';
import { runMr, startMr } from '../helpers/run-mr.js';
import { acceptedMutations, repeatedMutations, startRecorder, type Recorder } from './lib/wire.js';

const WORLD = join(distRoot, 'src/sandbox/worlds/active-passive/world.yaml');
const TOPOLOGY = join(distRoot, 'src/sandbox/worlds/active-passive/topology.yaml');
const ZONE = 'Z0MRACTPASS00001';
const FAILBACK = ['run', 'failback', '--var', 'target=us-east-1', '--yes'];

const POINTS: { label: string; type: string; step: string }[] = [
  { label: 'first change of rebuild-replica', type: 'intent', step: 'rebuild-replica' },
  { label: 'promote-db planned when reached', type: 'step.planned', step: 'promote-db' },
  { label: 'first change of promote-db', type: 'intent', step: 'promote-db' },
  { label: 'promote-db succeeded', type: 'step.succeeded', step: 'promote-db' },
];

describe('crash matrix: SIGKILL during the single-run failback (a subset of points), then resume', () => {
  let sb: SandboxHandle;
  let recorder: Recorder;
  let aws: Aws;
  let dir: string;
  let stateDir: string;
  let topology: string;
  const globals = () => ['--endpoint-url', recorder.endpoint, '--config', topology, '--state-dir', stateDir, '--no-color'];
  const mr = (args: string[]) => runMr([...globals(), ...args]);
  const events = async (): Promise<AuditEvent[]> => readEvents(auditPath(stateDir, 'active-passive')).catch(() => []);

  before(async () => {
    sb = await startSandbox({ world: WORLD, timeScale: 600, port: 0 });
    recorder = await startRecorder(sb.endpoint);
    dir = await mkdtemp(join(tmpdir(), 'mr-crash-ap-'));
    topology = join(dir, 'topology.yaml');
    await writeFile(topology, (await readFile(TOPOLOGY, 'utf8')).replace(/^(\s*poll:\s*).*$/m, '$1100ms'));
    aws = createAws({
      endpointUrl: sb.endpoint,
      credentials: { accessKeyId: 'AKIAMRRELIABILITY000', secretAccessKey: 'sandbox' },
      requestTimeoutMs: 2000,
      maxAttempts: 1,
    });
  });
  after(async () => {
    aws.destroy();
    await recorder.stop();
    await sb.stop();
    await rm(dir, { recursive: true, force: true });
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  // Killed while the rebuilt replica is still creating, the resume plans it as under way; by the re-read
  // under the lock it has usually finished creating. That is the world moving toward the plan: the resume
  // goes on (a plan.progressed event says so) instead of refusing as stale (src/engine/under-lock.ts).
  test('each point: resume finishes the return trip without repeating a change', async () => {
    const problems: string[] = [];
    for (const point of POINTS) {
      const where = `killed at ${point.label}`;
      sb.control.reset();
      if (stateDir) await rm(stateDir, { recursive: true, force: true });
      stateDir = await mkdtemp(join(tmpdir(), 'mr-crash-ap-state-'));
      sb.control.setFaults({ regionsDown: ['us-east-1'] });
      const down = await mr(['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss']);
      assert.equal(down.code, 0, down.stderr);
      sb.control.clearFaults();
      sb.control.clearCalls();
      recorder.requests.length = 0;

      // The unplanned failover's own events (it has a promote-db too) are not the failback's.
      const seen = (await events()).length;
      const run = startMr([...globals(), ...FAILBACK]);
      let hit: AuditEvent | undefined;
      let finished = false;
      void run.done.then(() => (finished = true));
      while (!hit && !finished) {
        hit = (await events()).slice(seen).find((e) => e.type === point.type && e.data?.step === point.step);
        if (!hit) await new Promise((r) => setTimeout(r, 20));
      }
      run.child.kill('SIGKILL');
      const killed = await run.done;
      if (!hit || killed.signal !== 'SIGKILL') {
        problems.push(`${where}: the run ended by itself (exit ${killed.code}) before the kill`);
        continue;
      }
      const resumed = await mr(['resume', hit.runId, '--yes']);
      if (resumed.code !== 0) {
        problems.push(`${where}: resume exited ${resumed.code}: ${resumed.stderr.trim().split('\n').slice(-3).join(' / ')}`);
        continue;
      }
      const rebuilt = await aws
        .rds('us-east-1')
        .readDbInstance('ap-db-use1-r')
        .catch(() => undefined);
      if (rebuilt?.status !== 'available' || rebuilt.source) {
        const state = rebuilt ? `${rebuilt.status}, source ${rebuilt.source?.id ?? 'none'}` : 'missing';
        problems.push(`${where}: ap-db-use1-r is ${state}; resume said: ${resumed.stdout}${resumed.stderr}`);
        continue;
      }
      const db = (await aws.route53().testDnsAnswer(ZONE, 'db.active-passive.example.com', 'CNAME')).data;
      const api = (await aws.route53().testDnsAnswer(ZONE, 'api.active-passive.example.com', 'A')).data;
      if (db[0] !== 'ap-db-use1-r.c0ffee.us-east-1.rds.amazonaws.com' || api[0] !== '192.0.2.10') problems.push(`${where}: DNS db ${db}, api ${api}`);
      const repeated = repeatedMutations(acceptedMutations(sb, recorder));
      if (repeated.length > 0) problems.push(`${where}: mutations accepted twice:\n    ${repeated.join('\n    ')}`);
      const verify = await mr(['audit', 'verify']);
      if (verify.code !== 0) problems.push(`${where}: audit verify exited ${verify.code}: ${verify.stdout}${verify.stderr}`);
      const lock = await mr(['lock', 'status']);
      if (!/not locked/.test(lock.stdout)) problems.push(`${where}: the lock is still held: ${lock.stdout}`);
    }
    assert.equal(problems.join('\n'), '');
  });
});
