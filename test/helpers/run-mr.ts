// Spawn the built `mr` the way a person or a script would, and collect what it printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mrBin } from './paths.js';

export interface RunMrOptions {
  /** Added to a clean environment (dummy AWS keys; no AWS_PROFILE/REGION/ENDPOINT, MR_CONFIG, colour or CI settings). */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. */
  input?: string;
  /** Run under a pseudo-terminal (`script`), COLUMNS wide; stdout and stderr then arrive together in `stdout`. */
  tty?: boolean;
  columns?: number;
  cwd?: string;
  /** Safety net only: kill the process after this long (default 60 s) so a hung test fails instead of hanging. */
  killAfterMs?: number;
}

export interface MrResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const STRIPPED = [
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ENDPOINT_URL',
  'MR_CONFIG',
  'NO_COLOR',
  'FORCE_COLOR',
  'CI',
  'MR_SANDBOX_TIME_SCALE',
  'XDG_STATE_HOME',
];

let cacheRoot: string | undefined;

/**
 * A new, empty cache dir ($XDG_CACHE_HOME) under one per test process, removed when it exits: what mr
 * keeps between runs (the topology, hosted zone names) never comes from the user's ~/.cache or from
 * another test, so call counts do not depend on what ran before.
 */
export function freshCacheDir(): string {
  if (cacheRoot === undefined) {
    const root = mkdtempSync(join(tmpdir(), 'mr-test-cache-'));
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    cacheRoot = root;
  }
  return mkdtempSync(join(cacheRoot, 'c-'));
}

/** Each call gets a fresh cache dir (freshCacheDir) unless `extra` names XDG_CACHE_HOME (a test of what a second run finds). */
export function mrEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of STRIPPED) delete env[k];
  if (!('XDG_CACHE_HOME' in extra)) env.XDG_CACHE_HOME = freshCacheDir();
  Object.assign(env, { AWS_ACCESS_KEY_ID: 'AKIDMRTEST', AWS_SECRET_ACCESS_KEY: 'mr-test-secret', AWS_EC2_METADATA_DISABLED: 'true' });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Start `mr`; `done` resolves when it exits. For tests that interact (signals, reading as it prints). */
export function startMr(args: string[], opts: RunMrOptions = {}): { child: ChildProcess; done: Promise<MrResult>; output: () => string } {
  const columns = opts.columns ?? 100;
  const env = mrEnv({ COLUMNS: String(columns), ...opts.env });
  const argv = [process.execPath, mrBin, ...args];
  const child = opts.tty
    ? spawn('script', ['-qec', `stty cols ${columns} rows 50 2>/dev/null; exec ${argv.map(shellQuote).join(' ')}`, '/dev/null'], { env, cwd: opts.cwd })
    : spawn(argv[0], argv.slice(1), { env, cwd: opts.cwd });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 60_000);
  const done = new Promise<MrResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  else if (!opts.tty) child.stdin!.end();
  return { child, done, output: () => stdout };
}

export function runMr(args: string[], opts: RunMrOptions = {}): Promise<MrResult> {
  return startMr(args, opts).done;
}

/** Resolves once `test` holds for the output so far (checked on every chunk). */
export function waitForOutput(run: ReturnType<typeof startMr>, test: (stdout: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (test(run.output())) {
        run.child.stdout!.off('data', check);
        resolve();
      }
    };
    run.child.stdout!.on('data', check);
    run.done.then(() => (test(run.output()) ? resolve() : reject(new Error(`mr exited before the expected output:\n${run.output()}`))), reject);
    check();
  });
}
