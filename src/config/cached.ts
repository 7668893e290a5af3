// The validated topology of a file's exact text, kept between runs, so a command that reads an
// unchanged topology (every `mr status`) loads neither the YAML parser nor zod (issue 14: together
// about a quarter of the code status loaded). Only a topology that passed validation is kept, keyed
// by the sha256 of the build and the text: any change to either is a miss and a full parse, and a
// file with problems is parsed (and reported) every time. An entry that cannot be read or does not
// carry its own key is a miss; failing to write one only costs the next run the parse.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Topology } from './schema.js';
import { readTopologyText } from './read.js';

/** Set by scripts/bundle.mjs (esbuild define): a hash of the compiled sources the bundle holds. */
declare const MR_BUILD_ID: string | undefined;

/** The build's id in the bundle; undefined unbundled (dist/src), where the cache is not used. */
export function bundleBuildId(): string | undefined {
  return typeof MR_BUILD_ID === 'string' ? MR_BUILD_ID : undefined;
}

/** The XDG base directory spec's cache home, as defaultStateDir does for state. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  return xdg ? join(xdg, 'mr') : join(homedir(), '.cache', 'mr');
}

export interface TopologyCache {
  dir: string;
  buildId: string;
}

/** Entries kept; more are pruned oldest first when one is written (each edit of a topology makes one). */
const MAX_ENTRIES = 32;

export function cacheKey(buildId: string, text: string): string {
  return createHash('sha256').update(buildId).update('\0').update(text).digest('hex');
}

async function readEntry(file: string, key: string): Promise<Topology | undefined> {
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as { key?: unknown; topology?: Topology };
    return entry.key === key && typeof entry.topology === 'object' && entry.topology !== null ? entry.topology : undefined;
  } catch {
    return undefined;
  }
}

async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.startsWith('topology-') && n.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => a.t - b.t);
  await Promise.all(dated.slice(0, dated.length - MAX_ENTRIES).map(({ n }) => unlink(join(dir, n)).catch(() => undefined)));
}

async function writeEntry(dir: string, file: string, key: string, topology: Topology): Promise<void> {
  const text = JSON.stringify({ key, topology });
  // Kept only when JSON gives back exactly what validation produced, so a hit is the same topology.
  if (!isDeepStrictEqual((JSON.parse(text) as { topology: unknown }).topology, topology)) return;
  try {
    await mkdir(dir, { recursive: true });
    // Written aside and renamed: a reader never sees half an entry.
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file).catch(async (e: unknown) => {
      await unlink(tmp).catch(() => undefined);
      throw e;
    });
    await prune(dir);
  } catch {
    // A cache that cannot be written is only slower.
  }
}

/** Read and validate a topology file (problems: UsageError, exit 2), through the cache when one is given. */
export async function loadTopologyCached(path: string, label: string, cache: TopologyCache | undefined): Promise<Topology> {
  const text = await readTopologyText(path, label);
  const key = cache ? cacheKey(cache.buildId, text) : undefined;
  const file = cache && key ? join(cache.dir, `topology-${key}.json`) : undefined;
  if (file && key) {
    const hit = await readEntry(file, key);
    if (hit) return hit;
  }
  const { parseTopology } = await import('./load.js');
  const topology = parseTopology(text, label);
  if (cache && file && key) await writeEntry(cache.dir, file, key, topology);
  return topology;
}
