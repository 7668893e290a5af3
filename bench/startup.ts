// Benchmark 1: how long `mr` takes to start and answer the cheapest questions, against `node -e 0`
// (the floor any Node CLI pays). Runs are interleaved round by round, rotating the order, so load
// on this shared machine falls on every command alike; medians are compared.
import { mrBin, repoRoot } from '../test/helpers/paths.js';
import { mrEnv } from '../test/helpers/run-mr.js';
import { expectExit, timeProcess } from './lib/proc.js';
import type { BenchResult } from './lib/report.js';
import { median, ms, ratio } from './lib/stats.js';

const TARGET = 1.3;

interface Variant {
  label: string;
  args: string[];
  /** Not compared with the target: shown to explain where the time goes. */
  breakdown?: boolean;
}

export async function benchStartup(runs: number): Promise<BenchResult> {
  const node = process.execPath;
  const variants: Variant[] = [
    { label: 'node -e 0', args: ['-e', '0'] },
    { label: 'mr --version', args: [mrBin, '--version'] },
    { label: 'mr --help', args: [mrBin, '--help'] },
    { label: 'mr status --help', args: [mrBin, 'status', '--help'] },
    // How much of mr's start is commander alone (resolved from the repo, as mr resolves it).
    { label: 'node + import commander', args: ['--input-type=module', '-e', "await import('commander')"], breakdown: true },
  ];
  const times = new Map<string, number[]>(variants.map((v) => [v.label, []]));
  const env = mrEnv();
  // One warm-up round: the first spawn of anything pays for cold disk caches.
  for (const v of variants) await timeProcessIn(node, v.args, env);
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(round + i) % variants.length];
      const t = expectExit(await timeProcessIn(node, v.args, env), 0, v.label);
      times.get(v.label)!.push(t.ms);
    }
  }
  const base = median(times.get('node -e 0')!);
  const figures = variants
    .filter((v) => v.label !== 'node -e 0' && !v.breakdown)
    .map((v) => {
      const m = median(times.get(v.label)!);
      return {
        label: v.label,
        value: ms(m),
        baseline: `node -e 0: ${ms(base)}`,
        ratio: ratio(m / base),
        target: `<= ${TARGET.toFixed(2)}x`,
        met: m / base <= TARGET,
      };
    });
  const commander = median(times.get('node + import commander')!);
  return {
    id: 1,
    title: 'Startup',
    method: `median of ${runs} interleaved spawns each (after one warm-up round), ${mrBin.endsWith('bin/mr.js') ? 'bin/mr.js' : 'the compiled main'} on Node ${process.versions.node}`,
    figures,
    notes: [`node + import('commander') alone: ${ms(commander)} (${ratio(commander / base)} of node -e 0): the part of mr's start that is its argument parser`],
  };
}

/** Spawned from the repository root so `import('commander')` resolves as it does for mr. */
function timeProcessIn(node: string, args: string[], env: NodeJS.ProcessEnv) {
  return timeProcess(node, args, env, { cwd: repoRoot, killAfterMs: 60_000 });
}
