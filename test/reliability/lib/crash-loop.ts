// The crash matrices' loop, shared by every world: start the run, SIGKILL it when its audit log reaches a
// kill point, `mr resume <run-id>`, then judge: the world where an uninterrupted run leaves it, no mutation
// accepted twice on the wire (wire.ts), the audit log verifying, and the lock free.
import type { AuditEvent } from '../../../src/audit/types.js';
import { acceptedMutations, repeatedMutations } from './wire.js';
import type { RWorld } from './world.js';

export interface KillPoint {
  label: string;
  type: string;
  step?: string;
}

const isBoundary = (e: AuditEvent) => ['lock.acquired', 'step.started', 'step.succeeded', 'step.skipped'].includes(e.type);

/** Every boundary of an uninterrupted run, in the order they happened, plus each step's first change. */
export function boundaryPoints(events: AuditEvent[]): KillPoint[] {
  const points: KillPoint[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    const step = typeof e.data?.step === 'string' ? e.data.step : undefined;
    const firstChange = e.type === 'intent' && step !== undefined && step !== 'lock';
    if (!isBoundary(e) && !firstChange) continue;
    const label = `${e.type === 'intent' ? 'first change of' : e.type} ${step ?? ''}`.trim();
    if (seen.has(label)) continue;
    seen.add(label);
    points.push({ label, type: e.type, step });
  }
  return points;
}

export const firstChangeOf = (step: string): KillPoint => ({ label: `first change of ${step}`, type: 'intent', step });
export const boundary = (type: string, step?: string): KillPoint => ({ label: `${type}${step ? ` ${step}` : ''}`, type, step });

export interface CrashRun {
  /** The command that is killed. */
  args: string[];
  /** Flags the resume needs besides the run id and --yes (e.g. --allow-data-loss). */
  resumeFlags?: string[];
  /** After the world's reset, before the run: faults, or an earlier run the killed one follows. Its calls are not counted. */
  setup?: (w: RWorld) => Promise<void>;
  /** '' when the world is where an uninterrupted run leaves it, else what differs. */
  endState: (w: RWorld) => Promise<string>;
  /** More problems to report after the resume (e.g. a call to a region that is down). */
  extra?: (w: RWorld) => string[];
}

/** Kill the run at `point`, resume it, and return what went wrong ('' entries never; empty when all held). */
export async function killAndResume(w: RWorld, run: CrashRun, point: KillPoint): Promise<string[]> {
  const where = `killed at ${point.label}`;
  await w.reset();
  await run.setup?.(w);
  w.sandbox.control.clearCalls();
  w.recorder.requests.length = 0;
  // The setup's own events (an earlier run may have steps of the same name) are not the killed run's.
  const seen = (await w.events()).length;
  const started = w.start(run.args);
  const matches = (events: AuditEvent[]) => events.slice(seen).find((e) => e.type === point.type && (point.step === undefined || e.data?.step === point.step));
  const hit = await w.waitForEvent(matches, started.done).catch(() => undefined);
  started.child.kill('SIGKILL');
  const killed = await started.done;
  if (!hit || killed.signal !== 'SIGKILL')
    return [`${where}: the run ended by itself (exit ${killed.code}) before the kill: ${killed.stderr.trim().split('\n').slice(-2).join(' / ')}`];
  const resumed = await w.mr(['resume', hit.runId, '--yes', ...(run.resumeFlags ?? [])]);
  if (resumed.code !== 0) return [`${where}: resume exited ${resumed.code}: ${resumed.stderr.trim().split('\n').slice(-3).join(' / ')}`];
  const problems: string[] = [];
  const off = await run.endState(w);
  if (off) problems.push(`${where}: ${off}`);
  const repeated = repeatedMutations(acceptedMutations(w.sandbox, w.recorder));
  if (repeated.length > 0) problems.push(`${where}: mutations accepted twice:\n    ${repeated.join('\n    ')}`);
  problems.push(...(run.extra?.(w) ?? []).map((p) => `${where}: ${p}`));
  const verify = await w.mr(['audit', 'verify']);
  if (verify.code !== 0) problems.push(`${where}: audit verify exited ${verify.code}: ${verify.stdout}${verify.stderr}`);
  const lock = await w.mr(['lock', 'status']);
  if (!/not locked/.test(lock.stdout)) problems.push(`${where}: the lock is still held: ${lock.stdout}`);
  return problems;
}

/** Each point in turn (a fresh world every time); every problem found, for one assertion. */
export async function crashMatrix(w: RWorld, run: CrashRun, points: KillPoint[]): Promise<string> {
  const problems: string[] = [];
  for (const point of points) problems.push(...(await killAndResume(w, run, point)));
  return problems.join('\n');
}
