// Where a playbook named on the command line is: a path as given, or a name in the package's own
// playbooks/ directory (so `mr run drain --var region=...` works from anywhere).
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../io/errors.js';

/**
 * The package's playbooks/ directory. This file compiles to <build>/src/playbooks/resolve.js, and
 * every build dir (dist/, .dist-*) sits in the package root beside playbooks/.
 */
export const bundledPlaybooksDir = fileURLToPath(new URL('../../../playbooks/', import.meta.url));

export async function resolvePlaybook(nameOrPath: string, cwd = process.cwd()): Promise<string> {
  const looksLikePath = /[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath);
  const candidates = looksLikePath
    ? [resolve(cwd, nameOrPath), ...(nameOrPath.includes('/') ? [] : [join(bundledPlaybooksDir, nameOrPath)])]
    : [join(bundledPlaybooksDir, `${nameOrPath}.yaml`), resolve(cwd, nameOrPath)];
  for (const file of candidates) {
    if (await exists(file)) return file;
  }
  throw new UsageError(
    nameOrPath.length > 80 ? `playbook "${nameOrPath}" not found` : `playbook "${nameOrPath}" not found (looked at ${candidates.join(', ')})`,
    `the bundled playbooks are in ${bundledPlaybooksDir}`,
  );
}

/** The bundled playbook file for a name such as "failover". */
export function bundledPlaybook(name: string): string {
  return join(bundledPlaybooksDir, `${name}.yaml`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
