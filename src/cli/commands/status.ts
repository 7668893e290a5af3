// `mr status [--watch [seconds]] [--timeout d] [--dns] [--json]`: gather, judge, show. Exit 0 healthy, 1 not.
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode } from '../../io/errors.js';
import { gather } from '../../inspect/gather.js';
import { isHealthy, judge, nothingAnswered, sortFindings } from '../../inspect/judge.js';
import { activityFindings, describeActivity, lockNameKnown, startActivity } from '../../engine/activity.js';
import { renderStatus } from '../render/status.js';
import { renderDns } from '../render/dns.js';
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

  const endpoint = ctx.globals.sandbox ? 'the sandbox' : ctx.globals.endpointUrl;
  const read = async () => {
    // The lock and the runs left part way are read beside the world (issue 11 item 3). With the lock's
    // name known, the gather starts its read once the SDK is loaded (a read started earlier would load
    // it inside its bound) and in the same tick as its record reads, so it shares their listing;
    // otherwise after the gather, and not when nothing answered (it would only cost another timeout).
    let activity: ReturnType<typeof startActivity> | undefined;
    const alongside = () => void (lockNameKnown(topology, aws) && (activity = startActivity(topology, aws, ctx.stateDir, timeoutMs)));
    const state = await gather(topology, aws, { timeoutMs, alongside });
    const silent = nothingAnswered(state, endpoint) !== undefined;
    // Started here, the lock's read is not even sent when nothing answered; started alongside, it was, and its answer is dropped.
    const seenActivity = await (activity
      ? activity({ lock: !silent })
      : startActivity(topology, aws, ctx.stateDir, timeoutMs, new Date(), { readLock: !silent })());
    const findings = sortFindings([...judge(state, topology, { endpoint }), ...activityFindings(seenActivity)]);
    // --dns only: one TestDNSAnswer per record and client region, so plain status keeps its call count.
    const dns = opts.dns === true && !silent ? await (await import('../../inspect/dns.js')).readDnsAnswers(topology, aws, timeoutMs) : undefined;
    return { state, findings, activity: seenActivity, dns };
  };
  const render = ({ state, findings, activity, dns }: Awaited<ReturnType<typeof read>>) => {
    let text = renderStatus(state, findings, io.style, io.columns ?? 80, endpoint);
    if (dns) text += `\n\n${renderDns(dns, io.style, io.columns ?? 80)}`;
    const lines = describeActivity(activity);
    return lines.length ? `${text}\n\n${lines.join('\n')}` : text;
  };
  const doc = ({ state, findings, activity, dns }: Awaited<ReturnType<typeof read>>) => ({
    ...statusDocument(state, findings),
    ...(endpoint ? { endpoint } : {}),
    lock: activity.lock ?? null,
    unfinishedRun: activity.unfinished ?? null,
    ...(dns ? { dns } : {}),
  });

  if (watchSeconds === undefined) {
    // The spinner stops before anything is printed, so it never tears through the table.
    const spinner = io.interactive && !io.json ? io.spinner(`reading ${topology.name} in ${topology.regions.join(', ')}`) : undefined;
    let seen: Awaited<ReturnType<typeof read>>;
    try {
      seen = await read();
    } finally {
      spinner?.stop();
    }
    io.resultJson(doc(seen));
    io.result(render(seen));
    return isHealthy(seen.findings) ? ExitCode.Ok : ExitCode.Failed;
  }
  // Ctrl-C ends the watch at once, a read in flight included, and is a clean exit 0.
  const stopped = new Promise<undefined>((done) => ctx.signal.addEventListener('abort', () => done(undefined), { once: true }));
  while (!ctx.signal.aborted) {
    const seen = await Promise.race([read(), stopped]);
    if (!seen) break;
    io.resultJson(doc(seen));
    const text = `${render(seen)}\n\n${io.style.dim(`every ${watchSeconds}s, Ctrl-C to stop`)}`;
    if (io.frame) io.frame(text);
    else io.result(text);
    await sleep(watchSeconds * 1000, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  return ExitCode.Ok;
};
