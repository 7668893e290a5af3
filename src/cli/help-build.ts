// Build step (`npm run build`): write help.json beside the compiled CLI with commander's help output
// for every command, keyed by its path ("" for mr itself, "traffic shift" for a subcommand).
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { commandDefs } from './defs/index.js';
import { HELP_CACHE_URL } from './help-cache.js';
import { buildProgram } from './program.js';
import { packageVersion } from './version.js';

function collect(cmd: Command, path: string[], out: Record<string, string>): void {
  let text = '';
  // outputHelp(), not helpInformation(): it includes the text added with addHelpText().
  cmd.configureOutput({ writeOut: (s) => (text += s), getOutHelpWidth: () => 80, getOutHasColors: () => false });
  cmd.outputHelp();
  out[path.join(' ')] = text;
  for (const sub of cmd.commands) collect(sub, [...path, sub.name()], out);
}

const program = buildProgram(commandDefs, packageVersion(), async () => {});
const help: Record<string, string> = {};
collect(program, [], help);
writeFileSync(HELP_CACHE_URL, `${JSON.stringify(help)}\n`);
