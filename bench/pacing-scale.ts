// Benchmark 5 at the largest size of benchmark 6 (6 regions x 40 services x 20 names, 10,000 other
// records): `mr status --json` with Route 53 at 5 req/s. Target: no retry shown on stderr and no
// finding (a false "unreachable" was issue 14's failure at this size), every run exit 0.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/server.js';
import { timeMr } from './lib/proc.js';
import type { Figure } from './lib/report.js';
import { median } from './lib/stats.js';
import { SIZES, scaleTopology, scaleWorld } from './scale.js';

export async function statusAtScale(rate: number, surfaced: RegExp, runs: number): Promise<{ figures: Figure[]; notes: string[] }> {
  const size = SIZES[SIZES.length - 1];
  const label = size.join('x');
  const sb = await startSandbox({ port: 0, timeScale: 60, worldOverrides: (w) => scaleWorld(w, ...size) });
  const dir = await mkdtemp(join(tmpdir(), 'mr-bench-pacing-scale-'));
  const shown: string[] = [];
  const throttled: number[] = [];
  const route53: number[] = [];
  const wall: number[] = [];
  const bad: string[] = [];
  try {
    const topology = join(dir, 'topology.yaml');
    await writeFile(topology, scaleTopology(...size));
    for (let i = 0; i < runs; i++) {
      sb.control.reset();
      sb.control.setFaults({ route53RateLimit: rate });
      const t = await timeMr(['--config', topology, '--endpoint-url', sb.endpoint, '--state-dir', dir, '--no-color', 'status', '--json']);
      const calls = sb.control.calls().filter((c) => c.service === 'route53');
      throttled.push(calls.filter((c) => c.throttled).length);
      route53.push(calls.length);
      wall.push(t.ms);
      shown.push(...t.stderr.split('\n').filter((l) => surfaced.test(l)));
      let findings: { message: string }[] | undefined;
      try {
        findings = (JSON.parse(t.stdout) as { findings: { message: string }[] }).findings;
      } catch {
        // not JSON: a failed run, below
      }
      if (t.code !== 0 || !findings || findings.length > 0)
        bad.push(`exit ${t.code}: ${findings?.map((f) => f.message).join('; ') ?? t.stderr.trim().split('\n').slice(-1)[0]}`);
    }
  } finally {
    await sb.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const figures: Figure[] = [
    {
      label: `mr status, ${label}: retries shown`,
      value: `${shown.length} shown`,
      baseline: `${median(throttled)} throttled (max ${Math.max(...throttled)}) of ${median(route53)} calls`,
      ratio: '-',
      target: 'none shown',
      met: shown.length === 0,
    },
    {
      label: `mr status, ${label}: exit 0, no finding`,
      value: `${runs - bad.length} of ${runs} runs`,
      baseline: `${runs} runs`,
      ratio: '-',
      target: 'every run',
      met: bad.length === 0,
    },
  ];
  const notes = [`mr status at ${label} (Route 53 calls and throttled from the call log): ${(median(wall) / 1000).toFixed(1)} s median under the limit`];
  if (bad.length) notes.push(`${label} runs that failed or reported a finding: ${bad.slice(0, 3).join(' | ')}`);
  if (shown.length) notes.push(`${label} showed: ${[...new Set(shown)].slice(0, 3).join(' | ')}`);
  return { figures, notes };
}
