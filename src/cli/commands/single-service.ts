// What the four single-service commands (aurora, redis, traffic, ecs) share: the region argument
// checked against the topology and the hand-off of one step to the engine.
// Commands stay thin: they turn flags into one step and let the engine plan, ask, apply and audit.
import type { Topology } from '../../config/schema.js';
import type { RunSpec, StepKind } from '../../engine/types.js';
import { UsageError } from '../../io/errors.js';
import type { CommandContext } from '../types.js';
import { didYouMean } from '../../util/closest.js';

/** The region named on the command line, which must be one of the topology's. */
export async function topologyRegion(ctx: CommandContext, region: string | undefined, what = 'region'): Promise<{ topology: Topology; region: string }> {
  const topology = await ctx.loadTopology();
  if (!region) throw new UsageError(`a ${what} is required (one of ${topology.regions.join(', ')})`);
  if (!topology.regions.includes(region)) {
    throw new UsageError(`unknown ${what} "${region}": topology ${topology.name} has ${topology.regions.join(', ')}${didYouMean(region, topology.regions)}`);
  }
  return { topology, region };
}

export interface OneStep {
  command: string;
  stage: string;
  id: string;
  kind: StepKind;
  params: Record<string, unknown>;
  /** Where STS is called for the audit log's actor; the target region when another may be down. */
  region?: string;
}

/**
 * Build the one-step RunSpec and hand it to the same tail as the playbook commands (engine, run lock,
 * timing report), with the flags every mutating command takes.
 */
export async function runOneStep(ctx: CommandContext, opts: Record<string, unknown>, one: OneStep): Promise<number> {
  const spec: RunSpec = {
    command: one.command,
    ...(one.region ? { region: one.region } : {}),
    stages: [{ name: one.stage, parallel: false, steps: [{ id: one.id, kind: one.kind, params: one.params }] }],
  };
  const { runSpec } = await import('./run.js');
  return runSpec(ctx, opts, spec);
}

/** A whole number from a flag, or a UsageError naming the flag. */
export function intFlag(name: string, raw: unknown, min: number, max: number): number {
  const s = String(raw).trim();
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got "${String(raw)}")`);
  return Number(s);
}
