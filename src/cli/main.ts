// Entry point: parse the command line, run one command, and set the exit code. This is the one place
// that sets it: commander usage errors exit 2, help and version 0, commands return theirs (lazy.ts).
// Only what `mr --version` needs is imported up front: it answers before commander and the command
// table load (benchmark 1, bench/startup.ts: commander alone costs about a third of a bare Node start).
import { packageVersion } from './version.js';
import { ExitCode } from '../io/errors.js';
import { cachedHelp } from './help-cache.js';

async function reportUnexpected(e: unknown, debug: boolean): Promise<number> {
  const { buildIo, reportError } = await import('./program-parts.js');
  const io = buildIo({ debug }, process.env, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, false);
  return reportError(io, e);
}

// A reader that stops early (`mr --help | head`) closes the pipe. That is not our error, and a run in
// progress must still finish and record, so stop writing there rather than crash or exit.
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    });
  }
}

export async function main(argv: string[]): Promise<void> {
  ignoreClosedPipes();
  const version = packageVersion();
  const words = argv.slice(2);
  if (words.length === 1 && (words[0] === '--version' || words[0] === '-V')) {
    process.stdout.write(`${version}\n`);
    process.exitCode = ExitCode.Ok;
    return;
  }
  const help = cachedHelp(words, process.stdout, process.env);
  if (help !== undefined) {
    process.stdout.write(help);
    process.exitCode = ExitCode.Ok;
    return;
  }
  const { CommanderError, commandDefs, buildProgram, runCommand } = await import('./program-parts.js');
  let outcome: { code: number; interrupted: boolean } | undefined;
  const program = buildProgram(commandDefs, version, async (def, args, opts, globals) => {
    outcome = await runCommand({ def, args, opts, globals, argv: argv.slice(2), version });
  });
  let code: number = ExitCode.Ok;
  try {
    await program.parseAsync(argv);
    code = outcome?.code ?? ExitCode.Ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help asked for, or the version: 0. A group without its subcommand ('commander.help'), an unknown option: usage.
      code = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? ExitCode.Ok : ExitCode.Usage;
    } else {
      code = await reportUnexpected(e, argv.includes('--debug'));
    }
  }
  process.exitCode = code;
  // Interrupted work may still hold sockets or timers: leave now rather than when they end.
  if (outcome?.interrupted) process.exit(code);
  // A read given up on at its bound (a listener that never answers) leaves the SDK retrying in the
  // background for up to three request timeouts; the command has said all it will, and everything it
  // wrote to disk was awaited. Once what it printed has been handed over, leave, should anything
  // still be holding the process open.
  if (outcome) {
    await Promise.all(
      [process.stdout, process.stderr].map((s) => new Promise<void>((done) => (s.writableEnded || s.destroyed ? done() : s.write('', () => done())))),
    );
    setTimeout(() => process.exit(code), 50).unref();
  }
}

await main(process.argv);
