// The colour policy, in one place. chalk reads FORCE_COLOR at import but ignores NO_COLOR, so we
// never use chalk's default instance: we decide the level here and build our own.
import { Chalk } from 'chalk';
import type { Style } from './types.js';

export interface ColorInputs {
  /** commander's --no-color sets false; undefined when not given. */
  flag?: boolean;
  env: NodeJS.ProcessEnv;
  /** Whether the stream the results go to is a terminal. */
  isTTY: boolean;
}

/** --no-color wins, then NO_COLOR (any non-empty value, per no-color.org), then FORCE_COLOR, then the terminal. */
export function colorEnabled({ flag, env, isTTY }: ColorInputs): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force === 'false');
  return isTTY && env.TERM !== 'dumb';
}

export function makeStyle(enabled: boolean): Style {
  const c = new Chalk({ level: enabled ? 1 : 0 });
  return {
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    red: (s) => c.red(s),
    green: (s) => c.green(s),
    yellow: (s) => c.yellow(s),
    cyan: (s) => c.cyan(s),
  };
}

/** Remove ANSI escapes (for measuring the width of styled text). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}
