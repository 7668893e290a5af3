// A terminal that reports 0 columns (script(1) without stty cols) once made the spinner redraw
// forever. The run must finish, with a bounded amount of output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mrBin } from '../helpers/paths.js';
import { mrEnv } from '../helpers/run-mr.js';

test('a spinner on a 0-column terminal does not spin forever', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mr-tty0-'));
  try {
    const cmd = `stty cols 0; node ${mrBin} --sandbox --state-dir ${dir} ecs scale us-west-2 --to 3 --yes`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      env: mrEnv({ MR_SANDBOX_TIME_SCALE: '200' }),
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(r.signal, null, 'mr was killed by the safety timeout: the spinner never stopped');
    assert.equal(r.status, 0);
    assert.ok(r.stdout.length < 200_000, `output should be bounded, was ${r.stdout.length} bytes`);
    assert.match(r.stdout, /succeeded/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
