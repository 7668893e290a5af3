// An Io that records instead of writing: for tests of commands and the engine.
import { Writable } from 'node:stream';
import type { Io } from './types.js';
import { buildIo } from './io.js';

export interface MemoryIo extends Io {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function memoryIo(opts: { json?: boolean; debug?: boolean; columns?: number } = {}): MemoryIo {
  let out = '';
  let err = '';
  const stdout = sink((s) => (out += s), opts.columns);
  const stderr = sink((s) => (err += s));
  const io = buildIo(
    { json: opts.json, debug: opts.debug, color: false },
    { COLUMNS: String(opts.columns ?? 100) },
    { stdin: { isTTY: false }, stdout, stderr },
    false, // never interactive: prompts refuse with DeclinedError, as in CI
  );
  return Object.assign(io, { stdout: () => out, stderr: () => err });
}

/** A real Writable that hands each write to `onWrite` at once (its callback is synchronous). */
function sink(onWrite: (s: string) => void, columns?: number): NodeJS.WritableStream & { isTTY: false; columns?: number } {
  const w = new Writable({
    decodeStrings: false,
    write(chunk, _encoding, done) {
      onWrite(String(chunk));
      done();
    },
  });
  return Object.assign(w, { isTTY: false as const, columns });
}
