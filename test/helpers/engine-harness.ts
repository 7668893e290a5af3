// A CommandContext over a fake world, and fake step kinds that change it through the engine's
// choke point: enough to drive runMutation through every path without AWS or a sandbox.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsCallError } from '../../src/aws/errors.js';
import { sendMutation } from '../../src/aws/mutation.js';
import type { Aws, EcsServiceInfo, MutatingAws, MutationResult, MutationSink } from '../../src/aws/types.js';
import type { CommandContext } from '../../src/cli/types.js';
import { loadTopologyFile } from '../../src/config/load.js';
import type { Topology } from '../../src/config/schema.js';
import type { StepImpls } from '../../src/engine/planner.js';
import type { PlannedStep, RunSpec, StepImpl } from '../../src/engine/types.js';
import { fakeAws } from './fake-aws.js';
import { demoTopology } from './paths.js';
import { recordingIo, type Answer, type RecordingIo } from './recording-io.js';

export const CALLER = 'arn:aws:sts::123456789012:assumed-role/oncall/ops';

/** The fake world: named counters the fake steps set. */
export type World = Record<string, number>;

/** How the next UpdateService on a name fails, as its fake step asked ("apply": an AWS error answer, "unreachable": no answer). */
const failures = new WeakMap<World, Map<string, unknown>>();

function failuresOf(world: World): Map<string, unknown> {
  let m = failures.get(world);
  if (!m) failures.set(world, (m = new Map()));
  return m;
}

/** The fake AWS layer's one mutation: UpdateService on the world's counter, through the real choke point. */
function worldMutations(world: World, sink: MutationSink): MutatingAws {
  const none = () => Promise.reject(new Error('not in the fake world'));
  return {
    route53: () => ({ changeRecords: none, setHealthCheckInverted: none }),
    rds: () => ({
      switchoverGlobalCluster: none,
      failoverGlobalCluster: none,
      promoteReadReplica: none,
      promoteReadReplicaCluster: none,
      createReadReplica: none,
      createReplicaCluster: none,
      createClusterInstance: none,
    }),
    elasticache: () => ({ failoverGlobalDatastore: none }),
    applicationAutoScaling: () => ({ setEcsCapacityRange: none }),
    ecs: (region) => ({
      updateDesiredCount: (cluster, name, to, opts) =>
        sendMutation(
          sink,
          { service: 'ecs', region, operation: 'UpdateService', target: `${cluster}/${name}`, params: { desiredCount: to } },
          async () => ({
            send: async (): Promise<EcsServiceInfo & MutationResult> => {
              const fail = failuresOf(world).get(name);
              if (fail === 'apply')
                throw new AwsCallError('ecs', region, 'UpdateService', 'ServiceNotActiveException', 'Service was not ACTIVE.', {
                  requestId: 'req-err',
                  httpStatus: 400,
                  unreachable: false,
                  throttled: false,
                });
              if (fail === 'unreachable')
                throw new AwsCallError('ecs', region, 'UpdateService', 'ECONNRESET', 'socket hang up', { unreachable: true, throttled: false });
              world[name] = to;
              return { cluster, name, status: 'ACTIVE', desired: to, running: 0, pending: 0, deployments: 1, requestId: `req-${name}` };
            },
          }),
          opts,
        ),
    }),
  };
}

export interface Harness {
  ctx: CommandContext;
  io: RecordingIo;
  world: World;
  stateDir: string;
  abort: AbortController;
  /** Regions STS was called in, and the options ctx.aws() got. */
  stsRegions: string[];
  awsOptions: { runId?: string }[];
  cleanup(): Promise<void>;
}

