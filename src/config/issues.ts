// Turns zod issues into what an operator can act on: "expected X, got Y", in the file's own terms
// (maps and lists, not objects and arrays).
import type { z } from 'zod';
import type { PathSegment } from './locate.js';

type Issue = z.core.$ZodIssue;

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  record: 'a map',
};

/** How a value from the file looks to its author. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  return String(v);
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** zod's own default texts start like this; a schema's custom message is phrased as what is expected. */
const isDefaultText = (m: string) => /^(Invalid|Too (small|big)|Unrecognized)/.test(m);

function sizeText(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  if (!isDefaultText(issue.message)) return issue.message;
  const small = issue.code === 'too_small';
  const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
  switch (issue.origin) {
    case 'array':
      return `${small ? 'at least' : 'at most'} ${bound} item${Number(bound) === 1 ? '' : 's'}`;
    case 'string':
      return small && Number(bound) === 1 ? 'a non-empty string' : `${small ? 'at least' : 'at most'} ${bound} characters`;
    default:
      return `a number ${small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<'} ${bound}`;
  }
}

/** "expected ..., got ..." for one issue (unrecognized keys are handled by the caller, one line per key). */
export function issueText(issue: Issue, root: unknown): string {
  const got = valueAt(root, issue.path as PathSegment[]);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = NOUNS[issue.expected] ?? issue.expected;
      return got === undefined ? `missing; expected ${expected}` : `expected ${expected}, got ${describeValue(got)}`;
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const want = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
      return got === undefined ? `missing; expected ${want}` : `expected ${want}, got ${describeValue(got)}`;
    }
    case 'invalid_format':
      return `expected ${isDefaultText(issue.message) ? `a ${issue.format}` : issue.message}, got ${describeValue(got)}`;
    case 'too_small':
    case 'too_big':
      return `expected ${sizeText(issue)}, got ${Array.isArray(got) ? `${got.length} item${got.length === 1 ? '' : 's'}` : describeValue(got)}`;
    case 'invalid_union': {
      // The branch whose type matched tells the real problem (e.g. a string that is not a duration).
      const typeMismatch = (b: Issue[]) => b.length === 1 && b[0].code === 'invalid_type' && b[0].path.length === 0;
      const matched = issue.errors.find((b) => !typeMismatch(b));
      if (matched && matched.length > 0) {
        const inner = matched[0];
        return issueText({ ...inner, path: [...issue.path, ...inner.path] } as Issue, root);
      }
      const wants = issue.errors.flatMap((b) => (b[0]?.code === 'invalid_type' ? [NOUNS[b[0].expected] ?? b[0].expected] : []));
      return `expected ${wants.join(' or ') || 'another value'}, got ${describeValue(got)}`;
    }
    default:
      return issue.message;
  }
}

type Def = { type: string; shape?: Record<string, unknown>; innerType?: unknown; element?: unknown; valueType?: unknown; in?: unknown };
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } })?._zod?.def;

/** The keys a map at `path` may have, read from the schema, for "unknown key" messages. */
export function allowedKeys(schema: unknown, path: readonly PathSegment[]): string[] {
  let s: unknown = schema;
  let i = 0;
  for (let guard = 0; guard < 64 && s; guard++) {
    const def = defOf(s);
    if (!def) return [];
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable') s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else if (i === path.length) return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
    else if (def.type === 'object') s = def.shape?.[path[i++] as string];
    else if (def.type === 'array') ((s = def.element), i++);
    else if (def.type === 'record') ((s = def.valueType), i++);
    else return [];
  }
  return [];
}
