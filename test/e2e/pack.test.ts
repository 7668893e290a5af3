// The published package works as `npx mr-failover` would run it: pack, install the tarball into an
// empty folder without the network (dependencies come from the npm cache the repo's own install
// filled), then run `mr --version`, `mr --sandbox status`, `mr --sandbox init` and `mr --sandbox check` from there.
// In CI the build is dist/ and the repo itself is packed. In a private build (.dist-*/) the same
// package is staged from that build: package.json and bin/ from the repo, the build as dist/src, and
// the bundle made from it there (scripts/bundle.mjs), as `npm run build` makes it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { distRoot, repoRoot } from '../helpers/paths.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
let tmp: string;

/** npm's environment without what `npm test` sets for its own scripts. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('npm_') || k === 'npm_config_cache') env[k] = v;
  for (const k of ['AWS_PROFILE', 'AWS_REGION', 'AWS_ENDPOINT_URL', 'MR_CONFIG', 'NO_COLOR', 'FORCE_COLOR', 'CI', 'XDG_STATE_HOME']) delete env[k];
  return env;
}

function run(cmd: string, args: string[], cwd: string) {
  const res = spawnSync(cmd, args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: 180_000 });
  return { code: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? String(res.error ?? '') };
}

/** The directory to pack: the repo when dist/ is the build, else a staged copy of this build. */
function packageDir(): string {
  if (basename(distRoot) === 'dist') return repoRoot;
  const stage = join(tmp, 'stage');
  mkdirSync(join(stage, 'dist'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(stage, 'package.json'));
  if (existsSync(join(repoRoot, 'README.md'))) cpSync(join(repoRoot, 'README.md'), join(stage, 'README.md'));
  cpSync(join(repoRoot, 'bin'), join(stage, 'bin'), { recursive: true });
  cpSync(join(repoRoot, 'playbooks'), join(stage, 'playbooks'), { recursive: true });
  cpSync(join(distRoot, 'src'), join(stage, 'dist', 'src'), { recursive: true });
  const bundle = spawnSync(process.execPath, [join(repoRoot, 'scripts/bundle.mjs'), join(stage, 'dist')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(bundle.status, 0, bundle.stderr);
  return stage;
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mr-pack-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('the packed package', () => {
  test('installs from its tarball without the network and runs mr --version, mr --sandbox status, init and check', () => {
    const pack = run('npm', ['pack', '--pack-destination', tmp, '--json'], packageDir());
    assert.equal(pack.code, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info.files.map((f) => f.path);
    assert.ok(files.includes('bin/mr.js'));
    // bin/mr.js runs the bundle; of dist/src only the files read next to the code ship (the help cache, the worlds).
    assert.ok(files.includes('dist/bundle/main.js'));
    assert.ok(files.includes('dist/src/cli/help.json'), 'the help cache ships');
    assert.deepEqual(
      files.filter((f) => f.startsWith('dist/src/') && f.endsWith('.js')),
      [],
      'no unbundled modules',
    );
    assert.ok(!files.includes('dist/bundle.meta.json'), 'the build metafile stays out');
    assert.ok(files.includes('dist/src/sandbox/worlds/demo/topology.yaml'), 'the demo world ships for --sandbox');
    assert.ok(!files.some((f) => f.startsWith('dist/test/') || f.startsWith('src/')), 'no tests or sources in the package');

    const app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'mr-pack-check', version: '1.0.0', private: true }));
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, info.filename)], app);
    assert.equal(install.code, 0, install.stderr);
    assert.ok(readdirSync(join(app, 'node_modules', '.bin')).includes('mr'));

    const v = run('npx', ['--no', '--', 'mr', '--version'], app);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout, `${version}\n`);

    const status = run('npx', ['--no', '--', 'mr', '--sandbox', '--state-dir', join(app, 'state'), 'status', '--json'], app);
    assert.equal(status.code, 0, status.stderr);
    const doc = JSON.parse(status.stdout);
    assert.equal(doc.topology, 'demo');
    assert.equal(doc.healthy, true);
    assert.deepEqual(doc.regions, ['us-east-1', 'eu-west-1', 'us-west-2']);

    // Day one from the package (issue 15): init writes a topology that validates, and check is ready.
    const state = join(app, 'state');
    const init = run(
      'npx',
      ['--no', '--', 'mr', '--sandbox', '--state-dir', state, 'init', '--regions', 'us-east-1,eu-west-1,us-west-2', '--out', 't.yaml'],
      app,
    );
    assert.equal(init.code, 0, init.stderr);
    const valid = run('npx', ['--no', '--', 'mr', 'config', 'validate', 't.yaml'], app);
    assert.equal(valid.code, 0, valid.stderr + valid.stdout);
    assert.match(readFileSync(join(app, 't.yaml'), 'utf8'), /globalClusterId: demo-global/);
    const check = run('npx', ['--no', '--', 'mr', '--sandbox', '--state-dir', state, '--config', 't.yaml', 'check', '--json'], app);
    assert.equal(check.code, 0, check.stderr + check.stdout);
    const ready = JSON.parse(check.stdout) as { ready: boolean; targets: { region: string; ready: boolean }[] };
    assert.equal(ready.ready, true);
    assert.deepEqual(
      ready.targets.map((t) => [t.region, t.ready]),
      [
        ['us-east-1', true],
        ['eu-west-1', true],
        ['us-west-2', true],
      ],
    );

    // The active-passive world (failover records, an RDS read replica, scalable targets) from the package too.
    const ap = ['--no', '--', 'mr', '--sandbox', '--world', 'active-passive', '--state-dir', state];
    const apInit = run('npx', [...ap, 'init', '--regions', 'us-east-1,eu-west-1', '--out', 'ap.yaml'], app);
    assert.equal(apInit.code, 0, apInit.stderr);
    assert.match(
      readFileSync(join(app, 'ap.yaml'), 'utf8'),
      /kind: failover[\s\S]*rds:\n {2}# [^\n]*\n {2}instances: \{ us-east-1: ap-db-use1, eu-west-1: ap-db-euw1 \}/,
    );
    const apCheck = run('npx', [...ap, '--config', 'ap.yaml', 'check'], app);
    assert.equal(apCheck.code, 0, apCheck.stderr + apCheck.stdout);
    assert.match(apCheck.stdout, /ready: a failover to us-east-1, eu-west-1 has everything it needs/);
  });
});
