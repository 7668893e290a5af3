// mr apply <plan.json>: apply a plan saved with --out. The same steps are planned again from the
// live state, and the run is refused ("plan is stale", exit 3) when what the saved plan observed
// no longer holds; otherwise it is approved and applied like any run.
import { readFile } from 'node:fs/promises';
import type { Plan, RunSpec } from '../../engine/types.js';
import { parseSavedPlan } from '../../engine/stale.js';
import { UsageError } from '../../io/errors.js';
import { loadPlaybook } from '../../playbooks/load.js';
import { resolvePlaybook } from '../../playbooks/resolve.js';
import { substitute } from '../../playbooks/params.js';
import type { CommandHandler } from '../types.js';
import { runSpec } from './run.js';

export const apply: CommandHandler = async (ctx, args, opts) => {
  const file = args[0];
  if (!file) throw new UsageError('a plan file is required (saved with --out plan.json)');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read the plan (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))})`);
  }
  const plan = parseSavedPlan(text, file);
  const topology = await ctx.loadTopology();
  if (plan.topology !== topology.name) {
    throw new UsageError(`${file} is a plan for topology "${plan.topology}", not "${topology.name}"`, 'pass the --config the plan was made with');
  }
  const spec = specOf(plan);
  if (plan.region !== undefined && !topology.regions.includes(plan.region)) {
    throw new UsageError(`${file}: the plan acts in ${plan.region}, which topology ${topology.name} does not have (${topology.regions.join(', ')})`);
  }
  const region = plan.region ?? (await actingRegion(plan));
  if (region && topology.regions.includes(region)) spec.region = region;
  return runSpec(ctx, { ...opts, out: undefined }, spec, { savedPlan: plan, savedPlanFile: file });
};

/** The steps exactly as saved (what was reviewed), to be planned again against the live state. */
export function specOf(plan: Plan): RunSpec {
  return {
    command: plan.command,
    ...(plan.playbook !== undefined ? { playbook: plan.playbook } : {}),
    ...(plan.vars !== undefined ? { vars: plan.vars } : {}),
    stages: plan.stages.map((s) => ({
      name: s.name,
      parallel: s.parallel === true,
      steps: s.steps.map((t) => ({ id: t.id, kind: t.kind, params: t.params })),
    })),
  };
}

/**
 * Where the run reads its caller identity, for a plan saved before plans carried `region`: the
 * playbook's `region` (bundled playbooks resolve by name), else the target of an unplanned Aurora
 * failover (whose primary region may be down), else the engine's default.
 */
async function actingRegion(plan: Plan): Promise<string | undefined> {
  if (plan.playbook) {
    try {
      const loaded = await loadPlaybook(await resolvePlaybook(plan.playbook));
      if (loaded.playbook.region !== undefined && loaded.playbook.name === plan.playbook) {
        const params = Object.fromEntries(Object.entries(plan.vars ?? {}).map(([k, v]) => [k, loaded.playbook.params[k]?.type === 'number' ? Number(v) : v]));
        const r = substitute(loaded.playbook.region, params);
        if (typeof r === 'string') return r;
      }
    } catch {
      // A playbook given by path is not found by its name: fall through.
    }
  }
  const failover = plan.stages.flatMap((s) => s.steps).find((s) => s.kind === 'aurora.failover');
  return typeof failover?.params.target === 'string' ? failover.params.target : undefined;
}
