// The sandbox as the benchmarks use it: in this process, on an ephemeral port, with the demo world
// (optionally tweaked), and the command line that points the built mr at it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type CallLogEntry, type SandboxHandle, type WorldFile } from '../../src/sandbox/server.js';
import { demoTopology } from '../../test/helpers/paths.js';

export interface BenchSandbox {
  sb: SandboxHandle;
  stateDir: string;
  /** Global flags for mr: the demo topology, this sandbox, a private state dir. */
  flags: string[];
  close(): Promise<void>;
}

export async function openSandbox(opts: { timeScale: number; worldOverrides?: (w: WorldFile) => void }): Promise<BenchSandbox> {
  const sb = await startSandbox({ port: 0, timeScale: opts.timeScale, worldOverrides: opts.worldOverrides });
  const stateDir = await mkdtemp(join(tmpdir(), 'mr-bench-'));
  return {
    sb,
    stateDir,
    flags: ['--config', demoTopology, '--endpoint-url', sb.endpoint, '--state-dir', stateDir],
    async close() {
      await sb.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Calls by operation, e.g. { ListResourceRecordSets: 2, GetHealthCheck: 3 }, sorted by name. */
export function countByOperation(calls: CallLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of [...calls].sort((a, b) => a.operation.localeCompare(b.operation))) out[c.operation] = (out[c.operation] ?? 0) + 1;
  return out;
}

export function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
}
