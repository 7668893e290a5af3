// `--help` is answered from help.json, generated at build time. It must print exactly what commander
// prints for every command, so the cache can never drift from the definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distRoot, mrBin } from '../helpers/paths.js';
import { mrEnv } from '../helpers/run-mr.js';

const cacheFile = join(distRoot, 'src/cli/help.json');
// A private development build has no cache until the build step runs; run it (it is idempotent).
execFileSync(process.execPath, [join(distRoot, 'src/cli/help-build.js')]);
const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string>;

const help = (path: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [mrBin, ...(path ? path.split(' ') : []), '--help'], { env: mrEnv(env), encoding: 'utf8' });

test('the cache covers mr, every command and every subcommand', () => {
  for (const key of ['', 'status', 'failover', 'traffic', 'traffic shift', 'aurora switchover', 'audit verify', 'sandbox serve']) {
    assert.ok(key in cache, `no cached help for "${key}"`);
  }
});

test('every cached help is exactly what commander prints, and the exit code is the same', () => {
  for (const [key, text] of Object.entries(cache)) {
    const live = help(key, { MR_NO_HELP_CACHE: '1' });
    const cached = help(key);
    assert.equal(cached.stdout, live.stdout, `help for "${key}" differs from commander's`);
    assert.equal(cached.stdout, text);
    assert.equal(cached.status, live.status);
    assert.equal(cached.stderr, '');
  }
});
