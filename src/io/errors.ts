// The error taxonomy. Exit codes are set in one place (src/cli/main.ts) from these.

export const ExitCode = {
  Ok: 0,
  Failed: 1, // also: `mr status` found something unhealthy
  Usage: 2, // bad input: config, flags, playbooks, plan files
  Refused: 3, // a safety check refused the plan
  Declined: 4, // declined or interrupted by the operator, or approval needed and no terminal
  Partial: 5, // applied partly; resumable
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const BRAND = Symbol.for('mr-failover.error');

export class MrError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    /** A short hint shown on a second line: the flag that overrides, the command that resumes. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input: exit 2. */
export class UsageError extends MrError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(ExitCode.Usage, message, hint, options);
  }
}

/** A safety check refused: exit 3. */
export class RefusedError extends MrError {
  constructor(message: string, hint?: string) {
    super(ExitCode.Refused, message, hint);
  }
}

/** The operator declined, interrupted, or no terminal to ask on: exit 4. */
export class DeclinedError extends MrError {
  constructor(message: string, hint?: string) {
    super(ExitCode.Declined, message, hint);
  }
}

/** Something failed after some changes were applied; the run can be resumed: exit 5. */
export class PartialError extends MrError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(ExitCode.Partial, message, hint, options);
  }
}

/** A failure with nothing applied (AWS error, timeout before any change): exit 1. */
export class FailedError extends MrError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(ExitCode.Failed, message, hint, options);
  }
}

export function isMrError(e: unknown): e is MrError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * A step changed the world, then put it back exactly as it found it (a traffic shift whose health
 * gate failed restored the weights, and the restore reached INSYNC). When that step made the run's
 * only changes, the run is "rolled back": exit 1, nothing left changed, nothing to resume.
 */
export class RolledBackError extends FailedError {}

/** How much of a value an error message echoes back: enough to recognise it, never a screenful. */
export const ECHO_LIMIT = 80;

/**
 * Cut every quoted value in a message longer than ECHO_LIMIT characters, so a pasted blob or a
 * runaway variable comes back as one readable line: "..." as JSON.stringify writes values, and
 * commander's '...' around one word (not prose apostrophes: "the run's ... holder's").
 */
export function cutEchoes(message: string): string {
  const cut = (body: string) => (body.length > ECHO_LIMIT ? `${body.slice(0, ECHO_LIMIT - 3)}...` : body);
  return message
    .replace(/"((?:[^"\\\n]|\\.)*)"/g, (_m, body: string) => `"${cut(body)}"`)
    .replace(/(^|[\s(=])'([^'\s]+)'/g, (_m, lead: string, body: string) => `${lead}'${cut(body)}'`);
}
