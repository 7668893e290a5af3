// What every command module receives. Commands are thin: parse, call inspect/engine, render.
import type { Io } from '../io/types.js';
import type { Topology } from '../config/schema.js';
import type { Aws } from '../aws/types.js';

export interface GlobalOptions {
  config?: string;
  profile?: string;
  endpointUrl?: string;
  sandbox?: boolean;
  /** A bundled world's name (--world), for --sandbox and `mr sandbox serve|reset`; those two also take a file. */
  world?: string;
  json?: boolean;
  color?: boolean; // commander's --no-color sets false
  debug?: boolean;
  /** -v: plans list their passed checks too. */
  verbose?: boolean;
  stateDir?: string;
}

export interface CommandContext {
  io: Io;
  globals: GlobalOptions;
  /** The process's argv as typed, for the audit log. */
  argv: string[];
  /** $XDG_STATE_HOME/mr or --state-dir: audit logs, run records, the sandbox state file. */
  stateDir: string;
  /** Aborted on Ctrl-C (SIGINT). Commands whose definition sets `handlesSignal` wind down on it; others are stopped with exit 4. */
  signal: AbortSignal;
  /** Load and validate the topology (the bundled demo topology under --sandbox). Throws UsageError. */
  loadTopology(): Promise<Topology>;
  /** Build the AWS factory (lazily imports the SDK; starts the in-process sandbox under --sandbox). */
  aws(opts?: { runId?: string; requestTimeoutMs?: number }): Promise<Aws>;
  /** The long flags of the running command ("--max-lag", "--unplanned", ...), set when it starts. */
  options?: string[];
  /** Release what aws() started (sandbox server, sockets). Called once by main. */
  close(): Promise<void>;
}

/** A command module's entry point: returns the exit code. */
export type CommandHandler = (ctx: CommandContext, args: string[], opts: Record<string, unknown>) => Promise<number>;
