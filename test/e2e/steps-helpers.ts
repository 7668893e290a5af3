// Shared by the e2e tests of the single-service commands (aurora, redis, traffic, ecs): spawn the
// built CLI against a sandbox living in the test process, then read the sandbox's state and call log
// and the run's audit log.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { AuditEvent } from '../../src/audit/types.js';
import { demoTopology, mrBin } from '../helpers/paths.js';
import { withSandbox, type SandboxHandle, type StartSandboxOptions } from '../helpers/sandbox.js';
import { freshCacheDir } from '../helpers/run-mr.js';

export interface World {
  sb: SandboxHandle;
  stateDir: string;
  stop(): Promise<void>;
}

export async function world(opts: StartSandboxOptions = {}): Promise<World> {
  const sb = await withSandbox(opts);
  const stateDir = await mkdtemp(join(tmpdir(), 'mr-e2e-steps-'));
  return {
    sb,
    stateDir,
    stop: async () => {
      await sb.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Run `fn` in a fresh world (its own sandbox and state dir), stopped afterwards whatever happens. */
export async function inWorld(fn: (w: World) => Promise<void>, opts: StartSandboxOptions = {}): Promise<void> {
  const w = await world(opts);
  try {
    await fn(w);
  } finally {
    await w.stop();
  }
}

export interface MrRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run `mr <args>` against the world. Async spawn: the sandbox answers from this process's event loop.
 * With `tty`, the CLI runs under script(1) so it sees a terminal, and `input` is typed into it.
 */
export function mr(w: World, args: string[], opts: { tty?: boolean; input?: string; stateDir?: string } = {}): Promise<MrRun> {
  const full = ['--endpoint-url', w.sb.endpoint, '--config', demoTopology, '--state-dir', opts.stateDir ?? w.stateDir, '--no-color', ...args];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'AKIAMRE2ESTEPS000000',
    AWS_SECRET_ACCESS_KEY: 'sandbox-secret',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    NO_COLOR: '1',
    // A cache of its own: nothing kept by an earlier run (hosted zone names) changes the calls made.
    XDG_CACHE_HOME: freshCacheDir(),
  };
  delete env.AWS_PROFILE;
  delete env.AWS_ENDPOINT_URL;
  if (opts.tty) delete env.CI;
  else env.CI = '1';
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const child = opts.tty
    ? spawn('script', ['-qfec', [process.execPath, mrBin, ...full].map(quote).join(' '), '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, [mrBin, ...full], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  if (opts.input !== undefined) child.stdin.write(opts.input);
  if (!opts.tty) child.stdin.end();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Mutating calls the sandbox saw, as "service region operation". */
export function mutating(w: World): string[] {
  return w.sb.control
    .calls()
    .filter((c) => c.mutating)
    .map((c) => `${c.service} ${c.region} ${c.operation}`);
}

export async function auditEvents(w: World): Promise<AuditEvent[]> {
  const text = await readFile(join(w.stateDir, 'audit', 'demo.ndjson'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent);
}

interface CallData {
  step?: string;
  call?: { service: string; region: string; operation: string };
  service?: string;
  region?: string;
  operation?: string;
  ok?: boolean;
}

/**
 * Every mutating call the sandbox saw has an intent before it and a result after it in the audit log,
 * in the same order; returns the audited calls ("service region operation").
 */
export async function assertAudited(w: World): Promise<string[]> {
  const events = await auditEvents(w);
  const intents = events.filter((e) => e.type === 'intent').map((e) => (e.data as CallData).call!);
  const results = events.filter((e) => e.type === 'result').map((e) => e.data as CallData);
  const audited = intents.map((c) => `${c.service} ${c.region} ${c.operation}`);
  assert.deepEqual(audited, mutating(w), 'one intent per mutating call, in order');
  assert.deepEqual(
    results.map((r) => `${r.service} ${r.region} ${r.operation}`),
    audited,
    'one result per intent',
  );
  return audited;
}

/** `mr audit verify` passes over the world's state dir (and the log is not empty). */
export async function auditVerifies(w: World): Promise<void> {
  assert.ok((await auditEvents(w)).length > 0, 'the audit log has events');
  const r = await mr(w, ['audit', 'verify']);
  assert.equal(r.code, 0, `mr audit verify: ${r.stderr}${r.stdout}`);
}

/** Audited intents of the steps themselves (the run lock's TXT record changes left out). */
export async function stepIntents(w: World): Promise<string[]> {
  return (await auditEvents(w))
    .filter((e) => e.type === 'intent' && (e.data as CallData).step !== 'lock')
    .map((e) => {
      const c = (e.data as CallData).call!;
      return `${c.service} ${c.region} ${c.operation}`;
    });
}

/**
 * Nothing was changed: no mutating call but the run lock's own (its TXT record is created and
 * removed again around the approval), and the lock is gone.
 */
export async function assertNothingChanged(w: World): Promise<void> {
  await assertAudited(w);
  assert.deepEqual(await stepIntents(w), [], 'no step made a mutating call');
  const lock = await fetchLockRecords(w);
  assert.deepEqual(lock, [], 'the run lock was released');
}

async function fetchLockRecords(w: World): Promise<unknown[]> {
  const r53 = w.sb.control.snapshot().services.route53 as { zones: { records: { name: string; type: string }[] }[] };
  return r53.zones[0].records.filter((r) => r.type === 'TXT' && r.name.startsWith('_mr-lock'));
}
