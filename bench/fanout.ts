// Benchmark 2: `mr status` fans its reads out. Every sandbox call takes 150 ms more; the time mr's
// calls are in flight (first request to last answer, from the sandbox's call log) is compared with
// (a) the same calls made one after another (count x 150 ms) and (b) the longest chain of calls
// that depend on each other (depth x 150 ms). One read of status needs another's answer: the next
// page of a record listing. A region's replication lag does not wait for its cluster's engine: both
// metrics the engine may call for are asked for in one GetMetricData (src/inspect/gather.ts). So the
// chain is the number of a listing's pages (1 on the demo world).
import { demoTopology } from '../test/helpers/paths.js';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { CallLogEntry } from '../src/sandbox/server.js';
import { expectExit, timeMr } from './lib/proc.js';
import type { BenchResult } from './lib/report.js';
import { countByOperation, describeCounts, openSandbox } from './lib/sandbox.js';
import { freshCacheDir } from '../test/helpers/run-mr.js';
import { median, ms, ratio } from './lib/stats.js';
import { statusStart } from './status-start.js';

const LATENCY_MS = 150;
const TARGET = 1.2;

/** Calls that must follow one another: the pages of one record listing. */
export function chainDepth(calls: CallLogEntry[], recordGroups: number): number {
  const listings = calls.filter((c) => c.operation === 'ListResourceRecordSets').length;
  return Math.max(1, Math.ceil(listings / Math.max(1, recordGroups)));
}

/** First request received to last answer sent (the sandbox delays each answer by the latency). */
export function inFlightSpan(calls: CallLogEntry[], latencyMs: number): number {
  const at = calls.map((c) => c.realAt);
  return Math.max(...at) - Math.min(...at) + latencyMs;
}

export async function benchFanout(runs: number): Promise<BenchResult> {
  const topo = parse(await readFile(demoTopology, 'utf8')) as { route53?: { records?: unknown[] } };
  const recordGroups = topo.route53?.records?.length ?? 0;
  const env = await openSandbox({ timeScale: 600 });
  // One cache dir for every run, as a user's: the warm-up run keeps the hosted zone's name there, so
  // the measured runs are a second run's (no GetHostedZone: src/aws/route53-zones.ts).
  const cache = { XDG_CACHE_HOME: freshCacheDir() };
  try {
    env.sb.control.setFaults({ latencyMs: LATENCY_MS });
    const spans: number[] = [];
    const walls: number[] = [];
    let sample: CallLogEntry[] = [];
    // A warm-up run: the first spawn pays for cold caches.
    await timeMr([...env.flags, 'status', '--json'], cache);
    for (let i = 0; i < runs; i++) {
      env.sb.control.clearCalls();
      const t = expectExit(await timeMr([...env.flags, 'status', '--json'], cache), 0, 'mr status');
      const calls = env.sb.control.calls();
      spans.push(inFlightSpan(calls, LATENCY_MS));
      walls.push(t.ms);
      sample = calls;
    }
    // Then at zero added latency: the command's own cost against `node -e 0`, bundle and unbundled.
    env.sb.control.setFaults({ latencyMs: 0 });
    const start = await statusStart(env.flags, runs, cache);
    const n = sample.length;
    const route53Calls = sample.filter((c) => c.service === 'route53').length;
    const depth = chainDepth(sample, recordGroups);
    const span = median(spans);
    const sum = n * LATENCY_MS;
    const chain = depth * LATENCY_MS;
    return {
      id: 2,
      title: 'Status fan-out',
      method: `sandbox latency ${LATENCY_MS} ms per call; median of ${runs} runs of \`mr status\` on the demo world; time its calls are in flight, from the sandbox call log; then the whole command at zero latency against \`node -e 0\`, and its peak RSS`,
      figures: [
        {
          label: 'mr status vs the longest chain',
          value: ms(span),
          baseline: `chain of ${depth}: ${ms(chain)}`,
          ratio: ratio(span / chain),
          target: `<= ${TARGET.toFixed(2)}x`,
          met: span / chain <= TARGET,
        },
        {
          label: 'mr status vs one after another',
          value: ms(span),
          baseline: `${n} calls in a row: ${ms(sum)}`,
          ratio: ratio(span / sum),
          target: 'info',
          met: true,
        },
        {
          // 5 fit one window of the Route 53 pacer (src/aws/pacer.ts); a 6th waits ~1.1 s for the next.
          label: 'mr status Route 53 calls (warm zone cache)',
          value: String(route53Calls),
          baseline: 'one pacer window: 5',
          ratio: '-',
          target: '<= 5',
          met: route53Calls <= 5,
        },
        ...start.figures,
      ],
      notes: [
        `${n} calls per run: ${describeCounts(countByOperation(sample))}`,
        `whole command, spawn to exit: median ${ms(median(walls))} (the rest is Node start and loading the SDK clients, see benchmark 1)`,
        ...start.notes,
      ],
    };
  } finally {
    await env.close();
  }
}
