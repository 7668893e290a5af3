// Runs one command: builds the Io and the CommandContext, imports the handler module, calls it, and
// turns its result or error into an exit code (main.ts sets it). Ctrl-C: see CommandDef.handlesSignal.
import type { CommandDef } from './defs/types.js';
import type { CommandHandler, GlobalOptions } from './types.js';
import type { Io } from '../io/types.js';
import { ExitCode, isMrError } from '../io/errors.js';
import { createIo } from '../io/io.js';
import { createContext, stateDirProblem } from './context.js';

export interface RunRequest {
  def: CommandDef;
  /** Positional arguments; a variadic one is spread at the end. */
  args: string[];
  opts: Record<string, unknown>;
  globals: GlobalOptions;
  argv: string[];
  version: string;
}

/** Report an error in one line (plus a hint line) and give its exit code. The stack only with --debug. */
export function reportError(io: Io, e: unknown): number {
  if (isMrError(e)) {
    for (const line of e.message.split('\n')) io.error(line);
    if (e.hint) io.info(`  ${e.hint}`);
    if (io.debug && e.cause) io.debugLog(`cause: ${(e.cause as Error)?.stack ?? String(e.cause)}`);
    return e.exitCode;
  }
  const err = e as { oneLine?: () => string; message?: string; stack?: string };
  const text = typeof err?.oneLine === 'function' ? err.oneLine() : (err?.message ?? String(e)).split('\n')[0];
  io.error(text || 'unexpected error');
  if (io.debug && err?.stack) io.debugLog(err.stack);
  return ExitCode.Failed;
}

/** Ctrl-C while a command runs: resolves the exit code when the command is interrupted. */
function interruption(def: CommandDef, opts: Record<string, unknown>, io: Io, controller: AbortController): { promise: Promise<number>; dispose(): void } {
  const handles = typeof def.handlesSignal === 'function' ? def.handlesSignal(opts) : def.handlesSignal === true;
  const message = def.signalMessage ?? 'interrupting: finishing the call in flight (Ctrl-C again to stop at once)';
  let presses = 0;
  let resolve!: (code: number) => void;
  const promise = new Promise<number>((r) => (resolve = r));
  const onSigint = () => {
    presses++;
    if (presses === 1) controller.abort(new Error('interrupted'));
    if (handles && presses === 1) {
      if (message) io.warn(message);
      return;
    }
    io.error('interrupted');
    resolve(ExitCode.Declined);
  };
  process.on('SIGINT', onSigint);
  return { promise, dispose: () => void process.off('SIGINT', onSigint) };
}

export async function runCommand(req: RunRequest): Promise<{ code: number; interrupted: boolean }> {
  const controller = new AbortController();
  const io = await createIo({ json: req.globals.json, color: req.globals.color, debug: req.globals.debug, signal: controller.signal });
  const stop = interruption(req.def, req.opts, io, controller);
  let ctx: import('./types.js').CommandContext | undefined;
  const work = (async (): Promise<number> => {
    ctx = createContext({ globals: req.globals, argv: req.argv, io, signal: controller.signal, version: req.version });
    // The long flags this command accepts: a refusal names an override only when it is one of them.
    ctx.options = (req.def.options ?? []).map((o) => /--[a-z][a-z-]*/.exec(o.flags)?.[0] ?? o.flags);
    if (!req.def.load || !req.def.handler) throw new Error(`mr ${req.def.name}: no handler defined`);
    const mod = (await req.def.load()) as Record<string, unknown>;
    const handler = mod[req.def.handler];
    if (typeof handler !== 'function') throw new Error(`mr ${req.def.name}: handler "${req.def.handler}" is not exported by its module`);
    return await (handler as CommandHandler)(ctx, req.args, req.opts);
  })().then(
    (code) => (Number.isInteger(code) ? code : ExitCode.Ok),
    async (e: unknown) => {
      if (controller.signal.aborted && !isMrError(e)) return (io.error('interrupted'), ExitCode.Declined);
      return reportError(io, (ctx && stateDirProblem(e, ctx.stateDir)) ?? e);
    },
  );
  try {
    const code = await Promise.race([work, stop.promise]);
    return { code, interrupted: controller.signal.aborted };
  } finally {
    stop.dispose();
    await (ctx as import('./types.js').CommandContext | undefined)?.close().catch((e: unknown) => io.debugLog(`close: ${String(e)}`));
  }
}
