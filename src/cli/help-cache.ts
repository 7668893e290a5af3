// Help for `mr [command [subcommand]] --help`, generated at build time from the same definitions
// commander uses (help-build.ts). Printing it needs neither commander nor the command table, which
// is most of what `--help` costs at start-up (benchmark 1). A test checks that it equals commander's
// own output for every command, so it cannot drift.
import { readFileSync } from 'node:fs';

export const HELP_CACHE_URL = new URL('./help.json', import.meta.url);

/** The help text commander would print for these words, or undefined when they are not a plain help request or no cache answers it. */
export function cachedHelp(words: string[], stdout: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): string | undefined {
  const last = words[words.length - 1];
  if (last !== '--help' && last !== '-h') return undefined;
  const path = words.slice(0, -1);
  if (path.some((w) => w.startsWith('-')) || env.MR_NO_HELP_CACHE) return undefined;
  // The cache is wrapped at commander's default 80 columns; a narrower terminal gets commander.
  if (stdout.isTTY && (stdout.columns ?? 80) < 80) return undefined;
  try {
    const cache = JSON.parse(readFileSync(HELP_CACHE_URL, 'utf8')) as Record<string, string>;
    return cache[path.join(' ')];
  } catch {
    return undefined; // a development build without the cache: commander answers
  }
}
