// Benchmark 4, second part: the same planned failover at real durations (time scale 1, about 190 s of
// AWS time), measured, not projected: its RTO window against the critical path (same model as the
// time-scale-12 part, failover.ts) and every call mr made, from the sandbox's call log, against the
// AWS CLI runbook's 38 calls (issue 14's measurement of a hand-written runbook with the CLI's stock
// waiters; that runbook is not in this repo, so it is not re-measured here).
//
// The topology is the demo's with `timeouts.expected` as an operator would set it for AWS: Route 53's
// documented 60 s for INSYNC (the schema's default; API reference, GetChange: "changes generally
// propagate to all Route 53 name servers within 60 seconds"), and for the operations AWS gives no
// figure for (AWS-FACTS 3.x, 4.x) the durations this world takes, as an operator records their own.
// Without those, each of those waits polls every interval (1 s): the note gives that count from the
// same run's calls.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { demoTopology } from '../test/helpers/paths.js';
import { expectExit, timeMr } from './lib/proc.js';
import { freshCacheDir } from '../test/helpers/run-mr.js';
import type { Figure } from './lib/report.js';
import { countByOperation, describeCounts, openSandbox } from './lib/sandbox.js';
import { ms, ratio } from './lib/stats.js';

const CLI_RUNBOOK_CALLS = 38;
const CALLS_TARGET = 2;
const RTO_TARGET = 1.02;

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The demo topology with `timeouts.expected` set for this world at `timeScale` (simulated ms / scale
 * in real ms), written to a temporary file; the caller removes `dir`.
 */
export async function topologyWithExpected(world: Doc, ecsStartMs: number, timeScale: number): Promise<{ file: string; dir: string }> {
  const topology = parse(await readFile(demoTopology, 'utf8')) as Doc;
  const d = world.durations as Record<string, number>;
  const at = (simMs: number) => `${Math.round(simMs / timeScale)}ms`;
  topology.timeouts.expected = {
    route53Sync: at(60_000),
    auroraSwitchover: at(d.auroraSwitchover * 1000),
    redisFailover: at(d.datastoreFailover * 1000),
    ecsStart: at(ecsStartMs),
  };
  const dir = await mkdtemp(join(tmpdir(), 'mr-bench-expected-'));
  const file = join(dir, 'topology.yaml');
  await writeFile(file, stringify(topology));
  return { file, dir };
}

export async function failoverAtRealDurations(world: Doc, criticalMs: number, ecsStartMs: number): Promise<{ figures: Figure[]; notes: string[] }> {
  const d = world.durations as Record<string, number>;
  const { file, dir } = await topologyWithExpected(world, ecsStartMs, 1);
  const env = await openSandbox({ timeScale: 1 });
  try {
    const flags = env.flags.map((f) => (f === demoTopology ? file : f));
    // As an operator's failover after a `mr status`: the hosted zone's name is in the cache dir, so
    // the lock asks for no GetHostedZone (src/aws/route53-zones.ts).
    const cache = { XDG_CACHE_HOME: freshCacheDir() };
    await timeMr([...flags, 'status'], cache);
    env.sb.control.clearCalls();
    const t = expectExit(await timeMr([...flags, '--json', 'failover', 'eu-west-1', '--yes', '--var', 'bake=0s'], cache), 0, 'mr failover at time scale 1');
    const calls = env.sb.control.calls();
    const runId = /"runId":\s*"([^"]+)"/.exec(t.stdout)?.[1];
    const rec = JSON.parse(await readFile(join(env.stateDir, 'runs', `${runId}.json`), 'utf8')) as { firstMutationAt: string; steps: { endedAt?: string }[] };
    const rto = Math.max(...rec.steps.map((s) => (s.endedAt ? Date.parse(s.endedAt) : 0))) - Date.parse(rec.firstMutationAt);
    const byOp = countByOperation(calls);
    const bound = CALLS_TARGET * CLI_RUNBOOK_CALLS;
    // Without expected durations, the Aurora, ElastiCache and ECS waits poll every second: one read per
    // second of their operation instead of the reads this run made.
    const pollMs = 1000;
    const dense = Math.ceil((d.auroraSwitchover * 1000) / pollMs) + Math.ceil((d.datastoreFailover * 1000) / pollMs) + Math.ceil(ecsStartMs / pollMs);
    const sparse = (byOp.DescribeGlobalClusters ?? 0) + (byOp.DescribeGlobalReplicationGroups ?? 0) + (byOp.DescribeServices ?? 0);
    return {
      figures: [
        {
          label: 'time scale 1: calls per failover',
          value: `${calls.length} calls`,
          baseline: `AWS CLI runbook: ${CLI_RUNBOOK_CALLS} calls`,
          ratio: ratio(calls.length / CLI_RUNBOOK_CALLS),
          target: `<= ${CALLS_TARGET.toFixed(2)}x (${bound})`,
          met: calls.length <= bound,
        },
        {
          label: 'time scale 1: RTO window vs critical path',
          value: ms(rto),
          baseline: `critical path: ${ms(criticalMs)}`,
          ratio: ratio(rto / criticalMs),
          target: `<= ${RTO_TARGET.toFixed(2)}x`,
          met: rto / criticalMs <= RTO_TARGET,
        },
      ],
      notes: [
        `time scale 1 (one run, ${ms(t.ms)} spawn to exit), calls by operation: ${describeCounts(byOp)}`,
        `the same failover with no expected durations but Route 53's: the Aurora, ElastiCache and ECS waits would read about ${dense} times at 1 s polls instead of the ${sparse} reads of those operations here (about ${calls.length - sparse + dense} calls, ${ratio((calls.length - sparse + dense) / CLI_RUNBOOK_CALLS)} of the runbook)`,
      ],
    };
  } finally {
    await env.close();
    await rm(dir, { recursive: true, force: true });
  }
}
