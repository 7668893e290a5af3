// `npm run bench`: the six benchmarks, each against a baseline measured in the same run.
//   node dist/bench/run.js [--only 1,2,...] [--runs N] [--markdown FILE]
// Prints each figure, its baseline, the ratio, the target and MET / NOT MET. Exit 0 when every
// benchmark ran (a missed target is a finding, not a crash); 1 when one could not run.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { benchFailover } from './failover.js';
import { benchFanout } from './fanout.js';
import { benchPacing } from './pacing.js';
import { benchScale } from './scale.js';
import { benchSize } from './size.js';
import { benchStartup } from './startup.js';
import { renderMarkdown, renderText, type BenchResult } from './lib/report.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string' },
    markdown: { type: 'string' },
  },
});

const runs = values.runs ? Number(values.runs) : undefined;
if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) {
  process.stderr.write(`--runs: expected a positive integer, got ${values.runs}\n`);
  process.exit(2);
}
const only = values.only ? new Set(values.only.split(',').map((s) => Number(s.trim()))) : undefined;

const benches: { id: number; run: () => Promise<BenchResult> }[] = [
  { id: 1, run: () => benchStartup(runs ?? 21) },
  { id: 2, run: () => benchFanout(runs ?? 7) },
  { id: 3, run: () => benchSize() },
  { id: 4, run: () => benchFailover(runs ?? 3) },
  { id: 5, run: () => benchPacing(runs ?? 3) },
  { id: 6, run: () => benchScale(runs ?? 3) },
];

const results: BenchResult[] = [];
let failed = false;
process.stdout.write(`mr benchmarks (Node ${process.versions.node}, ${new Date().toISOString()})\n\n`);
for (const b of benches) {
  if (only && !only.has(b.id)) continue;
  try {
    const r = await b.run();
    results.push(r);
    process.stdout.write(renderText(r) + '\n');
  } catch (e) {
    failed = true;
    process.stdout.write(`${b.id}. could not run: ${(e as Error).message}\n\n`);
  }
}
const met = results.flatMap((r) => r.figures).filter((f) => f.met).length;
const total = results.flatMap((r) => r.figures).length;
process.stdout.write(`${met} of ${total} figures meet their target${failed ? '; some benchmarks could not run' : ''}\n`);
if (values.markdown) await writeFile(values.markdown, renderMarkdown(results));
process.exitCode = failed ? 1 : 0;
