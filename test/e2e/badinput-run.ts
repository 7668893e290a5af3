// Runs generated bad-input cases against the built mr, two at a time, all against one sandbox, and
// says what each did wrong: an exit other than 2, not exactly one error line naming the problem,
// a stack trace, anything on stdout, or a mutating call reaching the sandbox.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { demoTopology } from '../helpers/paths.js';
import { runMr, type MrResult } from '../helpers/run-mr.js';
import type { SandboxHandle } from '../helpers/sandbox.js';
import { leaksIn, SECRET_ENV } from '../reliability/lib/secrets.js';

export interface BadInputCase {
  name: string;
  /** Written into the case's own directory first: relative path -> content. */
  files?: Record<string, string | Buffer>;
  /** The topology file, relative to the case directory; default the demo topology. */
  config?: string;
  /** mr's arguments after the global flags; "{dir}" becomes the case directory. */
  args: string[];
  /** The error line must match this: it names the problem. */
  names: RegExp;
}

export interface CaseOutcome {
  name: string;
  result: MrResult;
  problems: string[];
}

/** A hint may follow the error: indented, or commander's pointer to --help. */
const HINT = /^( {2}|\(run with --help)/;

export function judge(c: BadInputCase, r: MrResult): string[] {
  const problems: string[] = [];
  if (r.code !== 2) problems.push(`exit ${r.code ?? r.signal}, expected 2`);
  const all = `${r.stdout}\n${r.stderr}`;
  if (/^ {4}at /m.test(all)) problems.push('printed a stack trace');
  if (r.stdout.trim() !== '') problems.push(`printed on stdout: ${JSON.stringify(r.stdout.slice(0, 200))}`);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  const errors = lines.filter((l) => l.startsWith('error:'));
  const other = lines.filter((l) => !l.startsWith('error:') && !HINT.test(l));
  if (errors.length !== 1) problems.push(`${errors.length} error lines, expected 1`);
  else if (!c.names.test(errors[0])) problems.push(`the error does not name the problem (${c.names})`);
  if (other.length > 0) problems.push(`other output on stderr: ${JSON.stringify(other.slice(0, 3))}`);
  problems.push(...leaksIn(all, 'the output'));
  if (problems.length > 0) problems.push(`stderr was: ${JSON.stringify(r.stderr.slice(0, 600))}`);
  return problems;
}

async function runCase(c: BadInputCase, root: string, index: number, sb: SandboxHandle, env: Record<string, string>): Promise<CaseOutcome> {
  const dir = join(root, `case-${String(index).padStart(3, '0')}`);
  await mkdir(dir, { recursive: true });
  for (const [rel, content] of Object.entries(c.files ?? {})) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  const config = c.config === undefined ? demoTopology : join(dir, c.config);
  const args = c.args.map((a) => a.replaceAll('{dir}', dir));
  const result = await runMr(['--config', config, '--endpoint-url', sb.endpoint, '--state-dir', join(dir, 'state'), '--no-color', ...args], { env, cwd: dir });
  return { name: c.name, result, problems: judge(c, result) };
}

/**
 * Run every case, `concurrency` at a time (2 on this shared machine). After each group the
 * sandbox's call log must hold no mutating call; if it does, every case of the group is blamed.
 */
export async function runCases(
  cases: BadInputCase[],
  root: string,
  sb: SandboxHandle,
  opts: { concurrency?: number; env?: Record<string, string> } = {},
): Promise<CaseOutcome[]> {
  const n = opts.concurrency ?? 2;
  const out: CaseOutcome[] = [];
  for (let i = 0; i < cases.length; i += n) {
    const group = cases.slice(i, i + n);
    // Every case runs with distinctive credentials in its environment: none may be echoed back.
    const done = await Promise.all(group.map((c, j) => runCase(c, root, i + j, sb, opts.env ?? SECRET_ENV)));
    const mutations = sb.control.calls().filter((call) => call.mutating);
    if (mutations.length > 0) {
      const ops = mutations.map((m) => `${m.service} ${m.region} ${m.operation}`).join(', ');
      for (const d of done) d.problems.push(`a mutating call reached the sandbox while this case ran: ${ops}`);
    }
    sb.control.clearCalls();
    out.push(...done);
  }
  return out;
}

/** One readable paragraph per failed case. */
export function failures(outcomes: CaseOutcome[]): string {
  return outcomes
    .filter((o) => o.problems.length > 0)
    .map((o) => `${o.name}:\n  ${o.problems.join('\n  ')}`)
    .join('\n');
}

/** A real saved plan (a dry run of the planned failover with --out), as the base for broken plan files. */
export async function savedPlan(sb: SandboxHandle, dir: string): Promise<Record<string, unknown>> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'base-plan.json');
  const r = await runMr([
    '--config',
    demoTopology,
    '--endpoint-url',
    sb.endpoint,
    '--state-dir',
    join(dir, 'state'),
    'failover',
    'eu-west-1',
    '--dry-run',
    '--out',
    file,
  ]);
  if (r.code !== 0) throw new Error(`could not save a base plan (exit ${r.code}): ${r.stderr}`);
  sb.control.clearCalls();
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

/** `n` cases spread evenly over `cases` (first and last included), for the quick representative run. */
export function spread<T>(cases: T[], n: number): T[] {
  if (n >= cases.length) return cases;
  return Array.from({ length: n }, (_, i) => cases[Math.round((i * (cases.length - 1)) / Math.max(1, n - 1))]);
}
