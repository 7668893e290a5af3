import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTopology } from '../helpers/paths.js';
import { runMr } from '../helpers/run-mr.js';

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mr-config-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('mr config', () => {
  test('validate: a good file exits 0; --config, MR_CONFIG and the argument all name the file', async () => {
    const ok = await runMr(['config', 'validate', demoTopology]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, `${demoTopology}: valid topology "demo" (us-east-1, eu-west-1, us-west-2)\n`);
    const viaEnv = await runMr(['config', 'validate', '--json'], { env: { MR_CONFIG: demoTopology } });
    assert.deepEqual(JSON.parse(viaEnv.stdout), {
      file: demoTopology,
      valid: true,
      problems: [],
      topology: { name: 'demo', regions: ['us-east-1', 'eu-west-1', 'us-west-2'] },
    });
  });

  test('validate: a bad file exits 2 with one line per problem, in file order', async () => {
    const text = readFileSync(demoTopology, 'utf8').replace('read: 3s', 'read: soon').replace('  maxLagMs: 1000', '  maxLagMs: -5');
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, text);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const res = await runMr(['--config', file, 'config', 'validate']);
    assert.equal(res.code, 2);
    assert.equal(res.stdout, '');
    assert.equal(
      res.stderr,
      `error: ${file}:${lineOf('read: soon')}: timeouts.read: expected a duration such as 500ms, 5s or 2m, got "soon"\n` +
        `error: ${file}:${lineOf('maxLagMs: -5')}: aurora.maxLagMs: expected a number > 0, got -5\n`,
    );
    const json = await runMr(['config', 'validate', file, '--json']);
    assert.equal(json.code, 2);
    assert.equal(JSON.parse(json.stdout).problems.length, 2);
  });

  test('schema: a JSON Schema an editor can use, on stdout', async () => {
    const res = await runMr(['config', 'schema']);
    assert.equal(res.code, 0, res.stderr);
    const schema = JSON.parse(res.stdout);
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual(Object.keys(schema.properties), [
      'version',
      'name',
      'regions',
      'timeouts',
      'requireApproval',
      'cutLagMarginMs',
      'route53',
      'aurora',
      'rds',
      'elasticache',
      'ecs',
    ]);
    assert.equal(schema.properties.aurora.properties.maxLagMs.default, 1000);
    const playbook = await runMr(['config', 'schema', '--playbook']);
    assert.equal(playbook.code, 0, playbook.stderr);
    const pb = JSON.parse(playbook.stdout);
    assert.equal(pb.type, 'object');
    assert.ok(pb.properties.stages, 'a playbook has stages');
    assert.notDeepEqual(Object.keys(pb.properties), Object.keys(schema.properties));
  });
});
