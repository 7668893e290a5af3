// Step integration harness: an in-process sandbox, real adapters over HTTP, and a StepContext that
// records what the step did (mutations, as the AWS layer's choke point wrote them; waits, sleeps, progress) instead of auditing it.
import { createAws } from '../../src/aws/factory.js';
import type { Aws } from '../../src/aws/types.js';
import { loadTopologyFile } from '../../src/config/load.js';
import type { Topology } from '../../src/config/schema.js';
import type { MutationCall, RunBaseContext, StepContext } from '../../src/engine/types.js';
import { startSandbox, type SandboxHandle, type StartSandboxOptions } from '../../src/sandbox/server.js';
import { demoTopology } from '../helpers/paths.js';

export interface Harness {
  sandbox: SandboxHandle;
  aws: Aws;
  topology: Topology;
  plan: RunBaseContext;
  stop(): Promise<void>;
}

export async function harness(opts: StartSandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({ timeScale: 600, ...opts });
  const aws = createAws({
    endpointUrl: sandbox.endpoint,
    credentials: { accessKeyId: 'AKIAMRSTEPSTEST00000', secretAccessKey: 'sandbox' },
    requestTimeoutMs: 2000,
    maxAttempts: 1,
  });
  const topology = await loadTopologyFile(demoTopology, 'demo topology.yaml');
  return {
    sandbox,
    aws,
    topology,
    plan: { topology, aws, flags: { yes: true, allowDataLoss: true, dryRun: false } },
    stop: async () => {
      aws.destroy();
      await sandbox.stop();
    },
  };
}

export interface Recorder {
  ctx: StepContext;
  mutations: MutationCall[];
  waits: { what: string; intervalMs?: number }[];
  sleeps: number[];
  reports: string[];
  approvals: string[];
  /** What verify warned of (StepContext.warn). */
  warnings: string[];
  notes: string[];
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A StepContext for one step. waitFor records the interval the step asked for but polls every 20 ms
 * so tests stay fast; sleep records the duration and runs `onSleep` (e.g. to inject a fault mid-bake).
 * With `realTime`, sleeps and poll intervals are honoured as asked (for call-rate tests).
 */
export function recorder(base: RunBaseContext, onSleep?: (ms: number) => Promise<void> | void, realTime = false): Recorder {
  const r: Omit<Recorder, 'ctx'> = { mutations: [], waits: [], sleeps: [], reports: [], approvals: [], warnings: [], notes: [] };
  const ctx: StepContext = {
    ...base,
    runId: 'steps-test',
    aws: base.aws,
    // The real adapters behind the real choke point; the sink keeps the intents instead of auditing them.
    mutating: base.aws.mutating({ intent: async (call) => void r.mutations.push(call), result: async () => {} }),
    waitFor: async (what, probe, opts) => {
      r.waits.push({ what, intervalMs: opts?.intervalMs });
      // A guard against a hung test, not an assertion: a convergence at 600x takes well under a second.
      const guard = Date.now() + 15_000;
      for (;;) {
        const p = await probe();
        if (p.done) return p.value as never;
        if (Date.now() > guard) throw new Error(`still waiting for ${what}: ${p.detail}`);
        await pause(realTime ? (opts?.intervalMs ?? 20) : 20);
      }
    },
    report: (text) => void r.reports.push(text),
    warn: async (message) => void r.warnings.push(message),
    note: async (message) => void r.notes.push(message),
    sleep: async (ms) => {
      r.sleeps.push(ms);
      if (realTime) await pause(ms);
      await onSleep?.(ms);
    },
    signal: new AbortController().signal,
    approve: async (message) => void r.approvals.push(message),
  };
  return { ctx, ...r };
}

/** Mutating calls the sandbox saw, as "service region operation". */
export function mutatingCalls(h: Harness): string[] {
  return h.sandbox.control
    .calls()
    .filter((c) => c.mutating)
    .map((c) => `${c.service} ${c.region} ${c.operation}`);
}
