import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { colorEnabled, stripAnsi } from '../../src/io/color.js';
import { isInteractive, terminalColumns } from '../../src/io/terminal.js';
import { buildIo } from '../../src/io/io.js';
import { memoryIo } from '../../src/io/memory.js';
import { cutEchoes, DeclinedError, ExitCode, RefusedError, UsageError } from '../../src/io/errors.js';
import { AwsCallError } from '../../src/aws/errors.js';
import { reportError } from '../../src/cli/lazy.js';

function recordingStreams(tty: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    streams: {
      stdin: { isTTY: tty },
      stdout: { write: (s: string) => (out.push(s), true), isTTY: tty, columns: 120 } as unknown as NodeJS.WritableStream & { isTTY: boolean },
      stderr: { write: (s: string) => (err.push(s), true), isTTY: tty } as unknown as NodeJS.WritableStream & { isTTY: boolean },
    },
  };
}

describe('colour policy', () => {
  test('--no-color, then NO_COLOR, then FORCE_COLOR, then the terminal', () => {
    assert.equal(colorEnabled({ flag: false, env: { FORCE_COLOR: '1' }, isTTY: true }), false);
    assert.equal(colorEnabled({ flag: true, env: { NO_COLOR: '1' }, isTTY: true }), false);
    assert.equal(colorEnabled({ env: { NO_COLOR: '' }, isTTY: true }), true, 'an empty NO_COLOR is not set');
    assert.equal(colorEnabled({ env: { FORCE_COLOR: '1' }, isTTY: false }), true);
    assert.equal(colorEnabled({ env: { FORCE_COLOR: '0' }, isTTY: true }), false);
    assert.equal(colorEnabled({ env: {}, isTTY: true }), true);
    assert.equal(colorEnabled({ env: { TERM: 'dumb' }, isTTY: true }), false);
    assert.equal(colorEnabled({ env: {}, isTTY: false }), false);
  });

  test('styles carry ANSI escapes only when colour is on', () => {
    const on = recordingStreams(true);
    const io = buildIo({}, { FORCE_COLOR: '1' }, on.streams, false);
    assert.notEqual(io.style.red('x'), 'x');
    assert.equal(stripAnsi(io.style.red('x')), 'x');
    const off = buildIo({}, { NO_COLOR: '1', FORCE_COLOR: '1' }, recordingStreams(true).streams, false);
    assert.equal(off.style.red('x'), 'x');
  });
});

describe('terminal', () => {
  test('interactive only with stdin and stdout terminals, TERM not dumb, CI unset', () => {
    const tty = recordingStreams(true).streams;
    assert.equal(isInteractive(tty, {}), true);
    assert.equal(isInteractive(tty, { CI: 'true' }), false);
    assert.equal(isInteractive(tty, { CI: '0' }), true);
    assert.equal(isInteractive(tty, { TERM: 'dumb' }), false);
    assert.equal(isInteractive({ ...tty, stdin: { isTTY: false } }, {}), false);
    assert.equal(terminalColumns(tty, { COLUMNS: '50' }), 120);
    assert.equal(terminalColumns(recordingStreams(false).streams, { COLUMNS: '50' }), 50);
    assert.equal(terminalColumns(recordingStreams(false).streams, {}), 80);
  });
});

