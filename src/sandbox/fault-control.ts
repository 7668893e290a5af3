// One way to reach the faults of a sandbox, wherever it runs: its state file (what `mr --sandbox`
// uses; no server is started) or a running `mr sandbox serve` over its /_sandbox/ control endpoint.
// Models no AWS behaviour itself: the sandbox's own plumbing (AWS behaviours are cited in src/sandbox/services/).
import { FailedError, UsageError } from '../io/errors.js';
import type { FaultEvent, FaultItem, FaultSpec } from './fault-list.js';

export interface FaultControl {
  /** Where the faults live, for messages: the state file or the endpoint. */
  where: string;
  list(): Promise<FaultItem[]>;
  add(spec: FaultSpec): Promise<FaultItem[]>;
  /** null clears every fault. */
  clear(id: string | null): Promise<FaultItem[]>;
  log(): Promise<FaultEvent[]>;
}

export async function stateFileFaults(statePath: string, world?: string): Promise<FaultControl> {
  const { mkdirSync } = await import('node:fs');
  const { dirname } = await import('node:path');
  mkdirSync(dirname(statePath), { recursive: true });
  const { openRuntime } = await import('./server.js');
  const { makeControl } = await import('./control.js');
  // Opening creates the file from its world when missing, as `mr --sandbox` would.
  const control = makeControl(openRuntime({ statePath, world }), []);
  return {
    where: statePath,
    list: async () => control.listFaults(),
    add: async (spec) => control.addFault(spec),
    clear: async (id) => control.clearFault(id),
    log: async () => control.faultLog(),
  };
}

export async function endpointFaults(endpoint: string): Promise<FaultControl> {
  const { SandboxControlClient, SandboxControlError } = await import('./control-client.js');
  const client = new SandboxControlClient(endpoint);
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      // The endpoint answers 400 for bad input (an unknown region or fault id): the operator's to fix.
      if (e instanceof SandboxControlError && e.status === 400) throw new UsageError(e.message.replace(/^sandbox control \S+ \S+: /, ''));
      if (e instanceof SandboxControlError) throw new FailedError(e.message);
      throw new FailedError(
        `cannot reach the sandbox control endpoint at ${endpoint}: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`,
      );
    }
  };
  return {
    where: endpoint,
    list: () => wrap(() => client.listFaults()),
    add: (spec) => wrap(() => client.addFault(spec)),
    clear: (id) => wrap(() => client.clearFault(id)),
    log: () => wrap(() => client.faultLog()),
  };
}

/** The fault history in a state file, without opening (or creating) it; undefined when there is no file. */
export async function readFaultLog(statePath: string): Promise<FaultEvent[] | undefined> {
  const { StateFile } = await import('./state-file.js');
  const file = new StateFile(statePath);
  if (!file.exists()) return undefined;
  return file.read().faults.log ?? [];
}
