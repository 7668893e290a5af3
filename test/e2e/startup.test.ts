// The bundled build (issue 14, item 3; scripts/bundle.mjs): bin/mr.js runs dist/bundle/main.js, the
// SDK inside it is the ESM build, and `--version` and `--help` still load no SDK code (nor commander):
// command modules and service clients are chunks loaded on first use. Which chunk holds which package
// comes from the build's metafile (test/helpers/loaded-modules.ts).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { demoTopology, distRoot, repoRoot } from '../helpers/paths.js';
import { isBundleFile, runMrRecordingModules, shortUrl } from '../helpers/loaded-modules.js';

const bundled = basename(distRoot) === 'dist' && !process.env.MR_BIN;
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const isSdk = (pkg: string) => pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/') || pkg.startsWith('@aws/');
let tmp: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mr-startup-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('the bundled build', { skip: bundled ? false : 'a private build or MR_BIN runs the unbundled main' }, () => {
  test('npm run build wrote the bundle and its metafile; the SDK in it is the ESM build (dist-es), not CommonJS', () => {
    assert.ok(existsSync(join(distRoot, 'bundle/main.js')), 'dist/bundle/main.js exists');
    const meta = JSON.parse(readFileSync(join(distRoot, 'bundle.meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    const sdk = Object.keys(meta.inputs).filter((p) => /node_modules\/@(aws-sdk|smithy)\//.test(p));
    assert.ok(sdk.length > 100, `SDK sources in the bundle: ${sdk.length}`);
    assert.deepEqual(
      sdk.filter((p) => p.includes('/dist-cjs/')),
      [],
    );
    assert.ok(sdk.some((p) => p.includes('@aws-sdk/client-route-53/dist-es/')));
    // zod's messages in English only (scripts/bundle.mjs): the other locales are not bundled.
    const locales = Object.keys(meta.inputs).filter((p) => /node_modules\/zod\/.*\/locales\/[^/]+\.js$/.test(p));
    assert.deepEqual([...new Set(locales.map((p) => p.replace(/.*\/locales\//, '')))], ['en.js']);
  });

  test('bin/mr.js runs the bundle: --version loads dist/bundle/main.js and nothing from dist/src or node_modules', () => {
    const r = runMrRecordingModules(tmp, 'version', ['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${version}\n`);
    const files = r.urls.filter((u) => u.startsWith('file:')).map(shortUrl);
    assert.ok(files.includes('bundle/main.js'), files.join(', '));
    assert.deepEqual(
      files.filter((f) => f.startsWith('src/') || f.includes('node_modules/')),
      [],
    );
    assert.deepEqual(r.packages, [], `--version loaded code of ${r.packages.join(', ')}`);
  });

  test('a bad topology is still reported in zod English messages from the bundle (exit 2, one line)', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nname: x\nregions: [us-east-1, eu-west-1]\ntimeouts: { read: 5 }\n');
    const r = runMrRecordingModules(tmp, 'bad', ['config', 'validate', bad]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /timeouts\.read/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test('--help and status --help answer from the help cache next to dist/src: no SDK chunk, no commander', () => {
    for (const args of [['--help'], ['status', '--help'], ['traffic', 'shift', '--help']]) {
      const r = runMrRecordingModules(tmp, args.join('-'), args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Usage: mr /);
      assert.deepEqual(r.packages, [], `mr ${args.join(' ')} loaded code of ${r.packages.join(', ')}`);
      assert.ok(
        r.urls.every((u) => !u.startsWith('file:') || isBundleFile(u) || u.endsWith('/bin/mr.js')),
        r.urls.map(shortUrl).join(', '),
      );
    }
  });

  test('a command that reads AWS loads its service clients as chunks on first use (control for the tests above)', () => {
    // Nothing listens on port 9: the reads fail and status exits 1, after the clients were loaded.
    const status = runMrRecordingModules(tmp, 'status', ['--endpoint-url', 'http://127.0.0.1:9', '--config', demoTopology, 'status', '--timeout', '2s']);
    assert.equal(status.code, 1, status.stderr);
    for (const pkg of ['@aws-sdk/client-ecs', '@aws-sdk/client-rds', '@aws-sdk/client-route-53', 'commander']) {
      assert.ok(status.packages.includes(pkg), `status loaded ${status.packages.join(', ')}`);
    }
    // Only the services status reads: no IAM, ECR or Secrets Manager client.
    for (const pkg of ['@aws-sdk/client-iam', '@aws-sdk/client-ecr', '@aws-sdk/client-secrets-manager']) {
      assert.ok(!status.packages.includes(pkg), `status loaded ${pkg}`);
    }
    const version = runMrRecordingModules(tmp, 'version2', ['--version']);
    const chunks = (r: { urls: string[] }) => r.urls.filter(isBundleFile).length;
    assert.ok(chunks(status) > chunks(version) + 3, `status loaded ${chunks(status)} bundle files, --version ${chunks(version)}`);
    assert.ok(status.packages.some(isSdk));
  });
});
