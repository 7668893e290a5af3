// What the sandbox core offers to its users: tests (in-process), the control endpoint and its client.
import type { FaultPatch, FaultSettings, WorldFile } from './world-schema.js';
import type { FaultEvent, FaultItem, FaultSpec } from './fault-spec.js';

export type { FaultPatch, FaultSettings, WorldFile } from './world-schema.js';

/** A period when a region's application was unhealthy (or the region down), in simulated ms. */
export interface Outage {
  since: number;
  /** Undefined while it lasts. */
  until?: number;
}

/** The fault settings plus when each fault began (simulated ms), so services can compute e.g. growing lag. */
export interface Faults extends FaultSettings {
  since: {
    regionsDown: Record<string, number>;
    unhealthyApps: Record<string, number>;
    route53ControlPlaneDown?: number;
    /** Per region: since when its application has been unhealthy for any reason (down or unhealthy). */
    outages: Record<string, number>;
  };
  /** Ended outages per region (region down or app unhealthy), newest last, for health check history. */
  history: Record<string, Outage[]>;
  /** Every fault added or cleared, oldest first (absent in state files written before it existed). */
  log?: FaultEvent[];
}

export interface CallLogEntry {
  service: string;
  region: string;
  operation: string;
  mutating: boolean;
  /** Simulated ms when the call was handled. */
  at: number;
  /** Real epoch ms. */
  realAt: number;
  /** HTTP status; 0 when the connection was reset (region down, Route 53 control plane down). */
  status: number;
  /** Rejected by the Route 53 rate limit. */
  throttled?: boolean;
  /** The AWS error code when the call failed (injected or modelled). */
  error?: string;
  requestId: string;
  /** What was asked (the first 4 KiB of the body), so a test can tell which resource a call named. */
  request?: { path: string; query: string; body: string };
}

export interface ClockState {
  /** Simulated ms at anchorReal. */
  anchorSim: number;
  /** Real epoch ms when anchored. */
  anchorReal: number;
  /** Simulated ms added by advance(). */
  advanced: number;
  timeScale: number;
}

/** Everything that persists: the state file is exactly this, as JSON. */
export interface SavedState {
  version: 1;
  /** The parsed world (after overrides), so reset() works in any process sharing the file. */
  world: WorldFile;
  clock: ClockState;
  faults: Faults;
  /** Each service module's slice, by stateKey. */
  services: Record<string, unknown>;
}

export interface SandboxSnapshot {
  now: number;
  clock: ClockState;
  faults: Faults;
  services: Record<string, unknown>;
}

/** In-process control; the HTTP control endpoint under /_sandbox/ maps onto the same methods. */
export interface SandboxControl {
  /** Back to the world file: services, faults, clock; also clears the call log. */
  reset(): void;
  faults(): Faults;
  /** Merge: each given key replaces the current value. Throws on invalid input. */
  setFaults(partial: FaultPatch): Faults;
  clearFaults(): Faults;
  /** The faults as named items (ids for clearFault). */
  listFaults(): FaultItem[];
  /** Inject one fault; throws a UsageError for one the world cannot have (unknown region, ...). */
  addFault(spec: FaultSpec): FaultItem[];
  /** Clear one fault by id, or all of them (null); throws a UsageError for an unknown id. */
  clearFault(id: string | null): FaultItem[];
  /** Every fault added or cleared, oldest first. */
  faultLog(): FaultEvent[];
  /** Move the simulated clock forward. */
  advance(ms: number): number;
  calls(): CallLogEntry[];
  clearCalls(): void;
  snapshot(): SandboxSnapshot;
  /** Simulated epoch ms. */
  now(): number;
  /** Where the DNS responder listens (UDP and TCP), or undefined when none runs (a control over a state file only). */
  dns(): SandboxDnsAddress | undefined;
}

/** The sandbox's DNS responder (src/sandbox/dns/): node:dns's Resolver takes `${address}:${port}`. */
export interface SandboxDnsAddress {
  address: '127.0.0.1';
  port: number;
}

export interface SandboxHandle {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  /** The DNS responder for the names the sandbox owns (the Aurora global writer endpoint, cluster endpoints). */
  dns: SandboxDnsAddress;
  stop(): Promise<void>;
  control: SandboxControl;
}

export interface StartSandboxOptions {
  /** Path to a world YAML; default the bundled demo world. */
  world?: string;
  /** Tweak the parsed world before use (tests: fillerRecords, faults). */
  worldOverrides?: (w: WorldFile) => void;
  /** Share state with other processes through this file (created from the world if missing). */
  statePath?: string;
  /** Simulated ms per real ms; default 1 (or the state file's scale when continuing one). */
  timeScale?: number;
  /** 0 = ephemeral. */
  port?: number;
  /** The DNS responder's port (UDP and TCP); default ephemeral. */
  dnsPort?: number;
  /** Where the core reports internal errors (a bug in a service module); default: nowhere. */
  log?: (message: string) => void;
}
