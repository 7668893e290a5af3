// Credentials never reach the audit log: every event passes through scrub() before it is written.
// Pure: the environment is passed in.

export const REDACTED = '[redacted]';

/** Env variables whose values are secrets wherever they turn up. */
const SECRET_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_ACCESS_KEY_ID'];

/** Object keys whose values are redacted whatever they hold. */
const SECRET_KEY = /^(aws_?)?(secret(_?access)?_?key|session_?token|security_?token|access_?key(_?id)?|password|credentials?|authorization)$/i;

const PATTERNS: RegExp[] = [
  // Access key ids: long-term (AKIA) and temporary (ASIA).
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  // Secret access keys: exactly 40 base64 characters, with upper and lower case letters and a digit
  // or symbol (so a 40-char lowercase hex digest is left alone).
  /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
  // Session tokens: very long base64 runs.
  /[A-Za-z0-9/+]{100,}={0,2}/g,
];

/** The secret values present in this environment (short values are ignored: they would redact noise). */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return SECRET_ENV.map((k) => env[k]).filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

export function scrubString(s: string, secrets: string[]): string {
  let out = s;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  for (const re of PATTERNS) out = out.replace(re, REDACTED);
  return out;
}

/** A deep copy of `value` with every secret-looking string and secret-named field redacted. */
export function scrub<T>(value: T, secrets: string[]): T {
  return walk(value, secrets) as T;
}

function walk(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[scrubString(k, secrets)] = SECRET_KEY.test(k) && v !== undefined && v !== null ? REDACTED : walk(v, secrets);
    }
    return out;
  }
  return value;
}
