// Benchmark 3: the number of API calls must not grow with the size of the hosted zone. `mr status`
// and `mr traffic shift` run against a zone with 10 and with 10,000 extra records; the sandbox's
// call log counts every call by operation. Route 53 propagation is set to 0 s here so the number
// of GetChange polls depends on neither size nor machine speed (it is always one).
import type { CallLogEntry } from '../src/sandbox/server.js';
import { expectExit, timeMr } from './lib/proc.js';
import type { BenchResult, Figure } from './lib/report.js';
import { countByOperation, describeCounts, openSandbox } from './lib/sandbox.js';

const SMALL = 10;
const LARGE = 10_000;

async function callsAt(fillers: number, args: string[], expectCode: number, what: string): Promise<CallLogEntry[]> {
  const env = await openSandbox({
    timeScale: 600,
    worldOverrides: (w) => {
      w.route53!.zones[0].fillerRecords = fillers;
      w.durations.dnsPropagation = 0;
    },
  });
  try {
    env.sb.control.clearCalls();
    expectExit(await timeMr([...env.flags, ...args]), expectCode, what);
    return env.sb.control.calls();
  } finally {
    await env.close();
  }
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

export async function benchSize(): Promise<BenchResult> {
  const commands: { label: string; args: string[] }[] = [
    { label: 'mr status', args: ['status', '--json'] },
    { label: 'mr traffic shift --to eu-west-1', args: ['traffic', 'shift', '--to', 'eu-west-1', '--yes', '--json'] },
  ];
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const c of commands) {
    const small = countByOperation(await callsAt(SMALL, c.args, 0, `${c.label} (${SMALL} records)`));
    const large = countByOperation(await callsAt(LARGE, c.args, 0, `${c.label} (${LARGE} records)`));
    const nSmall = Object.values(small).reduce((a, b) => a + b, 0);
    const nLarge = Object.values(large).reduce((a, b) => a + b, 0);
    const same = sameCounts(small, large);
    figures.push({
      label: `${c.label}, ${LARGE.toLocaleString('en')} records`,
      value: `${nLarge} calls`,
      baseline: `${SMALL} records: ${nSmall} calls`,
      ratio: `${(nLarge / nSmall).toFixed(2)}x`,
      target: 'same count',
      met: same,
    });
    notes.push(`${c.label}: ${describeCounts(large)}${same ? ' (identical by operation at both sizes)' : `; at ${SMALL} records: ${describeCounts(small)}`}`);
  }
  return {
    id: 3,
    title: 'Cost against size',
    method: `API calls counted from the sandbox call log, zone with ${SMALL} and ${LARGE.toLocaleString('en')} filler records`,
    figures,
    notes,
  };
}
