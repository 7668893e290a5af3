// The fault matrices' loop, shared by every world: run the failover under one fault case (lib/fault-cases.ts),
// judge how it ended (lib/outcome.ts: completed, stopped with exit 5 saying where, or failed having changed
// nothing), check no change was accepted twice within the run, and resume a stopped run with the fault
// cleared (a run's `keep` faults stay): it must finish the failover. Returns the case's line for the summary table.
import assert from 'node:assert/strict';
import type { AuditEvent } from '../../../src/audit/types.js';
import type { FaultPatch } from '../../../src/sandbox/types.js';
import type { FaultCase } from './fault-cases.js';
import { judgeRun, type Target } from './outcome.js';
import { acceptedMutations, repeatedMutations } from './wire.js';
import type { RWorld } from './world.js';

export interface FaultRun extends Target {
  args: string[];
  /** The cut whose sends and acceptances the summary counts (e.g. SwitchoverGlobalCluster). */
  cut: string;
  /**
   * Faults that hold for the whole case, the judging and the resume included (an unplanned failover's dead
   * source region); a case's own faults must carry them too, as a patch replaces what it names.
   */
  keep?: FaultPatch;
  /** The resume's flags (default --yes); a data-loss run approves its data loss again (--allow-data-loss). */
  resumeFlags?: string[];
}

export async function runFaultCase(w: RWorld, run: FaultRun, c: FaultCase): Promise<string> {
  await w.reset();
  if (run.keep) w.sandbox.control.setFaults(run.keep);
  if (c.faults) w.sandbox.control.setFaults(c.faults);
  const started = w.start(run.args, { killAfterMs: 120_000 });
  let injected = false;
  if (c.at) {
    const at = c.at;
    await w
      .waitForEvent((events: AuditEvent[]) => events.find((e) => e.type === at.type && (at.step === undefined || e.data?.step === at.step)), started.done)
      .then(
        () => void ((injected = true), w.sandbox.control.setFaults(at.faults)),
        () => undefined, // finished before the stage: judged as it ended, and refused below
      );
  }
  const r = await started.done;
  // A stage the run never reached (a step planned as a no-op has no step.started) would make the case vacuous.
  if (c.at) assert.ok(injected, `the run never reached ${c.at.type} ${c.at.step ?? ''}: exit ${r.code}\n${r.stderr.slice(-800)}`);
  // Judged with the fault gone, so the world can be read (a slow or dead region would hide it).
  w.sandbox.control.clearFaults();
  if (run.keep) w.sandbox.control.setFaults(run.keep);
  const judged = await judgeRun(w, r, run);
  assert.deepEqual(judged.problems, [], `exit ${r.code}\n${r.stderr.slice(-1500)}`);
  // Within the run. (Its resume may legitimately redo a change the run itself undid, e.g. a
  // traffic step rolled back by a failed health gate.)
  const accepted = acceptedMutations(w.sandbox, w.recorder);
  assert.deepEqual(repeatedMutations(accepted), [], 'no change accepted twice');
  // Sent can exceed accepted: a call with no answer whose read-back shows it was not made is sent
  // once more (the resend of src/engine/step-context.ts), e.g. to a region that went down.
  const sent = w.sandbox.control.calls().filter((x) => x.operation === run.cut && x.mutating).length;
  const took = accepted.filter((m) => m.call.operation === run.cut).length;
  let line = `${c.name}: exit ${r.code} (${judged.kind}; ${run.cut} sent ${sent}x, accepted ${took}x)`;
  if (judged.kind === 'stopped') {
    const resumed = await w.mr(['resume', judged.runId!, ...(run.resumeFlags ?? ['--yes'])], { killAfterMs: 120_000 });
    assert.equal(resumed.code, 0, `resume after the fault cleared: ${resumed.stderr.slice(-1500)}`);
    assert.equal(await run.notMoved(w), '', 'the resume finishes the failover');
    line += ', resumed: exit 0, failed over';
  }
  const verify = await w.mr(['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stderr);
  return line;
}
