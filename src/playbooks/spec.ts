// A loaded playbook plus the command line's vars -> the engine's RunSpec.
import { UsageError } from '../io/errors.js';
import type { LoadedPlaybook } from './load.js';
import { describeProblem } from './load.js';
import { MissingParamError, resolveParams, substitute, varsAsStrings } from './params.js';
import { checkStepParams } from '../steps/index.js';
import type { RunSpec } from '../engine/types.js';

export interface ToSpecOptions {
  /** The command line as the operator would retype it, e.g. "failover eu-west-1". */
  command: string;
  vars: Record<string, string>;
  regions: string[];
}

/** Step ids the playbook lets the run leave out when Route 53's control plane does not answer. */
export function skippableSteps(loaded: LoadedPlaybook): string[] {
  return loaded.playbook.stages
    .flatMap((s) => s.steps)
    .filter((s) => s.skipWhen === 'route53-unreachable')
    .map((s) => s.id);
}

export function toRunSpec(loaded: LoadedPlaybook, opts: ToSpecOptions): RunSpec {
  const { file, playbook } = loaded;
  const params = resolveParams(file, playbook, opts.vars, opts.regions);
  const stages = playbook.stages.map((stage, si) => ({
    name: stage.name,
    parallel: stage.parallel,
    steps: stage.steps.map((step, ti) => {
      const base = ['stages', si, 'steps', ti, 'with'];
      let withValues: Record<string, unknown>;
      try {
        withValues = (substitute(step.with, params) ?? {}) as Record<string, unknown>;
      } catch (e) {
        if (!(e instanceof MissingParamError)) throw e;
        const path = [...base, ...e.path];
        throw new UsageError(describeProblem(loaded.where(path), step.id, path, e.message));
      }
      const problem = checkStepParams(step.kind, withValues, opts.regions)[0];
      if (problem) {
        const path = [...base, ...problem.path];
        throw new UsageError(describeProblem(loaded.where(path), step.id, path, problem.message));
      }
      return { id: step.id, kind: step.kind, params: withValues };
    }),
  }));
  const spec: RunSpec = { command: opts.command, playbook: playbook.name, vars: varsAsStrings(params), stages };
  if (playbook.region !== undefined) {
    let region: unknown;
    try {
      region = substitute(playbook.region, params);
    } catch (e) {
      if (!(e instanceof MissingParamError)) throw e;
      throw new UsageError(describeProblem(loaded.where(['region']), undefined, ['region'], e.message));
    }
    if (typeof region !== 'string' || !opts.regions.includes(region)) {
      throw new UsageError(
        describeProblem(
          loaded.where(['region']),
          undefined,
          ['region'],
          `region ${JSON.stringify(region ?? null)} is not in the topology (${opts.regions.join(', ')})`,
        ),
      );
    }
    spec.region = region;
  }
  return spec;
}
