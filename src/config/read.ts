// Reading a topology file's text: apart from load.ts so that reading one through the topology cache
// (cached.ts) loads neither the YAML parser nor zod.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../io/errors.js';

export const CONFIG_HINT = 'pass --config <file> or set MR_CONFIG; `mr --sandbox status` runs against the bundled demo';

/** The text of the file at `path` (relative to cwd); unreadable is bad input. `label` is how the file is named in messages. */
export async function readTopologyText(path: string, label = path): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UsageError(`cannot read topology file ${label} (${resolve(path)}): ${why}`, CONFIG_HINT);
  }
}
