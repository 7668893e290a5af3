// Benchmark 2, second part: what `mr status` costs to start. At zero added latency, the whole command
// (spawn to exit) against `node -e 0`, and its peak RSS, for the bundled build (bin/mr.js ->
// dist/bundle, scripts/bundle.mjs) and, in the same run, the unbundled dist/src/cli/main.js. Runs are
// interleaved round by round so the machine's load falls on each alike. Peak RSS comes from
// process.resourceUsage().maxRSS, written at exit by a preloaded module (separate runs, so the preload
// costs the wall figures nothing), with the CPU time (user + system) of those runs.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mrBin, mrMain } from '../test/helpers/paths.js';
import { freshCacheDir, mrEnv } from '../test/helpers/run-mr.js';
import { expectExit, timeProcess } from './lib/proc.js';
import type { Figure } from './lib/report.js';
import { median, ms, ratio } from './lib/stats.js';

const WALL_TARGET = 4;
const RSS_TARGET_MIB = 90;
const RSS_RUNS = 3;

interface Variant {
  label: string;
  args: string[];
  /** Run without NODE_EXTRA_CA_CERTS (see CLEAN below); wall time only. */
  clean?: boolean;
}

// Node 20 reads the certificates NODE_EXTRA_CA_CERTS names at every start (measured on this VM: node -e 0
// takes 120 ms with the variable its image sets, 33 ms without; Node 24 defers the read). Both sides of
// the ratio pay it, which flatters it, so where the variable is set the same runs are also made without it.
const CLEAN = ' (no NODE_EXTRA_CA_CERTS)';

const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

/** `cache`: the XDG_CACHE_HOME every run shares (warm after the warm-up, as a user's second run); default one of its own. */
export async function statusStart(flags: string[], runs: number, cache = { XDG_CACHE_HOME: freshCacheDir() }): Promise<{ figures: Figure[]; notes: string[] }> {
  const bundled = mrBin.endsWith('bin/mr.js');
  const variants: Variant[] = [
    { label: 'node -e 0', args: ['-e', '0'] },
    { label: bundled ? 'mr status (bundle)' : 'mr status', args: [mrBin, ...flags, 'status', '--json'] },
  ];
  if (bundled) variants.push({ label: 'mr status (dist/src, unbundled)', args: [mrMain, ...flags, 'status', '--json'] });
  const extraCerts = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  if (extraCerts) variants.push(...variants.slice(0, 2).map((v) => ({ ...v, label: v.label + CLEAN, clean: true })));
  const dir = await mkdtemp(join(tmpdir(), 'mr-bench-rss-'));
  const preload = join(dir, 'rss.mjs');
  await writeFile(
    preload,
    "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const c = process.cpuUsage(); writeFileSync(process.env.MR_BENCH_RSS_FILE, JSON.stringify({ rss: process.resourceUsage().maxRSS, cpu: (c.user + c.system) / 1000 })); });\n",
  );
  const walls = new Map<string, number[]>(variants.map((v) => [v.label, []]));
  const rss = new Map<string, number[]>(variants.map((v) => [v.label, []]));
  // CPU time (user + system) of the same runs: less sensitive to the machine's load than wall time.
  const cpu = new Map<string, number[]>(variants.map((v) => [v.label, []]));
  try {
    const env = mrEnv(cache);
    const cleanEnv = mrEnv({ ...cache, NODE_EXTRA_CA_CERTS: undefined });
    const envOf = (v: Variant) => (v.clean ? cleanEnv : env);
    for (const v of variants) await timeProcess(process.execPath, v.args, envOf(v)); // warm-up
    for (let round = 0; round < runs; round++) {
      for (let i = 0; i < variants.length; i++) {
        const v = variants[(round + i) % variants.length];
        walls.get(v.label)!.push(expectExit(await timeProcess(process.execPath, v.args, envOf(v)), 0, v.label).ms);
      }
    }
    for (let round = 0; round < RSS_RUNS; round++) {
      for (const v of variants.filter((x) => !x.clean)) {
        const file = join(dir, 'rss.txt');
        expectExit(await timeProcess(process.execPath, ['--import', preload, ...v.args], mrEnv({ ...cache, MR_BENCH_RSS_FILE: file })), 0, `${v.label} (rss)`);
        const usage = JSON.parse(await readFile(file, 'utf8')) as { rss: number; cpu: number };
        rss.get(v.label)!.push(usage.rss);
        cpu.get(v.label)!.push(usage.cpu);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const base = median(walls.get('node -e 0')!);
  const mr = variants[1];
  const unbundled = variants.find((v) => v.label.startsWith('mr status (dist/src') && !v.clean);
  const wall = median(walls.get(mr.label)!);
  const peak = median(rss.get(mr.label)!);
  const figures: Figure[] = [
    {
      label: `${mr.label} wall, zero latency`,
      value: ms(wall),
      baseline: `node -e 0: ${ms(base)}`,
      ratio: ratio(wall / base),
      target: `<= ${WALL_TARGET.toFixed(2)}x`,
      met: wall / base <= WALL_TARGET,
    },
    {
      label: `${mr.label} peak RSS`,
      value: mib(peak),
      baseline: `node -e 0: ${mib(median(rss.get('node -e 0')!))}`,
      ratio: '-',
      target: `< ${RSS_TARGET_MIB} MiB`,
      met: peak < RSS_TARGET_MIB * 1024,
    },
  ];
  const baseCpu = median(cpu.get('node -e 0')!);
  const mrCpu = median(cpu.get(mr.label)!);
  figures.push({
    label: `${mr.label} CPU (user + system)`,
    value: ms(mrCpu),
    baseline: `node -e 0: ${ms(baseCpu)}`,
    ratio: ratio(mrCpu / baseCpu),
    target: 'info',
    met: true,
  });
  const notes: string[] = [];
  if (extraCerts) {
    const cleanBase = median(walls.get('node -e 0' + CLEAN)!);
    const cleanWall = median(walls.get(mr.label + CLEAN)!);
    figures.push({
      label: `${mr.label} wall${CLEAN}`,
      value: ms(cleanWall),
      baseline: `node -e 0: ${ms(cleanBase)}`,
      ratio: ratio(cleanWall / cleanBase),
      target: 'info',
      met: true,
    });
    notes.push(
      `NODE_EXTRA_CA_CERTS is set here, and Node ${process.versions.node.split('.')[0]} reads it at every start: node -e 0 ${ms(base)} with it, ${ms(cleanBase)} without; status's own part (wall minus node -e 0) is ${ms(wall - base)} with, ${ms(cleanWall - cleanBase)} without`,
    );
  }
  if (unbundled) {
    const uWall = median(walls.get(unbundled.label)!);
    const uPeak = median(rss.get(unbundled.label)!);
    figures.push(
      {
        label: 'bundle vs unbundled: status wall',
        value: ms(wall),
        baseline: `dist/src: ${ms(uWall)}`,
        ratio: ratio(wall / uWall),
        target: 'info',
        met: true,
      },
      {
        label: 'bundle vs unbundled: peak RSS',
        value: mib(peak),
        baseline: `dist/src: ${mib(uPeak)}`,
        ratio: ratio(peak / uPeak),
        target: 'info',
        met: true,
      },
    );
    notes.push(`unbundled dist/src/cli/main.js: status ${ratio(uWall / base)} of node -e 0, peak RSS ${mib(uPeak)}`);
  }
  notes.push(`status start: median of ${runs} interleaved spawns each (after a warm-up), peak RSS median of ${RSS_RUNS}`);
  return { figures, notes };
}
