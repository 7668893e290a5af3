// `mr check [region] [--timeout d] [--json]`: readiness for a failover. Exit 0 ready, 1 not, 2 bad input.
import { ExitCode, UsageError } from '../../io/errors.js';
import { checkReadiness } from '../../readiness/check.js';
import { renderReadiness } from '../render/readiness.js';
import { parseDurationFlag } from '../duration.js';
import type { CommandHandler } from '../types.js';

export const check: CommandHandler = async (ctx, args, opts) => {
  const topology = await ctx.loadTopology();
  const target = args[0];
  if (target !== undefined && !topology.regions.includes(target))
    throw new UsageError(`region "${target}" is not in the topology (${topology.regions.join(', ')})`);
  const timeoutMs = parseDurationFlag('--timeout', opts.timeout) ?? topology.timeouts.readMs;
  const aws = await ctx.aws({ requestTimeoutMs: timeoutMs });
  const spinner =
    ctx.io.interactive && !ctx.io.json ? ctx.io.spinner(`checking a failover of ${topology.name} to ${target ?? topology.regions.join(', ')}`) : undefined;
  let report;
  try {
    report = await checkReadiness(topology, aws, { timeoutMs, target });
  } finally {
    spinner?.stop();
  }
  ctx.io.resultJson(report);
  ctx.io.result(renderReadiness(report, ctx.io.style));
  return report.ready ? ExitCode.Ok : ExitCode.Failed;
};
