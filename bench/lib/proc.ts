// Spawning the built mr (or a baseline process) and timing it from spawn to exit.
import { spawn } from 'node:child_process';
import { mrBin } from '../../test/helpers/paths.js';
import { mrEnv } from '../../test/helpers/run-mr.js';

export interface Timed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Real ms from spawn to exit. */
  ms: number;
}

export function timeProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = mrEnv(),
  opts: { killAfterMs?: number; cwd?: string } = {},
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Run the built mr the way a person would (bin/mr.js under dist/, the compiled main otherwise). */
export function timeMr(args: string[], env: Record<string, string | undefined> = {}): Promise<Timed> {
  return timeProcess(process.execPath, [mrBin, ...args], mrEnv(env));
}

/** Fail loudly when a measured command did not do what it was meant to (a benchmark of an error is worthless). */
export function expectExit(t: Timed, code: number, what: string): Timed {
  if (t.code !== code) {
    const tail = (t.stderr || t.stdout).trim().split('\n').slice(-5).join('\n');
    throw new Error(`${what} exited ${t.code ?? t.signal} (expected ${code}):\n${tail}`);
  }
  return t;
}
