// The step contract: what the engine (runner, approval, choke point, audit) and the step kinds (one
// file each in src/steps) agree on. It lives with the steps so the arrows point down: the engine
// imports it, the steps import nothing from the engine.
//
// A step kind is written typed, with defineStep(): its parameters are a zod schema, plan() gets them
// parsed, apply()/verify()/rpo() get the PlannedStep<D> that plan() made. defineStep() is the one
// place where those types are erased into the StepImpl the engine runs.
import type { z } from 'zod';
import type { Aws, MutatingAws, ReadAws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { UsageError } from '../io/errors.js';
import { paramProblems, type ParamEnv, type ParamProblem } from './params.js';

export type Risk = 'safe' | 'disruptive' | 'data-loss';

export interface Change {
  resource: string; // e.g. "aurora global cluster demo-global", "ecs demo-euw1/api"
  attribute: string; // e.g. "writer", "desiredCount", "weight euw1"
  from: unknown;
  to: unknown;
  risk: Risk;
  region?: Region;
  /** `to` names a value that does not exist yet (an endpoint of an instance an earlier step builds): read when the step is reached. */
  toWhenReached?: boolean;
}

export interface Check {
  name: string; // e.g. "target lag under bound"
  passed: boolean;
  observed?: unknown;
  bound?: unknown;
  /** One line for the operator, e.g. "eu-west-1 lag 2400 ms is above the bound 1000 ms". */
  message: string;
  /** The flag that overrides a failed check, where one may (e.g. "--skip-lag-check"); absent = no override. */
  override?: string;
  /** When the failed check means another command fits (e.g. "--unplanned" when the source region is down). */
  instead?: string;
  /** Passed, but worth the operator's eye (data at risk): shown as a warning, never a green tick. */
  warning?: boolean;
}

/** What apply needs, computed at plan time: plain JSON (it is saved in plan files and run records). */
export type StepData = Record<string, unknown>;

export interface PlannedStep<D extends StepData = StepData> {
  id: string; // unique in the plan, stable across re-plans of the same playbook (e.g. "switch-db")
  kind: string; // a StepKind (src/steps/index.ts); plain string here so this file needs no registry
  title: string; // one line: "Switch over Aurora demo-global to eu-west-1"
  region?: Region; // the region its calls go to
  params: Record<string, unknown>; // as given (playbook/flags), plain JSON
  changes: Change[];
  checks: Check[];
  /** The resource is already where it should be: nothing to apply, nothing to verify. */
  noop: boolean;
  /** The change was already started (e.g. a switchover in progress toward the target): apply makes no call, verify waits. */
  inProgress?: boolean;
  data: D;
  /** The observed values this step's plan depends on; hashed into the plan's fingerprint. */
  observed: Record<string, unknown>;
  /**
   * Planned when reached (why, one line): the step acts on what an earlier step of the same run builds
   * (a replica rds.create-replica makes), so its changes here name what it will do, and the engine plans
   * it again from the live state when the run reaches it (src/engine/deferred.ts): a change that plan
   * makes and the approved one did not name, a riskier one, or a failed check stops the run there.
   */
  deferred?: string;
}

/** What a typed plan() returns: defineStep() adds the id, kind and params as given. */
export type StepPlan<D extends StepData> = Omit<PlannedStep<D>, 'id' | 'kind' | 'params'>;

export interface RunFlags {
  yes: boolean;
  allowDataLoss: boolean;
  dryRun: boolean;
  /** Overrides named by Check.override that the operator passed (e.g. "--skip-lag-check"). */
  overrides?: string[];
  /** How long an approval prompt waits for an answer (default: the topology's timeouts.approval). */
  approvalTimeoutMs?: number;
  /** The flags the command accepts: refusals name only these as overrides (undefined: any). */
  acceptedFlags?: string[];
  /** --require-approval; default: the topology's requireApproval (any). */
  requireApproval?: 'any' | 'destructive' | 'never';
  /** --force-audit: append to an audit log whose chain no longer verifies. */
  forceAudit?: boolean;
}

/** What a step's plan() gets: read-only access to the world (ReadAws has no mutating method). */
export interface PlanContext {
  topology: Topology;
  aws: ReadAws;
  flags: RunFlags;
  /**
   * The steps of the same plan planned before this one, in order (a parallel stage's siblings are not
   * among them). Absent when a step is planned again as the run reaches it: the live state then holds
   * what those steps did.
   */
  earlier?: readonly PlannedStep[];
}

/** The audit log's record of one mutating call; written by the AWS layer's choke point (src/aws/mutation.ts). */
export type { MutateOptions, MutationCall } from '../aws/types.js';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** The operation's typical duration: the wait polls sparsely until near it (src/engine/poll-schedule.ts). */
  expectedMs?: number;
}

