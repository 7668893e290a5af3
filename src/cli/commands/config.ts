// `mr config validate [file]` and `mr config schema [--playbook]`.
import { UsageError, ExitCode } from '../../io/errors.js';
import { readTopologyText, topologyProblems } from '../../config/load.js';
import { topologyJsonSchema } from '../../config/json-schema.js';
import { DEFAULT_CONFIG, DEMO_TOPOLOGY } from '../context.js';
import type { CommandHandler } from '../types.js';

export const validate: CommandHandler = async (ctx, args) => {
  const explicit = args[0] ?? ctx.globals.config;
  const [path, label] = explicit !== undefined ? [explicit, explicit] : ctx.globals.sandbox ? [DEMO_TOPOLOGY, 'demo topology.yaml'] : [DEFAULT_CONFIG, DEFAULT_CONFIG];
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

/**
 * The playbook schema. Hook for the playbooks work: replace the body with the playbook JSON Schema
 * (e.g. z.toJSONSchema of src/playbooks' schema); until then `--playbook` says it is unavailable.
 */
async function playbookJsonSchema(): Promise<Record<string, unknown>> {
  throw new UsageError('mr config schema --playbook: the playbook schema is not available in this build');
}

export const schema: CommandHandler = async (ctx, _args, opts) => {
  const doc = opts.playbook ? await playbookJsonSchema() : topologyJsonSchema();
  // JSON either way; exactly one of these two prints.
  ctx.io.result(JSON.stringify(doc, null, 2));
  ctx.io.resultJson(doc);
  return ExitCode.Ok;
};
