import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTopology, repoRoot } from '../helpers/paths.js';
import { runMr } from '../helpers/run-mr.js';
import { runMrRecordingModules } from '../helpers/loaded-modules.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
let tmp: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mr-cli-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Run mr with the recording hook; returns the exit code and the @aws-sdk packages whose code it loaded (test/helpers/loaded-modules.ts). */
function withSdkLog(name: string, args: string[]): { code: number | null; stdout: string; sdk: string[] } {
  const r = runMrRecordingModules(tmp, name, args);
  return { code: r.code, stdout: r.stdout, sdk: r.packages.filter((p) => p.startsWith('@aws-sdk/')) };
}

describe('the mr shell', () => {
  test('--version prints the package version', async () => {
    const res = await runMr(['--version']);
    assert.equal(res.code, 0);
    assert.equal(res.stdout, `${version}\n`);
  });

  test('--help lists the global options and the commands', async () => {
    const res = await runMr(['--help']);
    assert.equal(res.code, 0);
    for (const word of [
      '--config <file>',
      '--profile',
      '--endpoint-url',
      '--sandbox',
      '--json',
      '--no-color',
      '--debug',
      '--state-dir',
      'status',
      'health',
      'config',
      'sandbox',
      'Exit codes:',
    ]) {
      assert.ok(res.stdout.includes(word), `help mentions ${word}`);
    }
    const sub = await runMr(['status', '--help']);
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /--watch \[seconds\]/);
  });

  test('--help and --version load no @aws-sdk module; a command that reads AWS does (the hook works)', () => {
    for (const args of [['--help'], ['--version'], ['status', '--help']]) {
      const r = withSdkLog(args.join(''), args);
      assert.equal(r.code, 0);
      assert.deepEqual(r.sdk, [], `mr ${args.join(' ')} loaded ${r.sdk.join(', ')}`);
    }
    // Control: the same hook sees the SDK when a command needs it (nothing listens on port 9: reads fail, exit 1).
    const status = withSdkLog('status', ['--endpoint-url', 'http://127.0.0.1:9', '--config', demoTopology, 'status', '--timeout', '2s']);
    assert.equal(status.code, 1);
    assert.ok(status.sdk.includes('@aws-sdk/client-ecs'), `loaded: ${status.sdk.join(', ')}`);
  });

  test('usage errors exit 2: unknown option, unknown command, a group without its command, a bad flag value', async () => {
    for (const args of [
      ['status', '--bogus'],
      ['frobnicate'],
      ['config'],
      ['status', '--config', demoTopology, '--watch', '-1'],
      ['--config', demoTopology, 'status', '--timeout', 'soon'],
    ]) {
      const res = await runMr(args);
      assert.equal(res.code, 2, `mr ${args.join(' ')}: ${res.stderr}`);
      assert.doesNotMatch(res.stderr, /\n\s+at /);
    }
    const bad = await runMr(['--config', demoTopology, 'status', '--timeout', 'soon']);
    assert.equal(bad.stderr, 'error: --timeout: expected a duration such as 500ms, 5s or 2m, got "soon"\n');
  });
});