describe('Io', () => {
  test('messages go to stderr, results to stdout; --json keeps stdout to JSON documents', () => {
    const plain = memoryIo();
    plain.info('reading');
    plain.warn('careful');
    plain.result('the table');
    plain.resultJson({ a: 1 });
    plain.debugLog('hidden');
    assert.equal(plain.stdout(), 'the table\n');
    assert.equal(plain.stderr(), 'reading\nwarning: careful\n');

    const json = memoryIo({ json: true, debug: true });
    json.result('the table');
    json.resultJson({ a: 1 });
    json.debugLog('shown');
    assert.deepEqual(JSON.parse(json.stdout()), { a: 1 });
    assert.equal(json.stderr(), 'debug: shown\n');
  });

  test('frames follow each other on a pipe and redraw in place on a terminal', () => {
    const pipe = recordingStreams(false);
    const io = buildIo({}, {}, pipe.streams, false);
    io.frame?.('one');
    io.frame?.('two');
    assert.equal(pipe.out.join(''), 'one\n\ntwo\n');
    const tty = recordingStreams(true);
    const tio = buildIo({}, {}, tty.streams, false);
    tio.frame?.('one');
    tio.frame?.('two');
    assert.deepEqual(tty.out, ['\x1b[H\x1b[2Jone\n', '\x1b[H\x1b[2Jtwo\n']);
  });

  test('without a terminal, prompts refuse (exit 4) and spinners print start and end lines', async () => {
    const io = memoryIo();
    await assert.rejects(io.confirm('Switch over?'), (e: unknown) => {
      assert.ok(e instanceof DeclinedError);
      assert.equal(e.exitCode, ExitCode.Declined);
      assert.equal(e.message, 'cannot ask "Switch over?": no terminal');
      return true;
    });
    await assert.rejects(io.input('Type the region'), DeclinedError);
    await assert.rejects(io.select('Which?', [{ name: 'a', value: 'a' }]), DeclinedError);
    const s = io.spinner('waiting for the writer');
    s.update('writer: us-east-1');
    s.succeed('writer moved');
    s.fail('ignored after the end');
    assert.equal(io.stderr(), '… waiting for the writer\n✔ writer moved\n');
  });
});

describe('reporting errors (the exit code path)', () => {
  test('MrError: its lines and hint, its exit code', () => {
    const io = memoryIo();
    assert.equal(reportError(io, new RefusedError('eu-west-1 lag 2400 ms is above the bound 1000 ms', 'pass --skip-lag-check to override')), ExitCode.Refused);
    assert.equal(reportError(io, new UsageError('a.yaml:3: name: bad\na.yaml:9: regions: bad')), ExitCode.Usage);
    assert.equal(
      io.stderr(),
      'error: eu-west-1 lag 2400 ms is above the bound 1000 ms\n  pass --skip-lag-check to override\nerror: a.yaml:3: name: bad\nerror: a.yaml:9: regions: bad\n',
    );
  });

  test('anything else: one line, exit 1; the stack only with --debug', () => {
    const io = memoryIo();
    assert.equal(reportError(io, new TypeError('Cannot read properties of undefined (reading "x")\nmore')), ExitCode.Failed);
    assert.equal(
      reportError(io, new AwsCallError('rds', 'us-east-1', 'DescribeGlobalClusters', 'AccessDenied', 'not allowed', { unreachable: false, throttled: false })),
      ExitCode.Failed,
    );
    assert.equal(
      io.stderr(),
      'error: Cannot read properties of undefined (reading "x")\nerror: rds DescribeGlobalClusters in us-east-1: AccessDenied: not allowed\n',
    );
    const debug = memoryIo({ debug: true });
    reportError(debug, new Error('boom'));
    assert.match(debug.stderr(), /^error: boom\ndebug: Error: boom\n\s+at /);
  });
});

describe('cutEchoes', () => {
  test('cuts a quoted value over 80 characters, leaves short values and prose apostrophes alone', () => {
    const long = 'y'.repeat(100);
    assert.equal(cutEchoes(`unknown region "${long}": topology demo`), `unknown region "${'y'.repeat(77)}...": topology demo`);
    assert.equal(cutEchoes(`unknown option '--${long}'`), `unknown option '--${'y'.repeat(75)}...'`);
    assert.equal(cutEchoes('unknown region "mars-1"'), 'unknown region "mars-1"');
    const prose = `the run's lock ${'z '.repeat(60)}is the holder's`;
    assert.equal(cutEchoes(prose), prose);
    assert.equal(cutEchoes(`got "${'a\\"b'.repeat(30)}"`).length, 'got ""'.length + 80);
  });
});