/** What a run holds: a PlanContext whose Aws can also mutate, given an audit sink (the engine's). */
export interface RunBaseContext extends PlanContext {
  aws: Aws;
}

/** What a step's apply()/verify() get. No io, no process: progress goes through report(). */
export interface StepContext extends PlanContext {
  runId: string;
  /**
   * THE choke point: the adapters' mutating methods, bound to this step's audit sink. Each call
   * writes its intent (from the SDK command sent) and its result (with the request id), e.g.
   * `ctx.mutating.ecs(region).updateDesiredCount(cluster, name, 6, { reconcile, resend: true })`.
   * `ctx.aws` reads only.
   */
  mutating: MutatingAws;
  /** Poll until probe says done; throws a timeout error naming `what` and the last detail. */
  waitFor<T = void>(what: string, probe: () => Promise<{ done: boolean; detail: string; value?: T }>, opts?: WaitOptions): Promise<T>;
  /** Progress text for the spinner ("writer: us-east-1, status switching-over"). */
  report(text: string): void;
  /**
   * The change converged but something the operator must know did not (the Aurora global writer endpoint
   * still names the old writer): the step is verified with this warning, shown now, written to the audit
   * log (step.warning) and kept in the run record and the timing report. Not an error: the run goes on.
   */
  warn(message: string): Promise<void>;
  /** What verify confirmed beyond the change itself (the global writer endpoint names the new writer): audited (step.note), kept in the run record and the report. */
  note(message: string): Promise<void>;
  /** Sleep that ends early on abort. */
  sleep(ms: number): Promise<void>;
  signal: AbortSignal;
  /** The operator's answer for `approval` steps (engine asks through io). */
  approve(message: string): Promise<void>;
}

/**
 * A data cut's bound on lost writes, for the timing report's RPO. `tier: 'data'` is the database of
 * record (Aurora, RDS), whose cut decides the run's RPO; `'cache'` counts only in a run with no such cut.
 */
export interface RpoBound {
  boundMs: number;
  tier: 'data' | 'cache';
  /** One sentence on what the bound means for this cut. */
  note: string;
}

/** The bound where the step read a lag (ms), none where it could not. */
export function rpoBound(ms: number | null | undefined, note: string, tier: RpoBound['tier'] = 'data'): RpoBound | undefined {
  return typeof ms === 'number' ? { boundMs: ms, tier, note } : undefined;
}

/** The erased face of a step kind: what the engine runs. */
export interface StepImpl {
  kind: string;
  /** Compute changes and checks from the live state. Reads only. */
  plan(id: string, params: Record<string, unknown>, ctx: PlanContext): Promise<PlannedStep>;
  /** Make the change (through ctx.mutate). Not called for noop or inProgress steps. */
  apply(step: PlannedStep, ctx: StepContext): Promise<void>;
  /** Wait until the change has converged. Not called for noop steps. */
  verify(step: PlannedStep, ctx: StepContext): Promise<void>;
  /** The most committed data the step's change can lose, where it has such a bound (the timing report's RPO). */
  rpo?(step: Pick<PlannedStep, 'data'>): RpoBound | undefined;
  /**
   * Whether this step, when it starts, ends a simulated outage (a game day clearing the fault it
   * injected): the timing report measures recovery up to it, not the restore after it.
   */
  endsOutage?(step: Pick<PlannedStep, 'data'>): boolean;
  /**
   * After an interrupt, for a step that was in flight having made a change: one clause on where it
   * left the world ("AWS carries the switchover on by itself", "weights left at ..."). Reads only.
   */
  interrupted?(step: PlannedStep, ctx: PlanContext): Promise<string | undefined>;
  /**
   * Re-read, just before the step's stage starts, what the operator approved (an unplanned cut's data at
   * risk, src/steps/cut-lag.ts). Reads only. Throws to stop the run before the stage (nothing of it
   * starts); may ask the operator again through `ask`; resolves with a note worth showing, if any.
   */
  recheck?(step: PlannedStep, ctx: PlanContext, ask: RecheckAsk): Promise<string | undefined>;
}

