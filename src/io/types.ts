// The one face of the terminal. Messages go to stderr, results to stdout; nothing else writes to
// either (no console.* outside src/io).

export interface Spinner {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export interface PromptOptions {
  /** Give up after this long without an answer: DeclinedError "no answer within ...". */
  timeoutMs?: number;
}

export interface Io {
  /** --json: results are JSON documents on stdout; messages still go to stderr. */
  readonly json: boolean;
  /** stdin and stdout are terminals and CI is not set: prompts and spinners are allowed. */
  readonly interactive: boolean;
  readonly color: boolean;
  readonly debug: boolean;
  readonly style: Style;
  /** Width to lay results out in: the terminal's, else COLUMNS, else 80. */
  readonly columns?: number;

  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  success(message: string): void;
  debugLog(message: string): void;

  /** Human result text to stdout (suppressed under --json). */
  result(text: string): void;
  /** A JSON document to stdout, one per call (only under --json). */
  resultJson(doc: unknown): void;
  /** One JSON document on one line of stdout (NDJSON event streams; only under --json). */
  jsonLine(doc: unknown): void;
  /** One frame of a live view (--watch): replaces the previous frame on a terminal, follows it on a pipe (suppressed under --json). */
  frame?(text: string): void;

  spinner(text: string): Spinner;

  /** Prompts throw DeclinedError when not interactive or on Ctrl-C. */
  confirm(message: string, defaultValue?: boolean, opts?: PromptOptions): Promise<boolean>;
  input(message: string, opts?: PromptOptions): Promise<string>;
  /** `disabled` choices are shown (with their reason) but cannot be picked; `defaultValue` is where the cursor starts. */
  select<T extends string>(
    message: string,
    choices: { name: string; value: T; description?: string; disabled?: boolean | string }[],
    defaultValue?: T,
  ): Promise<T>;
}
