// Step parameters arrive as plain JSON from flags or playbooks. These helpers validate them and
// throw a UsageError that names the step and the problem, so a bad playbook stops before any call.
import { UsageError } from '../io/errors.js';
import { parseDuration } from '../util/duration.js';
import type { Topology } from '../config/schema.js';
import type { StepKind } from '../engine/types.js';

export class ParamReader {
  constructor(
    readonly kind: StepKind,
    readonly id: string,
    readonly params: Record<string, unknown>,
    readonly topology: Topology,
  ) {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw this.fail('params must be an object');
    }
  }

  fail(problem: string): UsageError {
    return new UsageError(`step "${this.id}" (${this.kind}): ${problem}`);
  }

  has(name: string): boolean {
    return this.params[name] !== undefined && this.params[name] !== null;
  }

  /** Refuse names the step does not know, so a typo in a playbook is not silently ignored. */
  only(...names: string[]): this {
    const unknown = Object.keys(this.params).filter((k) => !names.includes(k));
    if (unknown.length) throw this.fail(`unknown parameter ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: ${names.join(', ')})`);
    return this;
  }

  /** A region named in the topology. */
  region(name: string): string {
    const v = this.params[name];
    if (typeof v !== 'string' || v === '') throw this.fail(`"${name}" must be a region name (one of ${this.topology.regions.join(', ')})`);
    if (!this.topology.regions.includes(v)) {
      throw this.fail(`"${name}": region "${v}" is not in the topology (allowed: ${this.topology.regions.join(', ')})`);
    }
    return v;
  }

  string(name: string): string {
    const v = this.params[name];
    if (typeof v !== 'string' || v.trim() === '') throw this.fail(`"${name}" must be a non-empty string`);
    return v;
  }

  optionalInt(name: string, min: number, max: number): number | undefined {
    if (!this.has(name)) return undefined;
    return this.int(name, min, max);
  }

  int(name: string, min: number, max: number): number {
    const raw = this.params[name];
    const v = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw this.fail(`"${name}" must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    }
    return v;
  }

  optionalBool(name: string): boolean | undefined {
    if (!this.has(name)) return undefined;
    const v = this.params[name];
    if (typeof v !== 'boolean') throw this.fail(`"${name}" must be true or false (got ${JSON.stringify(v)})`);
    return v;
  }

  optionalDuration(name: string): number | undefined {
    if (!this.has(name)) return undefined;
    const ms = parseDuration(this.params[name]);
    if (ms === undefined) throw this.fail(`"${name}" must be milliseconds or a duration such as 500ms, 30s, 5m, 1h (got ${JSON.stringify(this.params[name])})`);
    return ms;
  }

  optionalStringList(name: string): string[] | undefined {
    if (!this.has(name)) return undefined;
    const v = this.params[name];
    if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string' && s !== '')) {
      throw this.fail(`"${name}" must be a non-empty list of names`);
    }
    return v as string[];
  }

  optionalNumberList(name: string): number[] | undefined {
    if (!this.has(name)) return undefined;
    const v = this.params[name];
    if (!Array.isArray(v) || v.length === 0 || !v.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw this.fail(`"${name}" must be a non-empty list of numbers`);
    }
    return v as number[];
  }

  optionalRecord(name: string): Record<string, unknown> | undefined {
    if (!this.has(name)) return undefined;
    const v = this.params[name];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw this.fail(`"${name}" must be a map`);
    return v as Record<string, unknown>;
  }
}
