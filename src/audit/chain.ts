// Hash chaining of audit lines: pure functions, no I/O.
import { createHash } from 'node:crypto';

/** `prev` of the first line of every audit file. */
export const GENESIS = '0'.repeat(64);

const HASH_SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Seal one event: `body` is the event serialised without `hash` (an object literal ending in "}").
 * The hash is appended as the last field, so verification needs no canonical JSON: strip the
 * suffix, rehash.
 */
export function sealLine(body: string): string {
  if (!body.startsWith('{"') || !body.endsWith('}')) throw new Error('an audit line must be a non-empty JSON object');
  return `${body.slice(0, -1)},"hash":"${sha256(body)}"}`;
}

export type ChainBreak = { line: number; reason: string };

/**
 * Check a whole file's lines. Returns the first broken line (1-based) and why, or null when the
 * chain holds. A trailing empty string (the final newline) is ignored.
 */
export function verifyLines(lines: string[]): ChainBreak | null {
  const n = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  let expectedPrev = GENESIS;
  for (let i = 0; i < n; i++) {
    const lineNo = i + 1;
    const line = lines[i];
    let event: { prev?: unknown; hash?: unknown };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      return { line: lineNo, reason: `line ${lineNo} is not a JSON event (changed or cut short)` };
    }
    const m = HASH_SUFFIX.exec(line);
    if (!m || event.hash !== m[1]) return { line: lineNo, reason: `line ${lineNo} has no seal (its "hash" field is missing or moved)` };
    if (sha256(line.slice(0, m.index) + '}') !== m[1]) return { line: lineNo, reason: `line ${lineNo} was changed (its content does not match its hash)` };
    if (event.prev !== expectedPrev) {
      return lineNo === 1
        ? { line: 1, reason: 'line 1 does not start the chain (lines before it were removed)' }
        : { line: lineNo, reason: `line ${lineNo} does not follow line ${lineNo - 1} (a line was removed, inserted or moved)` };
    }
    expectedPrev = sha256(line);
  }
  return null;
}
