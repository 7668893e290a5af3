// mr failover [region] [--unplanned]: what on-call types. Runs the bundled failover.yaml (or
// failover-unplanned.yaml) with target=<region>; with no region on a terminal, offers the regions
// with their health to choose from.
import type { Region } from '../../aws/types.js';
import type { ObservedState } from '../../inspect/types.js';
import type { Topology } from '../../config/schema.js';
import { RefusedError, UsageError } from '../../io/errors.js';
import { parseVarFlags } from '../../playbooks/params.js';
import { preparePlaybook } from '../../playbooks/prepare.js';
import { bundledPlaybook } from '../../playbooks/resolve.js';
import type { CommandContext, CommandHandler } from '../types.js';
import { runSpec, varFlags } from './run.js';
import { intFlag } from './single-service.js';
import { didYouMean } from '../../util/closest.js';

export const failover: CommandHandler = async (ctx, args, opts) => {
  const topology = await ctx.loadTopology();
  const unplanned = opts.unplanned === true;
  const playbook = failoverPlaybook(topology, unplanned);
  const vars = parseVarFlags(varFlags(opts));
  let region = args[0];
  if (vars.target !== undefined) {
    if (region !== undefined && region !== vars.target) throw new UsageError(`the region is given twice: ${region} and --var target=${vars.target}`);
    region ??= vars.target;
  }
  // The chooser reads every region; so does a planned failover's check that the target is not
  // already primary. An unplanned one calls only the target region (its source is down), so it skips that check.
  const state = region === undefined ? (ctx.io.interactive ? await readState(ctx, topology) : undefined) : undefined;
  region ??= await chooseRegion(ctx, topology, unplanned, state);
  if (!topology.regions.includes(region)) {
    throw new UsageError(`unknown region "${region}": topology ${topology.name} has ${topology.regions.join(', ')}${didYouMean(region, topology.regions)}`);
  }
  if (!unplanned) {
    const { holderOfEveryRole } = await import('../../inspect/roles.js');
    const now = state ?? (await readState(ctx, topology, region));
    if (now && holderOfEveryRole(now) === region) {
      ctx.io.success(`${region} is already primary (Aurora writer, cache primary, all of the traffic): nothing to fail over`);
      return 0;
    }
  }
  vars.target = region;
  if (opts.maxLag !== undefined) {
    if (unplanned) throw new UsageError('--max-lag applies to the planned failover (an unplanned one shows the lag as the data at risk)');
    vars.maxLagMs = String(intFlag('--max-lag', opts.maxLag, 0, 86_400_000));
  }
  if (unplanned) {
    // A warning only: the data-loss step still needs the typed region (or --yes --allow-data-loss).
    const { primaryLooksUp } = await import('../../inspect/index.js');
    const warning = await primaryLooksUp(topology, await ctx.aws({ requestTimeoutMs: topology.timeouts.readMs }), region, topology.timeouts.readMs);
    if (warning) ctx.io.warn(warning);
  }
  const command = `failover ${region}${unplanned ? ' --unplanned' : ''}`;
  const { spec, skippable } = await preparePlaybook(bundledPlaybook(playbook), { vars, topology, command });
  return runSpec(ctx, opts, spec, { skippable, retry: `mr ${command}` });
};

/**
 * The bundled playbook for the topology: Aurora's (global database); with RDS read replicas and no Aurora,
 * the active-passive one for DB instances (rds.instances) or for read replica clusters (rds.clusters only).
 * A topology with both forms is refused: one bundled playbook promotes one form, and promoting only one
 * would leave the other database writable in the old region only.
 */
export function failoverPlaybook(topology: Topology, unplanned: boolean): string {
  const rds = topology.rds;
  const instances = Object.keys(rds?.instances ?? {}).length > 0;
  const clusters = Object.keys(rds?.clusters ?? {}).length > 0;
  if (rds && !topology.aurora && instances && clusters)
    throw new UsageError(
      `topology ${topology.name} has both rds.instances and rds.clusters, and mr failover promotes one form: run a playbook that promotes both (steps rds.promote-replica and rds.promote-replica-cluster) with mr run <file> --var target=<region>`,
    );
  const base = !rds || topology.aurora ? 'failover' : clusters ? 'active-passive-cluster-failover' : 'active-passive-failover';
  return unplanned ? `${base}-unplanned` : base;
}

/** No region typed: on a terminal, list the regions with their roles and health; the current primary, unreachable and rebuilding regions cannot be picked. */
async function chooseRegion(ctx: CommandContext, topology: Topology, unplanned: boolean, state: ObservedState | undefined): Promise<Region> {
  if (!ctx.io.interactive) {
    throw new UsageError(
      `a target region is required (one of ${topology.regions.join(', ')})`,
      `e.g. mr failover ${topology.regions[1] ?? topology.regions[0]}${unplanned ? ' --unplanned' : ''}`,
    );
  }
  const message = unplanned ? 'Fail over (unplanned, data loss allowed) to which region?' : 'Fail over to which region?';
  if (!state)
    return ctx.io.select(
      message,
      topology.regions.map((r) => ({ name: `${r.padEnd(16)} health unknown`, value: r })),
    );
  const { failoverTargets } = await import('../../inspect/roles.js');
  const { choices, default: first } = failoverTargets(state, { leastLagFirst: unplanned });
  if (!first) throw new RefusedError(`no region to fail over to: ${choices.map((c) => `${c.region} ${c.disabled}`).join(', ')}`);
  return ctx.io.select(
    message,
    choices.map((c) => ({ name: `${c.region.padEnd(16)} ${c.note}`, value: c.region, ...(c.disabled ? { disabled: `(${c.disabled})` } : {}) })),
    first,
  );
}

/**
 * Every region at once (reads only); undefined, with the reason shown, when the read fails. With a
 * `candidate` (a typed region), only where the roles are (src/inspect/gather-roles.ts): the plan reads the rest.
 */
async function readState(ctx: CommandContext, topology: Topology, candidate?: Region): Promise<ObservedState | undefined> {
  const spinner = ctx.io.interactive ? ctx.io.spinner(candidate ? 'reading where each role is' : 'reading the health of each region') : undefined;
  try {
    const aws = await ctx.aws({ requestTimeoutMs: topology.timeouts.readMs });
    const opts = { timeoutMs: topology.timeouts.readMs };
    const state = candidate
      ? await (await import('../../inspect/gather-roles.js')).gatherRoles(topology, aws, candidate, opts)
      : await (await import('../../inspect/index.js')).gather(topology, aws, opts);
    spinner?.stop();
    return state;
  } catch (e) {
    // Choosing still works without the health read; say why it is missing.
    if (spinner) spinner.fail(`could not read the regions' health: ${(e as Error).message}`);
    return undefined;
  }
}
