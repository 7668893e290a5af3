// `mr health [region] [--json]`: each health check in detail. Exit 0 when every check shown is
// healthy, 1 when any is failing or cannot be read, 2 for an unknown region.
import { ExitCode, UsageError } from '../../io/errors.js';
import { readHealthChecks } from '../../inspect/health.js';
import { renderHealth } from '../render/health.js';
import { parseDurationFlag } from '../duration.js';
import type { CommandHandler } from '../types.js';
import { didYouMean } from '../../util/closest.js';

export const health: CommandHandler = async (ctx, args, opts) => {
  const topology = await ctx.loadTopology();
  const region = args[0];
  const checks = topology.route53?.healthChecks ?? {};
  if (region !== undefined && !topology.regions.includes(region)) {
    throw new UsageError(`region "${region}" is not in the topology (${topology.regions.join(', ')})${didYouMean(region, topology.regions)}`);
  }
  if (region !== undefined && checks[region] === undefined) throw new UsageError(`the topology names no health check for ${region}`);
  const timeoutMs = parseDurationFlag('--timeout', opts.timeout) ?? topology.timeouts.readMs;
  const aws = await ctx.aws({ requestTimeoutMs: timeoutMs });
  const result = await readHealthChecks(topology, aws, { timeoutMs, lastFailures: true, regions: region ? [region] : undefined });
  const healthy = Object.values(result).every((o) => o.ok && o.value.healthy);
  // --json: { version: 1, healthy, healthChecks: [{ region, ok, value | error, unreachable }] }
  ctx.io.resultJson({ version: 1, healthy, healthChecks: Object.entries(result).map(([r, o]) => ({ region: r, ...o })) });
  ctx.io.result(renderHealth(result, ctx.io.style, ctx.io.columns ?? 80));
  return healthy ? ExitCode.Ok : ExitCode.Failed;
};
