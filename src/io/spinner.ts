// Spinners: ora on stderr when a person is watching; otherwise plain lines, so CI logs still show
// what started and how it ended.
import type { Ora } from 'ora';
import type { Spinner, Style } from './types.js';

export type OraFactory = (options: { text: string; stream: NodeJS.WritableStream; isEnabled: boolean; discardStdin: boolean; color: 'cyan' | false }) => Ora;

export function oraSpinner(ora: OraFactory, text: string, stream: NodeJS.WritableStream, style: Style, color: boolean): Spinner {
  // A terminal that reports 0 columns (script(1) without stty cols) makes ora redraw forever: it
  // falls back to 80 only when the width is missing, not when it is 0.
  const tty = stream as NodeJS.WritableStream & { columns?: number };
  if (tty.columns === 0) tty.columns = 80;
  // ora colours its frames itself: follow our colour policy, not chalk's.
  const s = ora({ text, stream, isEnabled: true, discardStdin: false, color: color ? 'cyan' : false }).start();
  return {
    update: (t) => {
      s.text = t;
    },
    succeed: (t) => {
      s.stopAndPersist({ symbol: style.green('✔'), text: t ?? s.text });
    },
    fail: (t) => {
      s.stopAndPersist({ symbol: style.red('✖'), text: t ?? s.text });
    },
    stop: () => {
      s.stop();
    },
  };
}

/** Without a terminal: one line when it starts and one when it ends; updates only under --debug. */
export function lineSpinner(text: string, write: (line: string) => void, debug: (line: string) => void, style: Style): Spinner {
  let current = text;
  let done = false;
  write(`… ${text}`);
  const end = (symbol: string, t?: string) => {
    if (done) return;
    done = true;
    write(`${symbol} ${t ?? current}`);
  };
  return {
    update: (t) => {
      current = t;
      debug(t);
    },
    succeed: (t) => end(style.green('✔'), t),
    fail: (t) => end(style.red('✖'), t),
    stop: () => {
      done = true;
    },
  };
}
