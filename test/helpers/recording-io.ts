// An Io that records everything and answers prompts from a script, for exact tests of prompt text
// and output. A prompt with no scripted answer left fails the test (no prompt goes unnoticed).
import type { Io, Spinner, Style } from '../../src/io/types.js';
import { DeclinedError } from '../../src/io/errors.js';

export type Recorded =
  | { kind: 'info' | 'warn' | 'error' | 'success' | 'debug' | 'result'; text: string }
  | { kind: 'json'; doc: unknown }
  | { kind: 'confirm'; message: string; defaultValue?: boolean }
  | { kind: 'input' | 'select'; message: string }
  | { kind: 'spinner'; event: 'start' | 'update' | 'succeed' | 'fail' | 'stop'; text?: string };

export type Answer = boolean | string | Error;

const plain: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, cyan: (s) => s };

export interface RecordingIo extends Io {
  readonly log: Recorded[];
  /** Answers not yet used. */
  readonly answers: Answer[];
  /** Every stdout result text, joined. */
  stdout(): string;
  /** Every message (info/warn/error/success), one per line. */
  stderr(): string;
  jsonDocs(): unknown[];
  prompts(): Recorded[];
}

export function recordingIo(opts: { interactive?: boolean; json?: boolean; answers?: Answer[] } = {}): RecordingIo {
  const log: Recorded[] = [];
  const answers = [...(opts.answers ?? [])];
  const interactive = opts.interactive ?? false;
  const next = (message: string): Answer => {
    if (!interactive) throw new DeclinedError(`cannot ask "${message}": no terminal`);
    if (answers.length === 0) throw new Error(`unexpected prompt: ${message}`);
    const a = answers.shift() as Answer;
    if (a instanceof Error) throw a;
    return a;
  };
  const io: RecordingIo = {
    json: opts.json ?? false,
    interactive,
    color: false,
    debug: false,
    style: plain,
    columns: 100,
    log,
    answers,
    info: (text) => void log.push({ kind: 'info', text }),
    warn: (text) => void log.push({ kind: 'warn', text }),
    error: (text) => void log.push({ kind: 'error', text }),
    success: (text) => void log.push({ kind: 'success', text }),
    debugLog: (text) => void log.push({ kind: 'debug', text }),
    result: (text) => {
      if (!io.json) log.push({ kind: 'result', text });
    },
    resultJson: (doc) => {
      if (io.json) log.push({ kind: 'json', doc: JSON.parse(JSON.stringify(doc)) });
    },
    jsonLine: (doc) => {
      if (io.json) log.push({ kind: 'json', doc: JSON.parse(JSON.stringify(doc)) });
    },
    spinner(text): Spinner {
      log.push({ kind: 'spinner', event: 'start', text });
      return {
        update: (t) => void log.push({ kind: 'spinner', event: 'update', text: t }),
        succeed: (t) => void log.push({ kind: 'spinner', event: 'succeed', text: t }),
        fail: (t) => void log.push({ kind: 'spinner', event: 'fail', text: t }),
        stop: () => void log.push({ kind: 'spinner', event: 'stop' }),
      };
    },
    async confirm(message, defaultValue) {
      log.push({ kind: 'confirm', message, defaultValue });
      const a = next(message);
      if (typeof a !== 'boolean') throw new Error(`scripted answer ${String(a)} for confirm "${message}"`);
      return a;
    },
    async input(message) {
      log.push({ kind: 'input', message });
      return String(next(message));
    },
    async select(message) {
      log.push({ kind: 'select', message });
      return String(next(message)) as never;
    },
    stdout: () => log.flatMap((r) => (r.kind === 'result' ? [r.text] : [])).join('\n'),
    stderr: () =>
      log.flatMap((r) => (r.kind === 'info' || r.kind === 'warn' || r.kind === 'error' || r.kind === 'success' ? [`${r.kind}: ${r.text}`] : [])).join('\n'),
    jsonDocs: () => log.flatMap((r) => (r.kind === 'json' ? [r.doc] : [])),
    prompts: () => log.filter((r) => r.kind === 'confirm' || r.kind === 'input' || r.kind === 'select'),
  };
  return io;
}
