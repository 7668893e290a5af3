// An Io that records instead of writing: for tests of commands and the engine.
import type { Io } from './types.js';
import { buildIo } from './io.js';

export interface MemoryIo extends Io {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function memoryIo(opts: { json?: boolean; debug?: boolean; columns?: number } = {}): MemoryIo {
  let out = '';
  let err = '';
  const stdout = { write: (s: string) => ((out += s), true), isTTY: false, columns: opts.columns } as unknown as NodeJS.WritableStream;
  const stderr = { write: (s: string) => ((err += s), true), isTTY: false } as unknown as NodeJS.WritableStream;
  const io = buildIo(
    { json: opts.json, debug: opts.debug, color: false },
    { COLUMNS: String(opts.columns ?? 100) },
    { stdin: { isTTY: false }, stdout, stderr },
    false, // never interactive: prompts refuse with DeclinedError, as in CI
  );
  return Object.assign(io, { stdout: () => out, stderr: () => err });
}
