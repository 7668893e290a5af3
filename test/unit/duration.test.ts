// One duration module: the parser every layer uses, and its two ways of writing a duration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatElapsed, parseDuration } from '../../src/util/duration.js';
import { parseDurationFlag } from '../../src/cli/duration.js';
import { parseTopology } from '../../src/config/load.js';
import { isMrError, ExitCode } from '../../src/io/errors.js';

test('parseDuration and formatDuration', () => {
  assert.equal(parseDuration(250), 250);
  assert.equal(parseDuration('250'), 250);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('soon'), undefined);
  assert.equal(parseDuration(-1), undefined);
  assert.equal(formatDuration(500), '500ms');
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(120_000), '2m');
});

test('parseDuration refuses what is not a whole, safe number of milliseconds', () => {
  assert.equal(parseDuration(1.5), undefined);
  assert.equal(parseDuration(2 ** 60), undefined);
  assert.equal(parseDuration('1.5s'), undefined);
  assert.equal(parseDuration('5 s'), undefined);
  assert.equal(parseDuration(''), undefined);
  assert.equal(parseDuration(null), undefined);
});

test('formatDuration writes what parseDuration reads back', () => {
  for (const ms of [0, 500, 1000, 30_000, 60_000, 90_000, 3_600_000]) assert.equal(parseDuration(formatDuration(ms)), ms);
});

test('elapsed time reads like a stopwatch', () => {
  assert.deepEqual([formatElapsed(250), formatElapsed(1500), formatElapsed(62_000), formatElapsed(600_000)], ['250ms', '1.5s', '1m02s', '10m00s']);
  // Rounded once: never "1m60s" or "60.0s".
  assert.equal(formatElapsed(119_600), '2m00s');
  assert.equal(formatElapsed(59_960), '1m00s');
  assert.equal(formatElapsed(59_940), '59.9s');
});

test('a command-line duration takes the topology short form and names the flag otherwise', () => {
  assert.equal(parseDurationFlag('--timeout', undefined), undefined);
  assert.equal(parseDurationFlag('--timeout', '750'), 750);
  assert.equal(parseDurationFlag('--timeout', '2m'), 120_000);
  assert.throws(
    () => parseDurationFlag('--timeout', '1h'),
    (e: unknown) => isMrError(e) && e.exitCode === ExitCode.Usage && e.message === '--timeout: expected a duration such as 500ms, 5s or 2m, got "1h"',
  );
});

test('the topology timeouts are milliseconds once, at load, and keep what was written', () => {
  const text = 'version: 1\nname: t\nregions: [us-east-1, eu-west-1]\ntimeouts: { read: 3s, verify: 2m, poll: 250 }\n';
  const t = parseTopology(text, 't.yaml');
  assert.deepEqual(t.timeouts, {
    read: '3s',
    verify: '2m',
    poll: 250,
    approval: '10m',
    writerEndpoint: '60s',
    expected: { route53Sync: '60s' },
    readMs: 3000,
    verifyMs: 120_000,
    pollMs: 250,
    approvalMs: 600_000,
    writerEndpointMs: 60_000,
  });
  const defaults = parseTopology('version: 1\nname: t\nregions: [us-east-1, eu-west-1]\n', 't.yaml');
  assert.deepEqual([defaults.timeouts.readMs, defaults.timeouts.verifyMs, defaults.timeouts.pollMs], [4000, 900_000, 2000]);
});
