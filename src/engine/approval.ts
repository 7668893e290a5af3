// Who may approve what. The decision is pure (tested exactly); asking goes through io.
//
// Policy:
// - every step a no-op -> nothing to do, no approval; no changes at all (gates, waits) -> none either.
// - data-loss changes -> the operator types the region at risk, on a terminal, even with --yes
//   (--yes covers ordinary confirmation, not data loss); scripts pass --yes --allow-data-loss.
//   --yes alone without a terminal is a safety refusal (exit 3); no terminal, no --yes: declined (4).
// - otherwise --yes approves (and is recorded as such); a terminal gets a confirm prompt whose
//   default is No; no terminal and no --yes fails closed (exit 4, "re-run with --yes").
import { DeclinedError, RefusedError } from '../io/errors.js';
import type { Io, PromptOptions } from '../io/types.js';
import { direction } from './render/plan.js';
import type { Plan, PlannedStep, RunFlags } from './types.js';

export type ApprovalDecision =
  | { kind: 'none'; reason: 'noop' | 'no-changes' }
  | { kind: 'flag'; by: string }
  | { kind: 'confirm'; message: string }
  | { kind: 'type-region'; regions: string[]; steps: string[] }
  | { kind: 'refuse'; message: string; hint: string }
  | { kind: 'decline'; message: string; hint: string };

/**
 * `--require-approval` (as CDK's): `any` asks for every plan that changes something; `destructive` only
 * for a plan with a disruptive or data-loss change; `never` approves like --yes (and is recorded as
 * the policy, so the audit log says which rule let the run through). `source` says where it was set.
 */
export type ApprovalPolicy = 'any' | 'destructive' | 'never';
export interface PolicySetting {
  name: ApprovalPolicy;
  source: string;
}

export function approvalDecision(
  plan: Plan,
  given: Pick<RunFlags, 'yes' | 'allowDataLoss'> & { policy?: PolicySetting },
  interactive: boolean,
): ApprovalDecision {
  const steps = plan.stages.flatMap((s) => s.steps);
  const active = steps.filter((s) => !s.noop);
  if (active.length === 0) return { kind: 'none', reason: 'noop' };
  const changes = active.reduce((n, s) => n + s.changes.length, 0);
  if (changes === 0) return { kind: 'none', reason: 'no-changes' };
  const policy = given.policy;
  if (policy?.name === 'destructive' && active.every((s) => s.changes.every((c) => c.risk === 'safe'))) {
    return { kind: 'flag', by: `policy destructive (${policy.source}): no change is disruptive or loses data` };
  }
  // `never` is --yes by another name: data loss still needs --allow-data-loss.
  const byPolicy = policy?.name === 'never' && !given.yes;
  const flags = byPolicy ? { ...given, yes: true } : given;
  const policyBy = byPolicy ? `policy never (${policy.source})` : '';
  const yesBy = (what: string) => (!byPolicy ? what : what.includes('--allow-data-loss') ? `${policyBy} and flag --allow-data-loss` : policyBy);

  const lossy = active.filter((s) => s.changes.some((c) => c.risk === 'data-loss'));
  if (lossy.length > 0) {
    const ids = lossy.map((s) => s.id);
    if (flags.yes && flags.allowDataLoss) return { kind: 'flag', by: yesBy('flags --yes --allow-data-loss') };
    if (interactive) return { kind: 'type-region', regions: dataLossRegions(lossy, plan.topology), steps: ids };
    if (flags.yes) {
      return {
        kind: 'refuse',
        message: `${ids.join(', ')} may lose data and --yes alone does not approve that`,
        hint: 're-run with --yes --allow-data-loss to accept the data loss',
      };
    }
    return { kind: 'decline', message: 'approval needed and there is no terminal to ask on; nothing was applied', hint: 're-run with --yes --allow-data-loss' };
  }

  if (flags.yes) return { kind: 'flag', by: yesBy('flag --yes') };
  if (interactive) return { kind: 'confirm', message: confirmMessage(plan.topology, changes, active.length, direction(plan)) };
  return { kind: 'decline', message: 'approval needed and there is no terminal to ask on; nothing was applied', hint: 're-run with --yes' };
}

/** The prompt names the direction when the plan moves something between regions. */
export function confirmMessage(topology: string, changes: number, steps: number, dir?: string): string {
  return `Apply ${changes} change${changes === 1 ? '' : 's'} in ${steps} step${steps === 1 ? '' : 's'} to ${topology}${dir ? ` (${dir})` : ''}?`;
}

export function typeRegionMessage(region: string, steps: string[]): string {
  return `${steps.join(', ')} may lose data in ${region}. Type ${region} to apply:`;
}

function dataLossRegions(steps: PlannedStep[], fallback: string): string[] {
  const regions = steps.flatMap((s) => s.changes.filter((c) => c.risk === 'data-loss').map((c) => c.region ?? s.region ?? fallback));
  return [...new Set(regions)];
}

/**
 * Carry out the decision: ask where it says to ask. Resolves with how the plan was approved (for
 * the audit log), or null when no approval was needed; throws RefusedError / DeclinedError.
 */
export async function obtainApproval(io: Io, decision: ApprovalDecision, prompt: PromptOptions = {}): Promise<string | null> {
  switch (decision.kind) {
    case 'none':
      return null;
    case 'flag':
      io.info(`approved by ${decision.by}`);
      return decision.by;
    case 'refuse':
      throw new RefusedError(decision.message, decision.hint);
    case 'decline':
      throw new DeclinedError(decision.message, decision.hint);
    case 'confirm':
      if (!(await io.confirm(decision.message, false, prompt))) throw new DeclinedError('declined; nothing was applied');
      return 'prompt';
    case 'type-region':
      for (const region of decision.regions) {
        const typed = (await io.input(typeRegionMessage(region, decision.steps), prompt)).trim();
        if (typed !== region) throw new DeclinedError(`typed "${typed}", not ${region}; nothing was applied`);
      }
      return `typed ${decision.regions.join(', ')}`;
  }
}