export async function harness(opts: { interactive?: boolean; json?: boolean; answers?: Answer[]; world?: World; stateDir?: string } = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'mr-engine-'));
  const stateDir = opts.stateDir ?? join(dir, 'state');
  const io = recordingIo({ interactive: opts.interactive, json: opts.json, answers: opts.answers });
  const world: World = { ...(opts.world ?? { api: 2, worker: 1 }) };
  const abort = new AbortController();
  const stsRegions: string[] = [];
  const awsOptions: { runId?: string }[] = [];
  const topology: Topology = await loadTopologyFile(demoTopology);
  topology.timeouts.pollMs = 5; // polls every 5 ms: the fake world converges at once
  // The fake world has only STS (for the actor); every other service rejects, naming the call.
  const aws: Aws = {
    ...fakeAws({
      sts: (region) => ({
        callerIdentity: async () => {
          stsRegions.push(region ?? 'default');
          return { account: '123456789012', arn: CALLER, userId: 'AROAEXAMPLE:ops' };
        },
      }),
    }),
    mutating: (sink) => worldMutations(world, sink),
  };
  const ctx: CommandContext = {
    io,
    globals: {},
    argv: ['mr', 'test', 'run'],
    stateDir,
    signal: abort.signal,
    loadTopology: async () => topology,
    aws: async (o = {}) => {
      awsOptions.push(o);
      return aws;
    },
    close: async () => {},
  };
  return { ctx, io, world, stateDir, abort, stsRegions, awsOptions, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Fake step kind "ecs.scale": params { name, to, fail?, check?, region? }. Plans a change of
 * world[name] to `to` (no-op when already there); apply sets it through ctx.mutating (the harness's fake AWS layer, behind the real choke point); verify polls.
 * fail: "apply" -> the call gets an AWS error answer; "unreachable" -> no answer; "verify" -> the
 * verify probe throws. check: false -> a failed check with an override flag.
 */
export function fakeSteps(
  world: World,
  hooks: { beforeApply?: (step: PlannedStep) => Promise<void> | void; onProbe?: (step: PlannedStep) => void; verifyTimeoutMs?: number } = {},
): StepImpls {
  const scale: StepImpl = {
    kind: 'ecs.scale',
    async plan(id, params) {
      const name = String(params.name);
      const to = Number(params.to);
      const from = world[name];
      const ok = params.check !== false;
      return {
        id,
        kind: 'ecs.scale',
        title: `Scale ${name} to ${to}`,
        region: (params.region as string) ?? 'eu-west-1',
        params,
        changes: [{ resource: `ecs demo-euw1/${name}`, attribute: 'desiredCount', from, to, risk: params.dataLoss ? 'data-loss' : 'safe' }],
        checks: [
          {
            name: 'capacity available',
            passed: ok,
            observed: ok ? 10 : 0,
            bound: to,
            message: ok ? 'room for the tasks' : `no room for ${to} tasks`,
            override: '--skip-capacity-check',
          },
        ],
        noop: from === to,
        data: { name, to },
        observed: { [name]: from },
      };
    },
    async apply(step, ctx) {
      await hooks.beforeApply?.(step);
      const { name, to } = step.data as { name: string; to: number };
      failuresOf(world).set(name, step.params.fail);
      await ctx.mutating.ecs('eu-west-1').updateDesiredCount('demo-euw1', name, to);
    },
    async verify(step, ctx) {
      const { name, to } = step.data as { name: string; to: number };
      await ctx.waitFor(
        `${name} running ${to}`,
        async () => {
          hooks.onProbe?.(step);
          if (step.params.fail === 'verify') throw new Error('probe exploded');
          const done = world[name] === to && step.params.stuck !== true;
          return { done, detail: `running ${world[name]}` };
        },
        hooks.verifyTimeoutMs !== undefined ? { timeoutMs: hooks.verifyTimeoutMs } : {},
      );
    },
  };
  const approval: StepImpl = {
    kind: 'approval',
    plan: async (id, params) => ({
      id,
      kind: 'approval',
      title: `Approval: ${String(params.message)}`,
      params,
      changes: [],
      checks: [],
      noop: false,
      data: {},
      observed: {},
    }),
    apply: (step, ctx) => ctx.approve(String(step.params.message)),
    verify: async () => {},
  };
  return { 'ecs.scale': scale, approval };
}

export function scaleSpec(...stages: { name?: string; parallel?: boolean; steps: Record<string, unknown>[] }[]): RunSpec {
  return {
    command: 'ecs scale eu-west-1',
    region: 'eu-west-1',
    stages: stages.map((s, i) => ({
      name: s.name ?? `stage-${i + 1}`,
      parallel: s.parallel ?? false,
      steps: s.steps.map((p) => ({ id: String(p.id ?? p.name), kind: (p.kind as 'ecs.scale') ?? 'ecs.scale', params: p })),
    })),
  };
}

export const yesFlags = { yes: true, allowDataLoss: false, dryRun: false, json: false };
export const noFlags = { ...yesFlags, yes: false };
