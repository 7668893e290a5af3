import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTopology } from '../helpers/paths.js';
import { loadTopologyFile, parseTopology, topologyProblems } from '../../src/config/load.js';
import { topologyJsonSchema } from '../../src/config/json-schema.js';
import { isMrError, ExitCode } from '../../src/io/errors.js';

const demo = readFileSync(demoTopology, 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isMrError(e), 'a UsageError');
    assert.equal(e.exitCode, ExitCode.Usage);
    return e.message;
  }
  assert.fail('expected a UsageError');
}

describe('topology loading', () => {
  test('the demo topology is valid and gets its defaults', () => {
    const t = parseTopology(demo, 'demo.yaml');
    assert.equal(t.name, 'demo');
    assert.deepEqual(t.regions, ['us-east-1', 'eu-west-1', 'us-west-2']);
    assert.equal(t.timeouts.read, '3s');
    assert.equal(t.aurora?.maxLagMs, 1000);
    assert.equal(t.route53?.records[0].name, 'api.demo.example.com.');
  });

  test('a region missing from a per-region map: one line with file, line, path and what is expected', () => {
    const text = demo.replace(
      'clusters: { us-east-1: demo-use1, eu-west-1: demo-euw1, us-west-2: demo-usw2 }',
      'clusters: { us-east-1: demo-use1, eu-west-1: demo-euw1 }',
    );
    const msg = usageMessage(() => parseTopology(text, 'mr.config.yaml'));
    assert.equal(msg, `mr.config.yaml:${lineOf(text, 'clusters: {')}: aurora.clusters: missing an entry for region "us-west-2"`);
  });

  test('an unknown key names its line and the keys allowed there', () => {
    const text = demo.replace('  maxLagMs: 1000', '  maxLagMs: 1000\n  maxLag: 5');
    const msg = usageMessage(() => parseTopology(text, 'mr.config.yaml'));
    assert.equal(msg, `mr.config.yaml:${lineOf(text, 'maxLag: 5')}: aurora.maxLag: unknown key; expected one of globalClusterId, clusters, maxLagMs`);
  });

  test('wrong types and formats say what was expected and what was found', () => {
    const text = demo
      .replace('read: 3s', 'read: 3 seconds')
      .replace('name: demo\n', 'name: Demo_1\n')
      .replace(
        '{ name: api, capacity: 6 }, { name: worker, capacity: 4 }]\n  eu-west-1',
        '{ name: api, capacity: lots }, { name: worker, capacity: 4 }]\n  eu-west-1',
      );
    const { problems } = topologyProblems(text, 'f.yaml');
    assert.deepEqual(problems, [
      `f.yaml:${lineOf(text, 'name: Demo_1')}: name: expected lowercase letters, digits and dashes, got "Demo_1"`,
      `f.yaml:${lineOf(text, 'read: 3 seconds')}: timeouts.read: expected a duration such as 500ms, 5s or 2m, got "3 seconds"`,
      `f.yaml:${lineOf(text, 'capacity: lots')}: ecs.us-east-1.services[0].capacity: expected a number, got "lots"`,
    ]);
  });

  test('a missing required key and a scalar where a list belongs', () => {
    const text = demo.replace('  globalClusterId: demo-global\n', '').replace('regions: [us-east-1, eu-west-1, us-west-2]', 'regions: us-east-1');
    const { problems } = topologyProblems(text, 'f.yaml');
    assert.deepEqual(problems, [
      `f.yaml:${lineOf(text, 'regions: us-east-1')}: regions: expected a list, got "us-east-1"`,
      `f.yaml:${lineOf(text, 'aurora:')}: aurora.globalClusterId: missing; expected a string`,
    ]);
  });

  test('a YAML syntax error names its line', () => {
    const text = 'version: 1\nname: demo\nregions: [us-east-1,\n  eu-west-1\nroute53: {}\n';
    const { problems } = topologyProblems(text, 'f.yaml');
    assert.equal(problems.length >= 1, true);
    assert.match(problems[0], /^f\.yaml:\d+: not valid YAML: /);
    assert.ok(!problems[0].includes('\n'));
  });

  test('an empty file and a duplicate key', () => {
    assert.deepEqual(topologyProblems('', 'e.yaml').problems, ['e.yaml:1: (top level): the file is empty; expected a topology map (see `mr config schema`)']);
    const dup = topologyProblems('version: 1\nversion: 1\n', 'd.yaml').problems;
    assert.equal(dup.length, 1);
    assert.match(dup[0], /^d\.yaml:2: not valid YAML: Map keys must be unique/);
  });

  test('a missing file says which path was tried and how to choose another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mr-config-'));
    try {
      await assert.rejects(loadTopologyFile(join(dir, 'nope.yaml'), 'nope.yaml'), (e: unknown) => {
        assert.ok(isMrError(e));
        assert.equal(e.exitCode, ExitCode.Usage);
        assert.equal(e.message, `cannot read topology file nope.yaml (${join(dir, 'nope.yaml')}): no such file`);
        assert.match(e.hint ?? '', /--config <file>.*MR_CONFIG/);
        return true;
      });
      writeFileSync(join(dir, 'ok.yaml'), demo);
      assert.equal((await loadTopologyFile(join(dir, 'ok.yaml'))).name, 'demo');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the JSON Schema describes the file as written (defaults optional, no extra keys)', () => {
    const s = topologyJsonSchema() as { type: string; required: string[]; additionalProperties: boolean; properties: Record<string, { default?: unknown }> };
    assert.equal(s.type, 'object');
    assert.deepEqual([...s.required].sort(), ['name', 'regions', 'version']);
    assert.equal(s.additionalProperties, false);
    assert.ok(s.properties.aurora && s.properties.ecs && s.properties.route53);
  });
});
