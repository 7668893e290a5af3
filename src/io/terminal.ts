// What the process is attached to: decides prompts, spinners and in-place redraws.

export interface Streams {
  stdin: NodeJS.ReadStream | { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Prompts and spinners only when a person is there: stdin and stdout are terminals, TERM is not dumb, CI is not set. */
export function isInteractive(streams: Streams, env: NodeJS.ProcessEnv): boolean {
  if (!streams.stdin.isTTY || !streams.stdout.isTTY) return false;
  if (env.TERM === 'dumb') return false;
  if (env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false') return false;
  return true;
}

/** Terminal width for layout: the terminal's, then COLUMNS, then 80. */
export function terminalColumns(streams: Streams, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.COLUMNS);
  if (streams.stdout.isTTY && streams.stdout.columns) return streams.stdout.columns;
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
}