/** How a recheck asks the operator again: only on a terminal; ask() rejects when declined. */
export interface RecheckAsk {
  interactive: boolean;
  ask(message: string): Promise<void>;
}

/** A registered step kind: the engine's StepImpl plus what playbooks validate `with:` against. */
export interface StepDef<K extends string = string> extends StepImpl {
  kind: K;
  /** The parameter schema for a topology's regions. */
  params(env: ParamEnv): z.ZodObject;
  /** Problems with these parameters (none: they are valid), for playbook load and plan time alike. */
  check(params: Record<string, unknown>, env: ParamEnv): ParamProblem[];
}

export interface StepSpec<K extends string, S extends z.ZodObject, D extends StepData> {
  kind: K;
  params(env: ParamEnv): S;
  plan(id: string, p: z.output<S>, ctx: PlanContext): Promise<StepPlan<D>>;
  apply(step: PlannedStep<D>, ctx: StepContext): Promise<void>;
  verify(step: PlannedStep<D>, ctx: StepContext): Promise<void>;
  rpo?(step: Pick<PlannedStep<D>, 'data'>): RpoBound | undefined;
  endsOutage?(step: Pick<PlannedStep<D>, 'data'>): boolean;
  interrupted?(step: PlannedStep<D>, ctx: PlanContext): Promise<string | undefined>;
  recheck?(step: PlannedStep<D>, ctx: PlanContext, ask: RecheckAsk): Promise<string | undefined>;
}

/** A bad parameter or a topology that lacks what the step needs: names the step, before any call. */
export function stepUsageError(kind: string, id: string, problem: string): UsageError {
  return new UsageError(`step "${id}" (${kind}): ${problem}`);
}

/** One problem as a plan-time sentence: `"maxLagMs" must be ...`, `unknown parameter "x" (allowed: ...)`. */
function planSentence(p: ParamProblem): string {
  const key = p.path[0];
  if (p.code === 'unknown') return `unknown parameter "${key}" (allowed: ${p.allowed.join(', ')})`;
  if (p.code === 'missing') return `"${key}" is required: "${key}" ${p.must}`;
  if (p.code === 'rule' || key === undefined) return p.message;
  return p.message.startsWith('must ') ? `"${key}" ${p.message}` : `"${key}": ${p.message}`;
}

export function defineStep<K extends string, S extends z.ZodObject, D extends StepData>(spec: StepSpec<K, S, D>): StepDef<K> {
  const check = (params: Record<string, unknown>, env: ParamEnv) => paramProblems(spec.kind, spec.params(env), params);
  // PlannedStep<StepData> -> PlannedStep<D>: the engine hands back the step this kind planned
  // (in memory, or read back from a plan file / run record that the same kind wrote).
  const typed = (step: PlannedStep) => step as PlannedStep<D>;
  const typedData = (step: Pick<PlannedStep, 'data'>) => step as Pick<PlannedStep<D>, 'data'>;
  return {
    kind: spec.kind,
    params: spec.params,
    check,
    async plan(id, params, ctx) {
      if (typeof params !== 'object' || params === null || Array.isArray(params)) throw stepUsageError(spec.kind, id, 'params must be an object');
      const parsed = spec.params({ regions: ctx.topology.regions }).safeParse(params);
      if (!parsed.success) {
        const problem = check(params, { regions: ctx.topology.regions })[0];
        throw stepUsageError(spec.kind, id, problem ? planSentence(problem) : parsed.error.issues[0].message);
      }
      const planned = await spec.plan(id, parsed.data, ctx);
      return { id, kind: spec.kind, params, ...planned };
    },
    apply: (step, ctx) => spec.apply(typed(step), ctx),
    verify: (step, ctx) => spec.verify(typed(step), ctx),
    ...(spec.rpo ? { rpo: (step: Pick<PlannedStep, 'data'>) => spec.rpo!(typedData(step)) } : {}),
    ...(spec.endsOutage ? { endsOutage: (step: Pick<PlannedStep, 'data'>) => spec.endsOutage!(typedData(step)) } : {}),
    ...(spec.interrupted ? { interrupted: (step: PlannedStep, ctx: PlanContext) => spec.interrupted!(typed(step), ctx) } : {}),
    ...(spec.recheck ? { recheck: (step: PlannedStep, ctx: PlanContext, ask: RecheckAsk) => spec.recheck!(typed(step), ctx, ask) } : {}),
  };
}
