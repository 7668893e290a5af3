// A reader that stops early (`mr --help | head -1`) closes the pipe: mr must not crash with EPIPE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mrBin } from '../helpers/paths.js';
import { mrEnv } from '../helpers/run-mr.js';

for (const args of ['--help', 'status --help', 'traffic --help']) {
  test(`mr ${args} | head -1 exits 0 with nothing on stderr`, () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${mrBin} ${args} | head -1`], { env: mrEnv(), encoding: 'utf8' });
    assert.match(r.stdout, /^Usage: mr/);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });
}
