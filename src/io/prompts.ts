// Questions to the operator through @inquirer/prompts (loaded only when a question is asked).
// Prompts draw on stderr so stdout carries results only. Without a terminal we never wait for an
// answer: we refuse (DeclinedError, exit 4), which is what makes scripted runs fail closed.
import { DeclinedError } from './errors.js';
import type { PromptOptions } from './types.js';

export interface PromptEnv {
  interactive: boolean;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal?: AbortSignal;
}

type Choice<T extends string> = { name: string; value: T; description?: string; disabled?: boolean | string };

function noTerminal(message: string): DeclinedError {
  return new DeclinedError(`cannot ask "${message}": no terminal`, 'run it in a terminal, or pass --yes to approve in scripts');
}

function describeMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

async function ask<T>(
  env: PromptEnv,
  message: string,
  run: (p: typeof import('@inquirer/prompts'), ctx: object) => Promise<T>,
  opts: PromptOptions = {},
): Promise<T> {
  if (!env.interactive) throw noTerminal(message);
  const prompts = await import('@inquirer/prompts');
  const timeout = opts.timeoutMs !== undefined ? AbortSignal.timeout(opts.timeoutMs) : undefined;
  const signal = timeout && env.signal ? AbortSignal.any([env.signal, timeout]) : (timeout ?? env.signal);
  const ctx = { input: env.input, output: env.output, signal };
  try {
    return await run(prompts, ctx);
  } catch (e) {
    if (timeout?.aborted && !env.signal?.aborted) {
      throw new DeclinedError(
        `no answer within ${describeMs(opts.timeoutMs!)}; nothing was applied`,
        'run it again when you are ready to answer (the approval timeout: --approval-timeout, or timeouts.approval in the topology)',
      );
    }
    // Ctrl-C inside a prompt (ExitPromptError) or our own abort (AbortPromptError): the operator stopped.
    const name = (e as Error)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
      throw new DeclinedError('interrupted at the prompt');
    }
    throw e;
  }
}

export function confirm(env: PromptEnv, message: string, defaultValue = false, opts?: PromptOptions): Promise<boolean> {
  return ask(env, message, (p, ctx) => p.confirm({ message, default: defaultValue }, ctx), opts);
}

export function input(env: PromptEnv, message: string, opts?: PromptOptions): Promise<string> {
  return ask(env, message, (p, ctx) => p.input({ message }, ctx), opts);
}

export function select<T extends string>(env: PromptEnv, message: string, choices: Choice<T>[], defaultValue?: T): Promise<T> {
  return ask(env, message, (p, ctx) => p.select<T>({ message, choices, ...(defaultValue !== undefined ? { default: defaultValue } : {}) }, ctx));
}
