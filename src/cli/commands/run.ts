// mr run <playbook> --var k=v ...: run any playbook. Also the shared tail of every playbook-shaped
// command (failover, apply, resume): the engine runs the spec under the topology lock (and shows
// and stores the timing report with the run record).
import type { Plan, RunFlags, RunSpec } from '../../engine/types.js';
import { parseDurationFlag } from '../duration.js';
import { topologyLock } from '../../engine/lock.js';
import { parseVarFlags } from '../../playbooks/params.js';
import { preparePlaybook } from '../../playbooks/prepare.js';
import { PartialError, UsageError } from '../../io/errors.js';
import { withoutRoute53IfDown } from '../../playbooks/degrade.js';
import { ROUTE53_DOWN_MESSAGE } from '../../steps/route53-down.js';
import { SKIP_LAG_CHECK } from '../../steps/aurora-lag.js';
import type { CommandContext, CommandHandler } from '../types.js';

export const run: CommandHandler = async (ctx, args, opts) => {
  const name = args[0];
  if (!name) throw new UsageError('a playbook is required: a file, or the name of a bundled one (failover, failover-unplanned, drain, restore, gameday)');
  const topology = await ctx.loadTopology();
  const vars = parseVarFlags(varFlags(opts));
  const command = ['run', name, ...Object.entries(vars).map(([k, v]) => `--var ${k}=${v}`)].join(' ');
  const { spec, skippable } = await preparePlaybook(name, { vars, topology, command });
  return runSpec(ctx, opts, spec, { skippable, retry: `mr ${command}` });
};

/** The repeated --var flags (commander collects them in an array). */
export function varFlags(opts: Record<string, unknown>): string[] {
  const v = opts.var;
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export interface SpecRunOptions {
  resumeOf?: string;
  /** Runs whose lock this run may take over when their process is gone (`mr resume`). */
  successorOf?: string[];
  savedPlan?: Plan;
  savedPlanFile?: string;
  /** Steps to leave out when Route 53's control plane does not answer (playbook `skipWhen`). */
  skippable?: string[];
  /** The command that finishes the job once Route 53 answers again (shown when steps were left out). */
  retry?: string;
}

/** Run a spec through the engine with the lock. */
export async function runSpec(ctx: CommandContext, opts: Record<string, unknown>, fullSpec: RunSpec, more: SpecRunOptions = {}): Promise<number> {
  const { runMutation } = await import('../../engine/run.js');
  const topology = await ctx.loadTopology();
  const degraded = more.skippable?.length
    ? await withoutRoute53IfDown(await ctx.aws({ requestTimeoutMs: topology.timeouts.readMs }), topology, fullSpec, more.skippable)
    : { spec: fullSpec, dropped: [] as string[], reason: undefined };
  const spec = degraded.spec;
  if (degraded.dropped.length) ctx.io.warn(`${ROUTE53_DOWN_MESSAGE} (${degraded.reason}). Left out of this run: ${degraded.dropped.join(', ')}`);
  const lock = topologyLock({ noLock: opts.lock === false, successorOf: more.successorOf, warn: (m) => ctx.io.warn(m) });
  const flags = {
    yes: opts.yes === true,
    allowDataLoss: opts.allowDataLoss === true,
    dryRun: opts.dryRun === true,
    forceAudit: opts.forceAudit === true,
    // Check.override flags the operator passed; the engine records each check they override.
    overrides: opts.skipLagCheck === true ? [SKIP_LAG_CHECK] : [],
    ...(ctx.options ? { acceptedFlags: ctx.options } : {}),
    ...approvalFlags(opts),
    json: ctx.io.json,
    verbose: ctx.globals.verbose === true,
    ...(typeof opts.out === 'string' ? { out: opts.out } : {}),
  };
  const code = await runMutation(ctx, spec, flags, {
    lock,
    ...(more.resumeOf ? { resumeOf: more.resumeOf } : {}),
    ...(more.savedPlan ? { savedPlan: more.savedPlan, savedPlanFile: more.savedPlanFile } : {}),
  });
  if (code !== 0 || degraded.dropped.length === 0 || flags.dryRun) return code;
  // Everything else is done; what was left out still has to happen once Route 53 answers.
  throw new PartialError(
    `done except what needs Route 53's control plane (us-east-1), which does not answer: ${degraded.dropped.join(', ')}; DNS follows the records' health checks meanwhile (health-check-driven failover)`,
    `when Route 53 answers again, run \`${more.retry ?? 'the same command'}\`: the steps already done are skipped`,
  );
}

/** --require-approval and --approval-timeout (the engine falls back to the topology's settings). */
export function approvalFlags(opts: Record<string, unknown>): Pick<RunFlags, 'requireApproval' | 'approvalTimeoutMs'> {
  const out: Pick<RunFlags, 'requireApproval' | 'approvalTimeoutMs'> = {};
  const policy = opts.requireApproval;
  if (policy === 'any' || policy === 'destructive' || policy === 'never') out.requireApproval = policy;
  const timeout = parseDurationFlag('--approval-timeout', opts.approvalTimeout);
  if (timeout !== undefined) {
    if (timeout < 1000) throw new UsageError(`--approval-timeout: at least 1s (got ${String(opts.approvalTimeout)})`);
    out.approvalTimeoutMs = timeout;
  }
  return out;
}
