// mr report <run-id> [--json]: the timing report of a run again, as stored with its run record
// (computed from the record when the run ended before one was stored, e.g. it was killed).
import { computeReport, renderReport, type TimingReport } from '../../engine/report.js';
import { recordChain } from '../../engine/resume.js';
import { UsageError } from '../../io/errors.js';
import type { CommandHandler } from '../types.js';

export const report: CommandHandler = async (ctx, args) => {
  const runId = args[0];
  if (!runId) throw new UsageError('a run id is required', 'mr audit list shows the runs');
  const chain = await recordChain(ctx.stateDir, runId);
  const last = chain[chain.length - 1];
  if (!last || last.runId !== runId) throw new UsageError(`no run record for ${runId} in ${ctx.stateDir}`, 'pass the same --state-dir as the run; mr audit list shows the runs');
  const r: TimingReport = last.report ?? computeReport(chain);
  // The same line as the run's own `report` event (RUN-JSON.md).
  if (ctx.io.json) ctx.io.jsonLine({ type: 'report', ...r });
  else {
    const outcome = last.outcome === 'running' ? `running (no end recorded: if its process is gone, \`mr resume ${runId}\` continues it)` : last.outcome;
    ctx.io.result([...renderReport(r), `  outcome: ${outcome}${last.error ? ` (${last.error})` : ''}`].join('\n'));
  }
  return 0;
};
