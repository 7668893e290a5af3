// A client for the control endpoint of a sandbox running in another process (`mr sandbox serve`).
import type { CallLogEntry, FaultPatch, Faults, SandboxSnapshot } from './types.js';
import type { FaultEvent, FaultItem, FaultSpec } from './fault-list.js';

export class SandboxControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxControlError';
  }
}

export class SandboxControlClient {
  private readonly base: string;

  /** `endpoint` as printed by `mr sandbox serve`, e.g. http://127.0.0.1:4566 */
  constructor(endpoint: string) {
    this.base = endpoint.replace(/\/+$/, '');
  }

  private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/_sandbox/${route}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let doc: unknown;
    try {
      doc = text ? JSON.parse(text) : undefined;
    } catch {
      throw new SandboxControlError(res.status, `sandbox control ${method} ${route}: not JSON (is ${this.base} a sandbox?)`);
    }
    if (!res.ok) throw new SandboxControlError(res.status, `sandbox control ${method} ${route}: ${(doc as { error?: string })?.error ?? res.statusText}`);
    return doc as T;
  }

  reset(): Promise<{ ok: true; now: number }> {
    return this.call('POST', 'reset');
  }
  faults(): Promise<Faults> {
    return this.call('GET', 'faults');
  }
  setFaults(patch: FaultPatch): Promise<Faults> {
    return this.call('PATCH', 'faults', patch);
  }
  clearFaults(): Promise<Faults> {
    return this.call('DELETE', 'faults');
  }
  listFaults(): Promise<FaultItem[]> {
    return this.call('GET', 'faults/list');
  }
  addFault(spec: FaultSpec): Promise<FaultItem[]> {
    return this.call('POST', 'faults/add', spec);
  }
  /** null clears every fault. */
  clearFault(id: string | null): Promise<FaultItem[]> {
    return this.call('POST', 'faults/clear', id === null ? { all: true } : { id });
  }
  faultLog(): Promise<FaultEvent[]> {
    return this.call('GET', 'faults/log');
  }
  async advance(ms: number): Promise<number> {
    return (await this.call<{ now: number }>('POST', 'advance', { ms })).now;
  }
  calls(): Promise<CallLogEntry[]> {
    return this.call('GET', 'calls');
  }
  async clearCalls(): Promise<void> {
    await this.call('DELETE', 'calls');
  }
  snapshot(): Promise<SandboxSnapshot> {
    return this.call('GET', 'state');
  }
  async now(): Promise<number> {
    return (await this.call<{ now: number }>('GET', 'now')).now;
  }
}
