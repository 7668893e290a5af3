// `mr config validate [file]` and `mr config schema [--playbook]`.
import { UsageError, ExitCode } from '../../io/errors.js';
import { readTopologyText, topologyProblems } from '../../config/load.js';
import { topologyJsonSchema } from '../../config/json-schema.js';
import { topologyPath } from '../context.js';
import type { CommandHandler } from '../types.js';

export const validate: CommandHandler = async (ctx, args) => {
  const explicit = args[0] ?? ctx.globals.config;
  const { path, label } = explicit !== undefined ? { path: explicit, label: explicit } : topologyPath(ctx.globals);
  const { problems, topology } = topologyProblems(await readTopologyText(path, label), label);
  if (!topology) {
    if (!ctx.io.json) throw new UsageError(problems.join('\n'));
    ctx.io.resultJson({ file: label, valid: false, problems });
    return ExitCode.Usage;
  }
  if (ctx.io.json) ctx.io.resultJson({ file: label, valid: true, problems: [], topology: { name: topology.name, regions: topology.regions } });
  ctx.io.result(`${label}: valid topology "${topology.name}" (${topology.regions.join(', ')})`);
  return ExitCode.Ok;
};

/** The playbook file's schema lives with the playbooks; imported only when asked for. */
async function playbookJsonSchema(): Promise<unknown> {
  const { playbookJsonSchema: build } = await import('../../playbooks/schema.js');
  return build();
}

export const schema: CommandHandler = async (ctx, _args, opts) => {
  const doc = opts.playbook ? await playbookJsonSchema() : topologyJsonSchema();
  // JSON either way; exactly one of these two prints.
  ctx.io.result(JSON.stringify(doc, null, 2));
  ctx.io.resultJson(doc);
  return ExitCode.Ok;
};
