// From what the operator typed to the engine's RunSpec: find, load, check parameters, substitute.
import type { Topology } from '../config/schema.js';
import type { RunSpec } from '../engine/types.js';
import { loadPlaybook, type LoadedPlaybook } from './load.js';
import { resolvePlaybook } from './resolve.js';
import { skippableSteps, toRunSpec } from './spec.js';

export interface PreparedPlaybook {
  file: string;
  loaded: LoadedPlaybook;
  spec: RunSpec;
  /** Steps to leave out when Route 53's control plane does not answer (`skipWhen`). */
  skippable: string[];
}

export async function preparePlaybook(
  nameOrPath: string,
  opts: { vars: Record<string, string>; topology: Topology; command: string },
): Promise<PreparedPlaybook> {
  const file = await resolvePlaybook(nameOrPath);
  const loaded = await loadPlaybook(file);
  const spec = toRunSpec(loaded, { command: opts.command, vars: opts.vars, regions: opts.topology.regions });
  return { file, loaded, spec, skippable: skippableSteps(loaded) };
}
