// mr report <run-id> [--json]: the timing report of a run again, as stored with its run record
// (computed from the record when the run ended before one was stored, e.g. it was killed).
import { computeReport, renderReport, type TimingReport } from '../../engine/report.js';
import { recordChain } from '../../engine/resume.js';
import { UsageError } from '../../io/errors.js';
import type { CommandContext, CommandHandler } from '../types.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunRecord } from '../../engine/run-record.js';
import type { FaultChange } from '../../report/run-report.js';
import { checkEndpointUrl, sandboxWorld } from '../context.js';
import { sandboxStatePath } from '../../sandbox/bundled.js';

/** The sandbox's fault history: from a running serve (--endpoint-url), else the --sandbox state file if there is one. */
async function faultHistory(ctx: CommandContext): Promise<{ events: FaultChange[] | undefined; source: string }> {
  const { endpointFaults, readFaultLog } = await import('../../sandbox/fault-control.js');
  const endpoint = checkEndpointUrl(ctx.globals.endpointUrl);
  if (endpoint) {
    try {
      return { events: await (await endpointFaults(endpoint)).log(), source: `fault history of the sandbox at ${endpoint}` };
    } catch (e) {
      // Not a sandbox (real AWS has no fault history): the report says so instead of failing.
      return { events: undefined, source: `no fault history: ${(e as Error).message}` };
    }
  }
  const statePath = sandboxStatePath(ctx.stateDir, sandboxWorld(ctx.globals).name);
  const events = await readFaultLog(statePath).catch(() => undefined);
  return { events, source: events ? `fault history of ${statePath}` : 'no sandbox state file: faults are known only for sandbox runs' };
}

async function writeHtml(ctx: CommandContext, chain: RunRecord[], file: string): Promise<void> {
  const { gatherRunReport } = await import('../../report/run-report.js');
  const { renderHtmlReport } = await import('../../report/html.js');
  const data = await gatherRunReport(chain, await faultHistory(ctx));
  const path = resolve(file);
  try {
    await writeFile(path, renderHtmlReport(data, new Date().toISOString()), { mode: 0o644 });
  } catch (e) {
    throw new UsageError(`Cannot write --html ${file}: ${(e as Error).message}`);
  }
  if (ctx.io.json) ctx.io.resultJson({ html: path, runId: data.runId });
  else ctx.io.success(`HTML report of run ${data.runId} written to ${path}`);
}

/** No run id: the newest run of this topology (of any, without one), said on stderr. */
async function latestOfTopology(ctx: CommandContext): Promise<string> {
  const { latestRunId } = await import('../../engine/run-history.js');
  const topology = await ctx.loadTopology().catch(() => undefined);
  const runId = await latestRunId(ctx.stateDir, topology?.name);
  if (!runId)
    throw new UsageError(
      `no run-id given, and no run${topology ? ` of ${topology.name}` : ''} is recorded in ${ctx.stateDir}`,
      'pass the same --state-dir as the run; mr audit list shows the runs',
    );
  ctx.io.info(`the latest run${topology ? ` of ${topology.name}` : ''}: ${runId} (mr report <run-id> for another)`);
  return runId;
}

export const report: CommandHandler = async (ctx, args, opts) => {
  const runId = args[0] ?? (await latestOfTopology(ctx));
  const chain = await recordChain(ctx.stateDir, runId);
  const last = chain[chain.length - 1];
  if (!last || last.runId !== runId)
    throw new UsageError(`no run record for ${runId} in ${ctx.stateDir}`, 'pass the same --state-dir as the run; mr audit list shows the runs');
  if (typeof opts.html === 'string') {
    await writeHtml(ctx, chain, opts.html);
    return 0;
  }
  const r: TimingReport = last.report ?? computeReport(chain);
  // The same line as the run's own `report` event (RUN-JSON.md).
  if (ctx.io.json) ctx.io.jsonLine({ type: 'report', ...r });
  else {
    const outcome = last.outcome === 'running' ? `running (no end recorded: if its process is gone, \`mr resume ${runId}\` continues it)` : last.outcome;
    ctx.io.result([...renderReport(r), `  outcome: ${outcome}${last.error ? ` (${last.error})` : ''}`].join('\n'));
  }
  return 0;
};
