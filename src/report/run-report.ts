// Everything the HTML report of a run shows, gathered from the run records of its resume chain,
// the audit log (changes with request ids, approvals, waits, the hash of the last event) and the
// sandbox's fault history. Pure but for reading files; the rendering is in html.ts.
import { readEvents } from '../audit/read.js';
import type { AuditEvent } from '../audit/types.js';
import { computeReport, type TimingReport } from '../engine/report.js';
import type { RunRecord, StepWait } from '../engine/run-record.js';

/** A fault change as the sandbox records it (src/sandbox/fault-list.ts FaultEvent; kept structural so this layer imports no sandbox). */
export interface FaultChange {
  action: 'added' | 'cleared';
  id: string;
  description: string;
  realAt: number;
}

export interface ReportChange {
  runId: string;
  step: string;
  service: string;
  region: string;
  operation: string;
  target: string;
  /** When mr sent it (the intent) and when AWS answered (the result). */
  sentAt: string;
  answeredAt: string;
  ok: boolean;
  requestId?: string;
  error?: string;
}

/** A converged wait of the run record, with the step it belongs to. */
export type ReportWait = StepWait & { step: string };

export interface RunReportData {
  runId: string;
  runs: {
    runId: string;
    command: string;
    argv: string[];
    actor: string;
    createdAt: string;
    endedAt?: string;
    outcome: string;
    approval?: string;
    error?: string;
  }[];
  topology: string;
  playbook?: string;
  outcome: string;
  timing: TimingReport;
  changes: ReportChange[];
  waits: ReportWait[];
  approvals: { runId: string; at: string; by: string }[];
  /** Faults already in force when the chain's first run started. */
  faultsAtStart: { id: string; description: string }[];
  /** Faults added or cleared while the runs of the chain ran. */
  faultChanges: FaultChange[];
  /** Where the fault history came from, or why there is none. */
  faultSource: string;
  audit: { path: string; lastHash?: string; lastType?: string; lastAt?: string };
  window: { from: string; to: string };
}

export async function gatherRunReport(chain: RunRecord[], faults: { events: FaultChange[] | undefined; source: string }): Promise<RunReportData> {
  const last = chain[chain.length - 1];
  const timing = last.report ?? computeReport(chain);
  const ids = new Set(chain.map((r) => r.runId));
  const events: AuditEvent[] = [];
  for (const path of new Set(chain.map((r) => r.auditLog))) {
    try {
      events.push(...(await readEvents(path)).filter((e) => ids.has(e.runId)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  const changes: ReportChange[] = [];
  const sent = new Map<string, AuditEvent[]>();
  for (const e of events) {
    const d = e.data ?? {};
    const key = `${e.runId} ${String(d.step)}`;
    if (e.type === 'intent') sent.set(key, [...(sent.get(key) ?? []), e]);
    if (e.type === 'result') {
      const intent = sent.get(key)?.shift();
      const err = d.error as { code?: string; message?: string } | undefined;
      changes.push({
        runId: e.runId,
        step: String(d.step),
        service: String(d.service),
        region: String(d.region),
        operation: String(d.operation),
        target: String(d.target ?? ''),
        sentAt: intent?.ts ?? e.ts,
        answeredAt: e.ts,
        ok: d.ok === true,
        requestId:
          typeof d.requestId === 'string'
            ? d.requestId
            : typeof (d.error as { requestId?: unknown })?.requestId === 'string'
              ? String((d.error as { requestId: string }).requestId)
              : undefined,
        error: err ? `${err.code ?? 'error'}: ${err.message ?? ''}` : undefined,
      });
    }
  }
  const waits: ReportWait[] = chain.flatMap((r) => r.steps.flatMap((s) => (s.waits ?? []).map((w) => ({ ...w, step: s.id }))));
  const approvals = events.filter((e) => e.type === 'approval').map((e) => ({ runId: e.runId, at: e.ts, by: String(e.data?.by ?? 'unknown') }));
  const lastRunEvents = events.filter((e) => e.runId === last.runId);
  const lastEvent = lastRunEvents[lastRunEvents.length - 1];

  const from = chain[0]!.createdAt;
  const to = last.endedAt ?? lastEvent?.ts ?? last.updatedAt;
  const start = Date.parse(from);
  const end = Date.parse(to);
  const inForce = new Map<string, string>();
  const faultChanges: FaultChange[] = [];
  for (const f of faults.events ?? []) {
    if (f.realAt < start) {
      if (f.action === 'added') inForce.set(f.id, f.description);
      else inForce.delete(f.id);
    } else if (f.realAt <= end) faultChanges.push(f);
  }

  return {
    runId: last.runId,
    runs: chain.map((r) => ({
      runId: r.runId,
      command: r.command,
      argv: r.argv,
      actor: r.actor.arn,
      createdAt: r.createdAt,
      endedAt: r.endedAt,
      outcome: r.outcome,
      approval: r.approval,
      error: r.error,
    })),
    topology: last.topology,
    playbook: last.playbook,
    outcome: last.outcome,
    timing,
    changes,
    waits,
    approvals,
    faultsAtStart: [...inForce].map(([id, description]) => ({ id, description })),
    faultChanges,
    faultSource: faults.source,
    audit: { path: last.auditLog, lastHash: lastEvent?.hash, lastType: lastEvent?.type, lastAt: lastEvent?.ts },
    window: { from, to },
  };
}
