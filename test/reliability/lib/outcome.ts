// Judging how a failover run under faults ended. Allowed: it completed (exit 0, everything moved), or
// it stopped with exit 5, a final line saying at which step, `mr resume <id>`, and a run record that says
// partial; or it failed (any other exit) having changed nothing but its own lock. Anything else is
// a silent partial. `judgeRun` takes the world's target (what "fully moved" is, which steps a stop may name);
// the demo's is the default.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { failedOverToEuw1, worldState } from '../../e2e/playbook-harness.js';
import type { MrResult } from '../../helpers/run-mr.js';
import { acceptedMutations } from './wire.js';
import type { RWorld } from './world.js';

export const STEP_IDS = ['target-healthy', 'scale-target', 'switch-db', 'promote-cache', 'shift-traffic'];

/** What a finished failover is in a world, and the steps a stopped run may name. */
export interface Target {
  /** '' when the world is where a finished failover leaves it, else where it is. */
  notMoved(w: RWorld): Promise<string>;
  steps: string[];
}

/** Where the world is, compared with a finished failover to eu-west-1; '' when fully moved. */
export async function notMoved(w: RWorld): Promise<string> {
  const s = await worldState(w.aws);
  const got = { writer: s.writer, auroraStatus: s.auroraStatus, cachePrimary: s.cachePrimary, cacheStatus: s.cacheStatus, weights: s.weights };
  const ecs = s.ecs['eu-west-1'];
  const want = { api: { desired: 6, running: 6 }, worker: { desired: 4, running: 4 } };
  if (isDeepStrictEqual(got, failedOverToEuw1) && isDeepStrictEqual(ecs, want)) return '';
  return `world is ${JSON.stringify({ ...got, ecs })}`;
}

/** Changes the sandbox accepted, other than the run lock's own TXT record. */
export function worldChanges(w: RWorld): string[] {
  return acceptedMutations(w.sandbox, w.recorder)
    .filter((m) => !m.key.includes('_mr-lock'))
    .map((m) => `${m.call.service} ${m.call.region} ${m.call.operation}`);
}

export interface Judged {
  kind: 'completed' | 'stopped' | 'failed clean';
  runId?: string;
  problems: string[];
}

export const DEMO_TARGET: Target = { notMoved: (w) => notMoved(w), steps: STEP_IDS };

export async function judgeRun(w: RWorld, r: MrResult, target: Target = DEMO_TARGET): Promise<Judged> {
  const problems: string[] = [];
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  if (/^ {4}at /m.test(r.stdout + r.stderr)) problems.push('a stack trace was printed');
  if (r.code === 0) {
    const moved = await target.notMoved(w);
    if (moved) problems.push(`exit 0 but ${moved} (a silent partial)`);
    return { kind: 'completed', problems };
  }
  if (r.code === 5) {
    const runId = /mr resume (\S+)/.exec(r.stderr)?.[1];
    // Progress may have reported the failing step already; the run's own verdict is one line, last.
    const verdicts = errors.filter((l) => /^error: (stopped|interrupted|done except)/.test(l));
    if (verdicts.length !== 1 || verdicts[0] !== errors[errors.length - 1])
      problems.push(`exit 5 without one final line saying where it stopped: ${JSON.stringify(errors)}`);
    else if (!target.steps.some((id) => verdicts[0].includes(id))) problems.push(`exit 5 but the error does not say at which step: ${verdicts[0]}`);
    if (!runId) problems.push('exit 5 without `mr resume <run-id>`');
    else {
      const record = JSON.parse(await readFile(join(w.stateDir, 'runs', `${runId}.json`), 'utf8').catch(() => '{}')) as { outcome?: string };
      if (record.outcome !== 'partial' && record.outcome !== 'interrupted')
        problems.push(`exit 5 but the run record says ${record.outcome ?? 'nothing (missing)'}`);
    }
    return { kind: 'stopped', runId, problems };
  }
  const changed = worldChanges(w);
  if (changed.length > 0) problems.push(`exit ${r.code ?? r.signal} with changes applied (a silent partial): ${changed.join(', ')}`);
  if (errors.length === 0) problems.push(`exit ${r.code ?? r.signal} without an error line: ${r.stderr.slice(-300)}`);
  return { kind: 'failed clean', problems };
}
