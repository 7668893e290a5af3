// Which modules a spawned `mr` loads, and which packages they hold. A module hook (node:module
// register, Node 20.19 and 22) records the URL of every module the process resolves. Unbundled, an SDK
// module's URL names its package; in the bundle (dist/bundle, scripts/bundle.mjs) a chunk's packages
// come from the build's metafile (dist/bundle.meta.json: each output file and the inputs in it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distRoot, mrBin } from './paths.js';
import { mrEnv } from './run-mr.js';

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

let meta: Map<string, string[]> | undefined;

/** Output file (absolute path) -> its inputs (paths as esbuild gives them, relative to the repo). */
function bundleInputs(): Map<string, string[]> {
  if (meta) return meta;
  meta = new Map();
  const file = join(distRoot, 'bundle.meta.json');
  if (!existsSync(file)) return meta;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Meta;
  const base = resolve(distRoot, '..');
  for (const [out, o] of Object.entries(doc.outputs)) meta.set(resolve(base, out), Object.keys(o.inputs));
  return meta;
}

/** The package a path inside node_modules belongs to (`@scope/name` or `name`). */
function packageOf(path: string): string | undefined {
  const parts = path.split(/[\\/]/);
  const i = parts.lastIndexOf('node_modules');
  if (i < 0 || i + 1 >= parts.length) return undefined;
  return parts[i + 1].startsWith('@') ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1];
}

/** Every package whose code a module URL holds: its own, or for a bundle chunk those of its inputs. */
export function packagesIn(url: string): string[] {
  if (!url.startsWith('file:')) return [];
  const path = fileURLToPath(url);
  const inputs = bundleInputs().get(path);
  const found = new Set<string>();
  for (const p of inputs ?? [path]) {
    const pkg = packageOf(p);
    if (pkg) found.add(pkg);
  }
  return [...found].sort();
}

/** Whether a module URL is one of the bundle's files (main.js or a chunk). */
export function isBundleFile(url: string): boolean {
  return url.startsWith('file:') && bundleInputs().has(fileURLToPath(url));
}

export interface LoadedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Module URLs in the order the process resolved them. */
  urls: string[];
  /** Packages whose code was loaded, sorted. */
  packages: string[];
}

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.MR_TEST_MODULE_LOG, r.url + '\\n');
  return r;
}
`;

function hookFiles(dir: string): { register: string } {
  const hooks = join(dir, 'module-hooks.mjs');
  const register = join(dir, 'module-register.mjs');
  if (!existsSync(register)) {
    writeFileSync(hooks, HOOKS);
    writeFileSync(register, `import { register } from 'node:module';\nregister('./module-hooks.mjs', import.meta.url);\n`);
  }
  return { register };
}

function loadedRun(log: string, code: number | null, stdout: string, stderr: string): LoadedRun {
  const urls = existsSync(log) ? [...new Set(readFileSync(log, 'utf8').trim().split('\n'))].filter(Boolean) : [];
  const packages = [...new Set(urls.flatMap(packagesIn))].sort();
  return { code, stdout, stderr, urls, packages };
}

/** Run mr (bin/mr.js, or the compiled main in a private build) under the recording hook. */
export function runMrRecordingModules(dir: string, name: string, args: string[]): LoadedRun {
  const { register } = hookFiles(dir);
  const log = join(dir, `${name}.modules.log`);
  const res = spawnSync(process.execPath, ['--import', register, mrBin, ...args], {
    env: mrEnv({ MR_TEST_MODULE_LOG: log }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return loadedRun(log, res.status, res.stdout, res.stderr);
}

/** The same without blocking this process (a sandbox in it can answer), with extra environment. */
export function runMrRecordingModulesAsync(dir: string, name: string, args: string[], env: Record<string, string | undefined> = {}): Promise<LoadedRun> {
  const { register } = hookFiles(dir);
  const log = join(dir, `${name}.modules.log`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', register, mrBin, ...args], {
      env: mrEnv({ ...env, MR_TEST_MODULE_LOG: log }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve(loadedRun(log, code, stdout, stderr));
    });
  });
}

/** A path relative to the build, for messages. */
export function shortUrl(url: string): string {
  return url.startsWith('file:') ? relative(distRoot, fileURLToPath(url)).split(sep).join('/') : url;
}
