// `mr status [--watch [seconds]] [--timeout d] [--json]`: gather, judge, show. Exit 0 healthy, 1 not.
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode } from '../../io/errors.js';
import { gather } from '../../inspect/gather.js';
import { isHealthy, judge } from '../../inspect/judge.js';
import { renderStatus } from '../render/status.js';
import { statusDocument } from '../render/status-json.js';
import { parseDurationFlag, parseSeconds } from '../duration.js';
import type { CommandHandler } from '../types.js';

export const DEFAULT_WATCH_SECONDS = 5;

export const status: CommandHandler = async (ctx, _args, opts) => {
  const { io } = ctx;
  const topology = await ctx.loadTopology();
  const timeoutMs = parseDurationFlag('--timeout', opts.timeout) ?? topology.timeouts.readMs;
  const watchSeconds = opts.watch === undefined ? undefined : parseSeconds('--watch', opts.watch, DEFAULT_WATCH_SECONDS);
  const aws = await ctx.aws({ requestTimeoutMs: timeoutMs });

  const read = async () => {
    const state = await gather(topology, aws, { timeoutMs });
    return { state, findings: judge(state, topology) };
  };
  const render = ({ state, findings }: Awaited<ReturnType<typeof read>>) => renderStatus(state, findings, io.style, io.columns ?? 80);

  if (watchSeconds === undefined) {
    // The spinner stops before anything is printed, so it never tears through the table.
    const spinner = io.interactive && !io.json ? io.spinner(`reading ${topology.name} in ${topology.regions.join(', ')}`) : undefined;
    let seen: Awaited<ReturnType<typeof read>>;
    try {
      seen = await read();
    } finally {
      spinner?.stop();
    }
    io.resultJson(statusDocument(seen.state, seen.findings));
    io.result(render(seen));
    return isHealthy(seen.findings) ? ExitCode.Ok : ExitCode.Failed;
  }
  let healthy = true;
  while (!ctx.signal.aborted) {
    const seen = await read();
    healthy = isHealthy(seen.findings);
    io.resultJson(statusDocument(seen.state, seen.findings));
    const text = `${render(seen)}\n\n${io.style.dim(`every ${watchSeconds}s, Ctrl-C to stop`)}`;
    if (io.frame) io.frame(text);
    else io.result(text);
    await sleep(watchSeconds * 1000, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  return healthy ? ExitCode.Ok : ExitCode.Failed;
};
