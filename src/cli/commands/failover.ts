// mr failover [region] [--unplanned]: what on-call types. Runs the bundled failover.yaml (or
// failover-unplanned.yaml) with target=<region>; with no region on a terminal, offers the regions
// with their health to choose from.
import type { Aws, Region } from '../../aws/types.js';
import type { Topology } from '../../config/schema.js';
import { UsageError } from '../../io/errors.js';
import { parseVarFlags } from '../../playbooks/params.js';
import { preparePlaybook } from '../../playbooks/prepare.js';
import { bundledPlaybook } from '../../playbooks/resolve.js';
import type { CommandContext, CommandHandler } from '../types.js';
import { runSpec, varFlags } from './run.js';
import { intFlag } from './single-service.js';

export const failover: CommandHandler = async (ctx, args, opts) => {
  const topology = await ctx.loadTopology();
  const unplanned = opts.unplanned === true;
  const vars = parseVarFlags(varFlags(opts));
  let region = args[0];
  if (vars.target !== undefined) {
    if (region !== undefined && region !== vars.target) throw new UsageError(`the region is given twice: ${region} and --var target=${vars.target}`);
    region ??= vars.target;
  }
  region ??= await chooseRegion(ctx, topology, unplanned);
  if (!topology.regions.includes(region)) {
    throw new UsageError(`unknown region "${region}": topology ${topology.name} has ${topology.regions.join(', ')}`);
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
  const { spec, skippable } = await preparePlaybook(bundledPlaybook(unplanned ? 'failover-unplanned' : 'failover'), { vars, topology, command });
  return runSpec(ctx, opts, spec, { skippable, retry: `mr ${command}` });
};

/** No region typed: on a terminal, list the regions with what serves where and how healthy each is. */
async function chooseRegion(ctx: CommandContext, topology: Topology, unplanned: boolean): Promise<Region> {
  if (!ctx.io.interactive) {
    throw new UsageError(`a target region is required (one of ${topology.regions.join(', ')})`, `e.g. mr failover ${topology.regions[1] ?? topology.regions[0]}${unplanned ? ' --unplanned' : ''}`);
  }
  const spinner = ctx.io.spinner('reading the health of each region');
  let notes: Record<Region, string>;
  let order = topology.regions;
  try {
    const read = await regionNotes(topology, await ctx.aws({ requestTimeoutMs: topology.timeouts.readMs }));
    notes = read.notes;
    if (unplanned) order = byLeastLag(topology.regions, read.lagMs);
    spinner.stop();
  } catch (e) {
    // Choosing still works without the health read; say why it is missing.
    spinner.fail(`could not read the regions' health: ${(e as Error).message}`);
    notes = Object.fromEntries(topology.regions.map((r) => [r, 'health unknown']));
  }
  return ctx.io.select(
    unplanned ? 'Fail over (unplanned, data loss allowed) to which region?' : 'Fail over to which region?',
    order.map((r) => ({ name: `${r.padEnd(16)} ${notes[r]}`, value: r })),
  );
}

/**
 * Unplanned: the secondary with the least replication lag first, as AWS advises ("Choosing the secondary
 * Region with the least replication lag can minimize data loss", aurora-global-database-disaster-recovery
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html);
 * regions whose lag is unknown follow in topology order, the writer (no lag) last.
 */
export function byLeastLag(regions: Region[], lagMs: Record<Region, number | null | 'writer'>): Region[] {
  const rank = (r: Region) => (lagMs[r] === 'writer' ? 2 : typeof lagMs[r] === 'number' ? 0 : 1);
  return [...regions].sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? (lagMs[a] as number) - (lagMs[b] as number) : 0));
}

/** One line per region: its role (writer, primary, serving), health check verdict and Aurora lag. */
async function regionNotes(topology: Topology, aws: Aws): Promise<{ notes: Record<Region, string>; lagMs: Record<Region, number | null | 'writer'> }> {
  const { gather, servingRegions } = await import('../../inspect/index.js');
  const state = await gather(topology, aws, { timeoutMs: topology.timeouts.readMs });
  const serving = servingRegions(state);
  const out: Record<Region, string> = {};
  const lagMs: Record<Region, number | null | 'writer'> = {};
  for (const r of topology.regions) {
    const parts: string[] = [];
    const hc = state.route53?.healthChecks[r];
    if (state.unreachable[r]) parts.push(`UNREACHABLE (${state.unreachable[r]})`);
    else if (hc?.ok) parts.push(hc.value.healthy ? `healthy (${hc.value.healthyCheckers}/${hc.value.checkers.length} checkers)` : `UNHEALTHY (${hc.value.healthyCheckers}/${hc.value.checkers.length} checkers)`);
    else parts.push('health unknown');
    const gc = state.aurora?.global;
    const writer = gc?.ok && gc.value.members.some((m) => m.region === r && m.isWriter);
    const lag = state.aurora?.lagMs[r];
    lagMs[r] = writer ? 'writer' : lag?.ok ? lag.value : null;
    if (writer) parts.push('Aurora writer');
    else if (typeof lagMs[r] === 'number') parts.push(`Aurora lag ${lagMs[r]} ms`);
    const ds = state.elasticache?.datastore;
    if (ds?.ok && ds.value.members.some((m) => m.region === r && m.role.toLowerCase() === 'primary')) parts.push('cache primary');
    if (serving.has(r)) parts.push('serving traffic');
    out[r] = parts.join(', ');
  }
  return { notes: out, lagMs };
}
