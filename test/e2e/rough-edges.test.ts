// Issue #11 item 12, the small rough edges: each a one-line message and a documented exit code.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMr } from '../helpers/run-mr.js';

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mr-rough-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('rough edges', () => {
  test('an unwritable state dir under --sandbox is one line (plus its hint), exit 2, for a read and for a failover', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    for (const args of [['status'], ['failover', 'eu-west-1', '--yes']]) {
      const r = await runMr(['--sandbox', '--state-dir', join(file, 'state'), ...args]);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trimEnd().split('\n');
      assert.match(lines[0]!, new RegExp(`^error: The state dir ${join(file, 'state')} is not writable \\(a part of it is a file: ENOTDIR`));
      assert.match(lines[1]!, /--state-dir/);
      assert.equal(lines.length, 2, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});
