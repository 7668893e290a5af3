// Parameters: what `--var k=v` may set, checked against what the playbook declares, then
// substituted into the steps' `with` values.
import { UsageError } from '../io/errors.js';
import { placeholderPattern, type Playbook } from './schema.js';

export type ParamValue = string | number;
export type ParamValues = Record<string, ParamValue>;

/** Parse repeated `--var k=v` flags. */
export function parseVarFlags(flags: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags ?? []) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var ${flag}: expected name=value`, 'e.g. --var target=eu-west-1');
    const name = flag.slice(0, eq).trim();
    if (name in out) throw new UsageError(`--var ${name} is given twice`);
    out[name] = flag.slice(eq + 1).trim();
  }
  return out;
}

/** Check the given vars against the declared params and type them; fill defaults. */
export function resolveParams(file: string, playbook: Playbook, given: Record<string, string>, regions: string[]): ParamValues {
  const declared = playbook.params;
  const names = Object.keys(declared);
  for (const name of Object.keys(given)) {
    if (!(name in declared)) {
      throw new UsageError(
        `${file}: unknown parameter "${name}" (--var ${name.length > 80 ? `${name.slice(0, 77)}...` : name}=...); this playbook takes ${names.length ? names.join(', ') : 'no parameters'}`,
      );
    }
  }
  const out: ParamValues = {};
  for (const [name, p] of Object.entries(declared)) {
    const raw = given[name];
    if (raw === undefined) {
      if (p.default !== undefined) out[name] = p.default;
      else if (p.required)
        throw new UsageError(`${file}: parameter "${name}" is required${p.description ? ` (${p.description})` : ''}`, `pass --var ${name}=<${p.type}>`);
      continue;
    }
    if (p.type === 'number') {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n)) throw new UsageError(`${file}: parameter "${name}" must be a number, got "${raw}"`);
      out[name] = n;
    } else if (p.type === 'region') {
      if (!regions.includes(raw)) throw new UsageError(`${file}: parameter "${name}": region "${raw}" is not in the topology (${regions.join(', ')})`);
      out[name] = raw;
    } else {
      out[name] = raw;
    }
  }
  // Defaults of region params are checked too: a playbook written for another topology fails here.
  for (const [name, p] of Object.entries(declared)) {
    const v = out[name];
    if (p.type === 'region' && typeof v === 'string' && !regions.includes(v)) {
      throw new UsageError(`${file}: parameter "${name}": default region "${v}" is not in the topology (${regions.join(', ')})`);
    }
  }
  return out;
}

export class MissingParamError extends Error {
  constructor(
    readonly param: string,
    readonly path: (string | number)[],
  ) {
    super(`{{ ${param} }} has no value: pass --var ${param}=...`);
  }
}

const OMIT = Symbol('omit');

/**
 * Substitute `{{ name }}` in every string (map keys too). A string that is exactly one placeholder
 * takes the parameter's value and type (so `steps: "{{ n }}"` can be a number); an unset optional
 * parameter used that way removes the key, so the step falls back to its own default.
 */
export function substitute(value: unknown, params: ParamValues, path: (string | number)[] = []): unknown {
  const out = sub(value, params, path);
  return out === OMIT ? undefined : out;
}

function sub(value: unknown, params: ParamValues, path: (string | number)[]): unknown {
  if (typeof value === 'string') return subString(value, params, path);
  if (Array.isArray(value)) {
    return value.map((v, i) => sub(v, params, [...path, i])).filter((v) => v !== OMIT);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = subString(k, params, [...path, k]);
      if (key === OMIT) continue;
      const val = sub(v, params, [...path, k]);
      if (val !== OMIT) out[String(key)] = val;
    }
    return out;
  }
  return value;
}

function subString(s: string, params: ParamValues, path: (string | number)[]): unknown {
  const whole = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(s);
  if (whole) return whole[1] in params ? params[whole[1]] : OMIT;
  return s.replace(placeholderPattern, (_m, name: string) => {
    if (!(name in params)) throw new MissingParamError(name, path);
    return String(params[name]);
  });
}

/** The vars as strings, for the run record and the plan (`Plan.vars`). */
export function varsAsStrings(params: ParamValues): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
}
