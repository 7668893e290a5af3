// Where the compiled project is. Tests may be compiled into dist/ (CI) or a private .dist-*/ (a
// developer's parallel build); e2e tests spawn bin/mr.js in the first case, the compiled main otherwise.
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export const distRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = resolve(distRoot, '..');
export const mrMain = join(distRoot, 'src/cli/main.js');
export const mrBin = process.env.MR_BIN ?? (basename(distRoot) === 'dist' ? join(repoRoot, 'bin/mr.js') : mrMain);
export const demoWorld = join(distRoot, 'src/sandbox/worlds/demo/world.yaml');
export const demoTopology = join(distRoot, 'src/sandbox/worlds/demo/topology.yaml');
export const playbooksDir = join(repoRoot, 'playbooks');
