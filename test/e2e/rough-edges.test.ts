// Issue #11 item 12, the small rough edges: each a one-line message and a documented exit code.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTopology } from '../helpers/paths.js';
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

  test('a value echoed in an error is cut to 80 characters, whoever wrote the message (mr or commander)', async () => {
    const blob = 'x'.repeat(300);
    for (const args of [
      ['failover', blob, '--dry-run'],
      ['traffic', 'shift', '--to', 'eu-west-1', '--steps', blob],
      ['run', blob],
      ['run', 'failover', '--var', `${blob}=1`],
      ['status', `--${blob}`],
      [blob],
    ]) {
      const r = await runMr(['--sandbox', '--state-dir', join(tmp, 'echo'), ...args]);
      assert.equal(r.code, 2, args.join(' ').slice(0, 60));
      assert.match(r.stderr, /^error: .*x{75,77}\.\.\./, r.stderr.slice(0, 200));
      assert.doesNotMatch(r.stderr, /x{81}/, 'no echo of the value longer than 80 characters');
    }
  });

  test('a region that is not an AWS region gets "did you mean" (from the SDK partition table); a topology typo is exit 2', async () => {
    const demo = readFileSync(demoTopology, 'utf8');
    const typo = join(tmp, 'typo.yaml');
    writeFileSync(typo, demo.replaceAll('us-west-2', 'us-wset-2'));
    const v = await runMr(['config', 'validate', typo]);
    assert.equal(v.code, 2);
    assert.equal(v.stderr, `error: ${typo}: regions: "us-wset-2" is not an AWS region; did you mean us-west-2?\n`);
    const s = await runMr(['--config', typo, 'status']);
    assert.equal(s.code, 2, 'every command refuses the typo before calling AWS');
    const arg = await runMr(['--sandbox', '--state-dir', join(tmp, 'dym'), 'failover', 'eu-wset-1', '--dry-run']);
    assert.equal(arg.code, 2);
    assert.match(arg.stderr, /^error: unknown region "eu-wset-1": topology demo has us-east-1, eu-west-1, us-west-2; did you mean eu-west-1\?\n/);
  });

  test('on a terminal the plan summary says about how long the last such run took; -v lists the passed checks', async () => {
    const stateDir = join(tmp, 'estimate');
    const env = { MR_SANDBOX_TIME_SCALE: '600', NO_COLOR: '1' };
    const sandbox = ['--sandbox', '--state-dir', stateDir];
    const first = await runMr([...sandbox, 'failover', 'eu-west-1', '--dry-run'], { tty: true, columns: 160, env });
    assert.equal(first.code, 0, first.stdout);
    assert.doesNotMatch(first.stdout, /as last time/, 'no run yet: no estimate');
    assert.match(first.stdout, /checks? passed \(-v lists them\)/);
    const run = await runMr([...sandbox, 'failover', 'eu-west-1', '--yes', '--var', 'bake=0s'], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await runMr([...sandbox, 'sandbox', 'reset'], { env })).code, 0);
    const again = await runMr([...sandbox, '-v', 'failover', 'eu-west-1', '--dry-run'], { tty: true, columns: 160, env });
    assert.equal(again.code, 0, again.stdout);
    // 10 changes: the two desired counts' scalable targets have their MinCapacity raised too.
    assert.match(again.stdout, /failover us-east-1 -> eu-west-1: 10 changes \(6 disruptive, 0 data loss\) in 3 stages, about \d+ (s|min) as last time/);
    assert.match(again.stdout, /✓ eu-west-1 lag under bound: /, '-v lists a passed check');
    assert.doesNotMatch(again.stdout, /-v lists them/);
  });
});
