// Distinctive fake credentials for every mr the reliability suite starts, and the scan that proves
// none of them reaches an output or a file mr wrote (audit log, run records, saved plans).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const FAKE_ACCESS_KEY_ID = 'ASIAMRLEAKCHECK00042';
export const FAKE_SECRET_ACCESS_KEY = 'mrLeakCheck/Secret+Key0123456789abcdEFGH';
export const FAKE_SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEMRLEAKCHECKTOKEN' + 'QVdTU2Vzc2lvblRva2VuRm9yTXJMZWFrQ2hlY2tzT25seQ'.repeat(6) + 'EndOfMrLeakCheckToken==';

export const SECRET_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: FAKE_SECRET_ACCESS_KEY,
  AWS_SESSION_TOKEN: FAKE_SESSION_TOKEN,
};

/** Whole values and distinctive pieces of them, so a truncated or split leak is caught too. */
const NEEDLES: [string, string][] = [
  ['access key id', FAKE_ACCESS_KEY_ID],
  ['access key id (part)', 'MRLEAKCHECK'],
  ['secret access key', FAKE_SECRET_ACCESS_KEY],
  ['secret access key (part)', 'Secret+Key0123'],
  ['session token', FAKE_SESSION_TOKEN],
  ['session token (start)', FAKE_SESSION_TOKEN.slice(0, 24)],
  ['session token (middle)', 'RXJMZWFrQ2hlY2tz'],
  ['session token (end)', 'EndOfMrLeakCheckToken'],
];

/** What leaked into `text`, as "<what> in <where>". */
export function leaksIn(text: string, where: string): string[] {
  return NEEDLES.filter(([, needle]) => text.includes(needle)).map(([what]) => `${what} in ${where}`);
}

/** Every file under `dir` (none when it does not exist). */
export async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

export async function leaksUnder(dir: string): Promise<{ files: number; leaks: string[] }> {
  const files = await filesUnder(dir);
  const leaks: string[] = [];
  for (const f of files) leaks.push(...leaksIn(await readFile(f, 'utf8'), f));
  return { files: files.length, leaks };
}
