// The commander program, built from the command definitions. Building it loads no handler and no
// SDK: actions only name what to import when they run.
import { Command, Option } from 'commander';
import { cutEchoes } from '../io/errors.js';
import type { CommandDef } from './defs/types.js';
import type { GlobalOptions } from './types.js';

export type RunAction = (def: CommandDef, args: string[], opts: Record<string, unknown>, globals: GlobalOptions) => Promise<void>;

function addCommand(parent: Command, def: CommandDef, run: RunAction, program: Command): void {
  const cmd = parent.command(def.name).description(def.description);
  for (const alias of def.aliases ?? []) cmd.alias(alias);
  for (const a of def.args ?? []) {
    const name = `${a.name}${a.variadic ? '...' : ''}`;
    cmd.argument(a.required ? `<${name}>` : `[${name}]`, a.description);
  }
  for (const o of def.options ?? []) {
    const opt = new Option(o.flags, o.description);
    if (o.default !== undefined) opt.default(o.default);
    if (o.choices) opt.choices(o.choices);
    if (o.env) opt.env(o.env);
    if (o.hidden) opt.hideHelp();
    cmd.addOption(opt);
  }
  if (def.helpText) cmd.addHelpText('after', `\n${def.helpText}`);
  for (const sub of def.subcommands ?? []) addCommand(cmd, sub, run, program);
  if (def.load) {
    cmd.action(async (...params: unknown[]) => {
      // commander passes the declared arguments, then the options, then the command.
      const command = params[params.length - 1] as Command;
      const positional = params.slice(0, params.length - 2).flatMap((p) => (p === undefined ? [] : Array.isArray(p) ? p.map(String) : [String(p)]));
      await run(def, positional, command.opts(), program.opts() as GlobalOptions);
    });
  }
}

export function buildProgram(defs: CommandDef[], version: string, run: RunAction): Command {
  const program = new Command('mr');
  program
    .description('Multi-region failover for AWS: inspect, plan, approve, apply, verify, audit.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('-c, --config <file>', 'topology file (default: mr.config.yaml)').env('MR_CONFIG'))
    .addOption(new Option('--profile <name>', 'AWS profile (default: the standard credential chain)'))
    .addOption(new Option('--endpoint-url <url>', 'send every AWS call here (emulators, the sandbox)').env('AWS_ENDPOINT_URL'))
    .addOption(
      new Option(
        '--sandbox',
        'run against an in-process sandbox with a bundled world (state under --state-dir; MR_SANDBOX_TIME_SCALE sets its speed, default 20x)',
      ),
    )
    .addOption(new Option('--world <name>', 'the bundled sandbox world: demo (default), latency, active-passive; with `sandbox serve|reset` also a world file'))
    .addOption(new Option('--json', 'results as JSON on stdout'))
    .addOption(new Option('--no-color', 'no colours (also NO_COLOR)'))
    .addOption(new Option('--debug', 'debug output and stack traces on stderr'))
    .addOption(new Option('-v, --verbose', 'plans list every check, passed ones included'))
    .addOption(new Option('--state-dir <dir>', 'audit logs, runs and sandbox state (default: $XDG_STATE_HOME/mr)'))
    .showHelpAfterError('(run with --help for usage)')
    // commander echoes an unknown option or command whole; cut it as mr's own errors are.
    .configureOutput({ outputError: (text, write) => write(cutEchoes(text)) })
    .exitOverride();
  for (const def of defs) addCommand(program, def, run, program);
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 failed or unhealthy, 2 bad input, 3 refused by a safety check, 4 declined or interrupted, 5 applied partly (resumable).',
  );
  return program;
}
