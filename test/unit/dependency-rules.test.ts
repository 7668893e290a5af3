// The layering rules in .dependency-cruiser.cjs catch wrong imports: each case below is a tiny
// source tree, checked with the project's own config, with exactly one wrong import (or none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

interface Outcome {
  code: number;
  violations: string[];
}

/** Runs depcruise over a tree of files ({ 'src/steps/a.ts': '...' }) and returns "rule: from -> to" lines. */
function cruise(files: Record<string, string>): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'mr-deps-'));
  copyFileSync(join(repoRoot, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  copyFileSync(join(repoRoot, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const bin = join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  return new Promise((resolve) => {
    // The default reporter, as `npm run lint:deps` uses it: its exit code is the number of errors.
    execFile(process.execPath, [bin, 'src', '--config', '.dependency-cruiser.cjs', '--no-progress'], { cwd: dir }, (err, stdout) => {
      rmSync(dir, { recursive: true, force: true });
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      // "  error rule: from → to" (a circle continues on the next lines; node_modules is reached
      // through a symlink, so a package shows under its real path)
      const violations = [...stdout.matchAll(/error ([\w-]+): (\S+) →\s+(\S+)/g)].map(
        (m) => `${m[1]}: ${m[2]} -> ${m[3].replace(/^.*?node_modules\//, 'node_modules/')}`,
      );
      resolve({ code, violations });
    });
  });
}

// A correct tree through every layer: cli -> playbooks -> engine -> steps -> aws -> leaves -> util.
const layered: Record<string, string> = {
  'src/util/text.ts': 'export const t = 1;\n',
  'src/io/errors.ts': "import { t } from '../util/text.js';\nexport class UsageError extends Error {}\nexport const u = t;\n",
  'src/config/load.ts': "import { UsageError } from '../io/errors.js';\nexport const c = UsageError;\n",
  'src/audit/log.ts': "import { t } from '../util/text.js';\nexport const a = t;\n",
  'src/aws/sts.ts':
    "import type { STSClient } from '@aws-sdk/client-sts';\nimport { a } from '../audit/log.js';\nimport { c } from '../config/load.js';\nexport type S = STSClient;\nexport const w = [a, c];\n",
  'src/steps/wait.ts': "import { w } from '../aws/sts.js';\nexport const s = w;\n",
  'src/engine/run.ts': "import { s } from '../steps/wait.js';\nexport const e = s;\n",
  'src/inspect/gather.ts': "import { w } from '../aws/sts.js';\nexport const i = w;\n",
  'src/readiness/check.ts': "import { i } from '../inspect/gather.js';\nexport const r = i;\n",
  'src/playbooks/load.ts': "import { e } from '../engine/run.js';\nexport const p = e;\n",
  'src/sandbox/server.ts':
    "import { UsageError } from '../io/errors.js';\nimport { t } from '../util/text.js';\nimport type { STSClient } from '@aws-sdk/client-sts';\nexport type X = STSClient;\nexport const x = [UsageError, t];\n",
  'src/cli/main.ts':
    "import { p } from '../playbooks/load.js';\nimport { i } from '../inspect/gather.js';\nimport { x } from '../sandbox/server.js';\nimport { r } from '../readiness/check.js';\nexport const m = [p, i, x, r];\n",
};

test('a tree that keeps the layering passes (and the checker resolves every import in it)', async () => {
  const out = await cruise(layered);
  assert.deepEqual(out.violations, []);
  assert.equal(out.code, 0);
});

// One wrong import per file; each names the rule it must trip, as depcruise reports it.
const wrong: [string, Record<string, string>, string][] = [
  [
    'a step imports the engine (type only)',
    { 'src/steps/bad.ts': "import type { E } from '../engine/types.js';\nexport type B = E;\n", 'src/engine/types.ts': 'export type E = 1;\n' },
    'steps-not-up: src/steps/bad.ts -> src/engine/types.ts',
  ],
  [
    'readiness imports the engine',
    { 'src/readiness/bad.ts': "import { e } from '../engine/run.js';\nexport const b = e;\n" },
    'readiness-not-up: src/readiness/bad.ts -> src/engine/run.ts',
  ],
  [
    'the AWS layer imports a step',
    { 'src/aws/bad.ts': "import { s } from '../steps/wait.js';\nexport const b = s;\n" },
    'aws-not-up: src/aws/bad.ts -> src/steps/wait.ts',
  ],
  [
    'the engine imports inspect',
    { 'src/engine/bad.ts': "import { i } from '../inspect/gather.js';\nexport const b = i;\n" },
    'engine-not-up: src/engine/bad.ts -> src/inspect/gather.ts',
  ],
  [
    'inspect imports the engine',
    { 'src/inspect/bad.ts': "import { e } from '../engine/run.js';\nexport const b = e;\n" },
    'inspect-not-up: src/inspect/bad.ts -> src/engine/run.ts',
  ],
  [
    'playbooks import the CLI',
    { 'src/playbooks/bad.ts': "import { m } from '../cli/main.js';\nexport const b = m;\n" },
    'playbooks-not-up: src/playbooks/bad.ts -> src/cli/main.ts',
  ],
  [
    'a leaf imports the AWS layer',
    { 'src/io/bad.ts': "import { w } from '../aws/sts.js';\nexport const b = w;\n" },
    'leaves-import-leaves-only: src/io/bad.ts -> src/aws/sts.ts',
  ],
  [
    'one leaf imports another',
    { 'src/config/bad.ts': "import { a } from '../audit/log.js';\nexport const b = a;\n" },
    'leaves-not-sideways: src/config/bad.ts -> src/audit/log.ts',
  ],
  [
    'util imports a leaf',
    { 'src/util/bad.ts': "import { c } from '../config/load.js';\nexport const b = c;\n" },
    'util-imports-nothing: src/util/bad.ts -> src/config/load.ts',
  ],
  [
    'the sandbox imports a step',
    { 'src/sandbox/bad.ts': "import { s } from '../steps/wait.js';\nexport const b = s;\n" },
    'sandbox-separate: src/sandbox/bad.ts -> src/steps/wait.ts',
  ],
  [
    'the engine imports the sandbox',
    { 'src/engine/bad-sandbox.ts': "import { x } from '../sandbox/server.js';\nexport const b = x;\n" },
    'only-cli-imports-sandbox: src/engine/bad-sandbox.ts -> src/sandbox/server.ts',
  ],
  [
    'a step imports the SDK',
    { 'src/steps/bad-sdk.ts': "import { STSClient } from '@aws-sdk/client-sts';\nexport const b = STSClient;\n" },
    'sdk-only-in-aws: src/steps/bad-sdk.ts -> node_modules/@aws-sdk/client-sts/',
  ],
  [
    'two modules import each other',
    {
      'src/audit/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/audit/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    },
    'no-circular: src/audit/a.ts -> src/audit/b.ts',
  ],
  [
    'an import does not resolve',
    { 'src/cli/bad.ts': "import { z } from '../engine/missing.js';\nexport const b = z;\n" },
    'no-unresolvable: src/cli/bad.ts -> ../engine/missing.js',
  ],
];

test('each wrong import fails the check, naming its rule', async () => {
  // One run over all the wrong files together: depcruise takes seconds to start.
  const out = await cruise(Object.assign({}, layered, ...wrong.map(([, files]) => files)));
  assert.notEqual(out.code, 0, 'depcruise exits non-zero');
  for (const [name, files, expected] of wrong) {
    const from = expected.slice(expected.indexOf(': ') + 2, expected.indexOf(' -> '));
    const mine = out.violations.filter((v) => v.includes(`: ${from} -> `));
    assert.ok(
      mine.some((v) => v.startsWith(expected)),
      `${name}: expected "${expected}" in:\n${out.violations.join('\n')}`,
    );
    const rule = expected.slice(0, expected.indexOf(':'));
    assert.ok(
      mine.every((v) => v.startsWith(`${rule}:`)),
      `${name}: only ${rule} for ${from}, got:\n${mine.join('\n')}`,
    );
    assert.ok(from in files);
  }
  // Nothing else is reported: every violation comes from one of the wrong files (the circle reports both ends).
  const fromWrong = new Set(wrong.flatMap(([, files]) => Object.keys(files)));
  assert.deepEqual(
    out.violations.filter((v) => !fromWrong.has(v.slice(v.indexOf(': ') + 2, v.indexOf(' -> ')))),
    [],
  );
});
