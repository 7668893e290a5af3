// A command definition is data: cheap to import (no handler code, no SDK), so `mr --help` stays fast.
// Its handler module is imported only when the command runs (src/cli/lazy.ts).

export interface ArgDef {
  name: string;
  description: string;
  required?: boolean;
  /** Takes the rest of the words (last argument only). */
  variadic?: boolean;
}

export interface OptionDef {
  /** commander flags, e.g. "--watch [seconds]", "--port <port>", "-y, --yes". */
  flags: string;
  description: string;
  default?: string | boolean | string[];
  choices?: string[];
  /** Environment variable that supplies the value when the flag is absent. */
  env?: string;
  hidden?: boolean;
}

export interface CommandDef {
  name: string;
  description: string;
  aliases?: string[];
  args?: ArgDef[];
  options?: OptionDef[];
  /** Imports the handler module, e.g. () => import('../commands/status.js'). Absent for a pure group. */
  load?: () => Promise<object>;
  /** The CommandHandler export of that module to call. */
  handler?: string;
  subcommands?: CommandDef[];
  /**
   * The handler watches ctx.signal and winds down itself on Ctrl-C (the engine: finish the call in
   * flight, write the audit record). Otherwise Ctrl-C stops the command at once with exit 4.
   */
  handlesSignal?: boolean | ((opts: Record<string, unknown>) => boolean);
  /** Said on the first Ctrl-C of a command that handles it; default: it finishes the call in flight. Empty: nothing. */
  signalMessage?: string;
  /** Shown after the options in --help (examples). */
  helpText?: string;
}
