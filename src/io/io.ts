// The Io implementation: the one place that writes to the terminal.
import type { Io, Spinner } from './types.js';
import { colorEnabled, makeStyle } from './color.js';
import { isInteractive, terminalColumns, type Streams } from './terminal.js';
import { lineSpinner, oraSpinner, type OraFactory } from './spinner.js';
import * as prompts from './prompts.js';
import { cutEchoes } from './errors.js';

export interface IoOptions {
  json?: boolean;
  /** commander's --no-color gives false. */
  color?: boolean;
  debug?: boolean;
  env?: NodeJS.ProcessEnv;
  streams?: Streams;
  /** Aborts open prompts (SIGINT). */
  signal?: AbortSignal;
}

/** Clear the screen and home the cursor: the frame then redraws in place. */
const CLEAR = '\x1b[H\x1b[2J';

/** Build the Io. Async only because ora is loaded when, and only when, spinners can be shown. */
export async function createIo(opts: IoOptions = {}): Promise<Io> {
  const env = opts.env ?? process.env;
  const streams: Streams = opts.streams ?? { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  const interactive = isInteractive(streams, env);
  const ora: OraFactory | undefined = interactive ? ((await import('ora')).default as OraFactory) : undefined;
  return buildIo(opts, env, streams, interactive, ora);
}

/** The synchronous part, for callers that must report an error before anything else is loaded. */
export function buildIo(opts: IoOptions, env: NodeJS.ProcessEnv, streams: Streams, interactive: boolean, ora?: OraFactory): Io {
  const json = opts.json === true;
  const debug = opts.debug === true;
  const color = colorEnabled({ flag: opts.color, env, isTTY: streams.stdout.isTTY === true });
  const style = makeStyle(color);
  const out = (s: string) => void streams.stdout.write(s);
  const err = (s: string) => void streams.stderr.write(s);
  const line = (s: string) => err(s.endsWith('\n') ? s : `${s}\n`);
  const promptEnv = () => ({ interactive, input: streams.stdin as NodeJS.ReadableStream, output: streams.stderr, signal: opts.signal });
  let framed = false;

  const io: Io = {
    json,
    interactive,
    color,
    debug,
    style,
    columns: terminalColumns(streams, env),
    info: (m) => line(m),
    warn: (m) => line(`${style.yellow('warning:')} ${cutEchoes(m)}`),
    error: (m) => line(`${style.red('error:')} ${cutEchoes(m)}`),
    success: (m) => line(`${style.green('✔')} ${m}`),
    debugLog: (m) => {
      if (debug) line(style.dim(`debug: ${m}`));
    },
    result: (text) => {
      if (!json) out(text.endsWith('\n') ? text : `${text}\n`);
    },
    resultJson: (doc) => {
      if (json) out(`${JSON.stringify(doc, null, 2)}\n`);
    },
    jsonLine: (doc) => {
      if (json) out(`${JSON.stringify(doc)}\n`);
    },
    frame: (text) => {
      if (json) return;
      const body = text.endsWith('\n') ? text : `${text}\n`;
      // On a terminal each frame replaces the last; on a pipe frames follow each other, blank-line separated.
      if (streams.stdout.isTTY) out(CLEAR + body);
      else out((framed ? '\n' : '') + body);
      framed = true;
    },
    spinner: (text): Spinner => (ora ? oraSpinner(ora, text, streams.stderr, style, color) : lineSpinner(text, line, (m) => io.debugLog(m), style)),
    confirm: (message, defaultValue, o) => prompts.confirm(promptEnv(), message, defaultValue, o),
    input: (message, o) => prompts.input(promptEnv(), message, o),
    select: (message, choices, defaultValue) => prompts.select(promptEnv(), message, choices, defaultValue),
  };
  return io;
}
