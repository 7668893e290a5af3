// The sandbox's state in memory and its critical sections: the world, the clock, the faults and
// every service's slice, kept in step with the shared state file when there is one.
import type { Durations, ServiceContext, ServiceModule } from './contract.js';
import { freshClock, rescale, simNow } from './clock.js';
import { initialFaults, outagesOf } from './faults.js';
import { StateFile } from './state-file.js';
import type { Faults, Outage, SavedState } from './types.js';
import { diffFaults, FAULT_LOG_LIMIT, listFaults } from './fault-list.js';
import type { WorldFile } from './world-schema.js';

/** What the core adds to the contract's ServiceContext (additive; services may use it). */
export interface CoreServiceContext extends ServiceContext {
  /** Since when the app in a region has been unhealthy for any reason (region down or app fault). */
  appUnhealthySince(region: string): number | undefined;
  /** Past and current outages of a region's app, oldest first (health check history). */
  appOutages(region: string): Outage[];
  /** Take one stranded Route 53 change from the faults (strandedChanges), if any is left. */
  takeStrandedChange(): boolean;
}

export class Runtime {
  state!: SavedState;
  readonly ctx: CoreServiceContext;
  private readonly file?: StateFile;
  private dirty = false;
  private busy = false;
  private readonly waiters: (() => void)[] = [];

  constructor(
    readonly modules: ServiceModule[],
    statePath: string | undefined,
  ) {
    if (statePath) this.file = new StateFile(statePath);
    const rt = this;
    this.ctx = {
      now: () => simNow(rt.state.clock),
      durationMs: (key: keyof Durations) => (rt.state.world.durations[key] ?? Number.NaN) * 1000,
      get account() {
        return rt.state.world.account;
      },
      get regions() {
        return rt.state.world.regions;
      },
      regionDownSince: (region) => rt.state.faults.since.regionsDown[region],
      appHealthy: (region) => !rt.state.faults.regionsDown.includes(region) && !rt.state.faults.unhealthyApps.includes(region),
      appUnhealthySince: (region) => rt.state.faults.since.outages[region],
      appOutages: (region) => outagesOf(rt.state.faults, region),
      takeStrandedChange: () => {
        const f = rt.state.faults;
        if (!f.strandedChanges) return false;
        f.strandedChanges -= 1;
        return true;
      },
      removed: (key) => (rt.state.faults.removed ?? []).includes(key),
      peek: <T>(service: string): T => {
        // A state key first: two modules may share a signing name (rds: Aurora clusters, DB instances).
        const m = rt.modules.find((x) => x.stateKey === service) ?? rt.modules.find((x) => x.signingName === service);
        return rt.state.services[m?.stateKey ?? service] as T;
      },
    };
  }

  /**
   * Load the shared file if present (optionally rescaling its clock), else start from the world.
   * `fresh` ignores (and overwrites) whatever the file holds.
   */
  open(world: WorldFile, timeScale: number | undefined, fresh = false): void {
    if (!this.file) {
      this.state = this.fresh(world, timeScale ?? 1);
      return;
    }
    this.file.lock();
    try {
      if (this.file.exists() && !fresh) {
        this.state = this.file.readNow();
        this.fillMissing();
        if (timeScale !== undefined && timeScale !== this.state.clock.timeScale) {
          this.state.clock = rescale(this.state.clock, timeScale);
          this.dirty = true;
        }
      } else {
        const old = this.file.exists() ? this.oldFaults() : undefined;
        this.state = this.fresh(world, timeScale ?? 1);
        if (old) this.keepFaultLog(old);
        this.dirty = true;
      }
      this.saveIfDirty();
    } finally {
      this.file.unlock();
    }
  }

  private fresh(world: WorldFile, timeScale: number): SavedState {
    const clock = freshClock(timeScale);
    const now = simNow(clock);
    this.state = { version: 1, world, clock, faults: initialFaults(world.faults, now), services: {} };
    for (const m of this.modules) {
      const section = (world as Record<string, unknown>)[m.stateKey];
      this.state.services[m.stateKey] = m.init(section, this.ctx);
    }
    return this.state;
  }

  /** Back to the world the state was built from, with a fresh clock at the current scale. */
  reset(): void {
    const old = this.state.faults;
    this.state = this.fresh(this.state.world, this.state.clock.timeScale);
    this.keepFaultLog(old);
    this.dirty = true;
  }

  /**
   * The fault history outlives a reset, so a run's report still shows what was injected during it;
   * the faults the reset ended are recorded as cleared.
   */
  private keepFaultLog(old: Faults): void {
    const cleared = diffFaults(listFaults(old), [], simNow(this.state.clock), Date.now());
    const log = [...(old.log ?? []), ...cleared, ...(this.state.faults.log ?? [])];
    this.state.faults.log = log.slice(-FAULT_LOG_LIMIT);
  }

  private oldFaults(): Faults | undefined {
    try {
      return this.file?.read().faults;
    } catch {
      return undefined; // unreadable: nothing to keep
    }
  }

  /** Let each module catch its state up with the clock (ServiceModule.settle). */
  private settle(): void {
    for (const m of this.modules) {
      if (m.settle?.(this.state.services[m.stateKey], this.ctx)) this.dirty = true;
    }
  }

  markDirty(): void {
    this.dirty = true;
  }

  now(): number {
    return simNow(this.state.clock);
  }

  private reload(): void {
    const loaded = this.file?.readIfChanged();
    if (!loaded) return;
    this.state = loaded;
    this.fillMissing();
  }

  /** A state file written before a service module existed: give that module its initial slice. */
  private fillMissing(): void {
    for (const m of this.modules) {
      if (this.state.services[m.stateKey] !== undefined) continue;
      this.state.services[m.stateKey] = m.init((this.state.world as Record<string, unknown>)[m.stateKey], this.ctx);
      this.dirty = true;
    }
  }

  private saveIfDirty(): void {
    if (this.dirty && this.file) this.file.write(this.state);
    this.dirty = false;
  }

  /**
   * A synchronous critical section (control calls). When a request of this process already holds
   * the lock, run inside it: the state in memory is current and the holder saves when it ends.
   */
  sync<T>(fn: () => T): T {
    if (this.busy) return fn();
    if (!this.file) {
      this.settle();
      return fn();
    }
    this.file.lock();
    try {
      this.reload();
      this.settle();
      const result = fn();
      this.saveIfDirty();
      return result;
    } finally {
      this.file.unlock();
    }
  }

  /**
   * One request's critical section: queued within the process, locked across processes. When `fn`
   * answers synchronously (every module so far), nothing else runs between lock and unlock, so two
   * sandboxes in one process sharing a file cannot block each other.
   */
  async exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    while (this.busy) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.busy = true;
    try {
      this.file?.lock();
      try {
        this.reload();
        this.settle();
        let result = fn();
        if (result instanceof Promise) result = await result;
        this.saveIfDirty();
        return result;
      } finally {
        this.file?.unlock();
      }
    } finally {
      this.busy = false;
      this.waiters.shift()?.();
    }
  }
}
