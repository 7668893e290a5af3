// The worlds that ship with mr (src/sandbox/worlds/<name>/world.yaml, each with the topology.yaml that
// describes it to mr). A folder is a world: adding one needs no code. Kept free of the sandbox's
// heavy modules so the CLI can resolve a name without loading them.
// Models no AWS behaviour itself: the sandbox's own plumbing (AWS behaviours are cited in src/sandbox/services/).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../io/errors.js';

const WORLDS_DIR = fileURLToPath(new URL('./worlds/', import.meta.url));

export const DEFAULT_WORLD = 'demo';

export interface BundledWorld {
  name: string;
  world: string;
  /** Absent while a world is being built; commands that need it say so. */
  topology: string | undefined;
}

export function bundledWorldNames(): string[] {
  return readdirSync(WORLDS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(WORLDS_DIR, d.name, 'world.yaml')))
    .map((d) => d.name)
    .sort();
}

export function isBundledWorldName(value: string): boolean {
  return /^[a-z][a-z0-9-]*$/.test(value) && bundledWorldNames().includes(value);
}

export function bundledWorld(name: string): BundledWorld {
  const names = bundledWorldNames();
  if (!names.includes(name))
    throw new UsageError(
      `Unknown sandbox world ${JSON.stringify(name)}: the bundled worlds are ${names.join(', ')}`,
      'Or pass a world file path to `mr sandbox serve --world`.',
    );
  const topology = join(WORLDS_DIR, name, 'topology.yaml');
  return { name, world: join(WORLDS_DIR, name, 'world.yaml'), topology: existsSync(topology) ? topology : undefined };
}

/** The state file `mr --sandbox --world <name>` keeps; each world keeps its own, the demo's where it always was. */
export function sandboxStatePath(stateDir: string, world: string = DEFAULT_WORLD): string {
  return world === DEFAULT_WORLD ? join(stateDir, 'sandbox', 'state.json') : join(stateDir, 'sandbox', `${world}.state.json`);
}
