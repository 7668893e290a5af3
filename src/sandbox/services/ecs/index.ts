// ECS (awsJson 1.1, AmazonEC2ContainerServiceV20141113.*): the service reads and the desired-count
// change mr uses for pre-scaling. Clusters are regional: only those in the called region exist.
import { SandboxAwsError, type Operation, type ServiceContext, type ServiceModule } from '../../contract.js';
import {
  epochSeconds,
  jsonBody,
  jsonError,
  jsonResponse,
  jsonTarget,
  optBoolean,
  optNumber,
  optString,
  optStrings,
  unknownOperation,
} from '../../protocol/json.js';
import { initEcs, setDesired, taskCounts, type EcsClusterState, type EcsServiceState, type EcsState } from './state.js';

const PREFIX = 'AmazonEC2ContainerServiceV20141113';

type Body = Record<string, unknown>;

const clusterArn = (ctx: ServiceContext, region: string, name: string) => `arn:aws:ecs:${region}:${ctx.account}:cluster/${name}`;
const serviceArn = (ctx: ServiceContext, region: string, cluster: string, name: string) => `arn:aws:ecs:${region}:${ctx.account}:service/${cluster}/${name}`;
const taskDefinitionArn = (ctx: ServiceContext, region: string, cluster: string, name: string) =>
  `arn:aws:ecs:${region}:${ctx.account}:task-definition/${cluster}-${name}:1`;

function invalid(message: string): SandboxAwsError {
  return new SandboxAwsError('InvalidParameterException', message);
}

/** The cluster named by name or ARN (default "default") in the called region, or undefined. */
function lookupCluster(state: EcsState, region: string, ref: string | undefined): EcsClusterState | undefined {
  const r = ref ?? 'default';
  const arn = /^arn:aws[\w-]*:ecs:([\w-]+):\d+:cluster\/(.+)$/.exec(r);
  if (arn && arn[1] !== region) return undefined;
  const name = arn ? arn[2] : r;
  return state.clusters.find((c) => c.region === region && c.name === name);
}

// ⚠ "Cluster not found." and a bare __type (no namespace#) follow third-party fixtures; the SDK accepts either form.
function findCluster(state: EcsState, region: string, ref: string | undefined): EcsClusterState {
  const c = lookupCluster(state, region, ref);
  if (!c) throw new SandboxAwsError('ClusterNotFoundException', 'Cluster not found.');
  return c;
}

/** The service name from a name or an ARN (service/<cluster>/<name> or the old service/<name>). */
function serviceName(ref: string): string {
  const arn = /^arn:aws[\w-]*:ecs:[\w-]+:\d+:service\/(?:[^/]+\/)?([^/]+)$/.exec(ref);
  return arn ? arn[1] : ref;
}

function serviceJson(ctx: ServiceContext, c: EcsClusterState, s: EcsServiceState, withTags: boolean) {
  const now = ctx.now();
  const { running, pending, steadyAt } = taskCounts(s, now, ctx);
  const taskDefinition = taskDefinitionArn(ctx, c.region, c.name, s.name);
  const events =
    now >= steadyAt
      ? [
          {
            id: `${s.deploymentId.slice(8)}-${Math.round(steadyAt)}`,
            createdAt: epochSeconds(steadyAt),
            message: `(service ${s.name}) has reached a steady state.`,
          },
        ]
      : [];
  return {
    serviceArn: serviceArn(ctx, c.region, c.name, s.name),
    serviceName: s.name,
    clusterArn: clusterArn(ctx, c.region, c.name),
    status: 'ACTIVE',
    desiredCount: s.desired,
    runningCount: running,
    pendingCount: pending,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    taskDefinition,
    // A desired-count change does not create a deployment: one PRIMARY, rollout COMPLETED throughout.
    deployments: [
      {
        id: s.deploymentId,
        status: 'PRIMARY',
        taskDefinition,
        desiredCount: s.desired,
        pendingCount: pending,
        runningCount: running,
        failedTasks: 0,
        createdAt: epochSeconds(s.createdAt),
        updatedAt: epochSeconds(s.since),
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        rolloutState: 'COMPLETED',
        rolloutStateReason: `ECS deployment ${s.deploymentId} completed.`,
      },
    ],
    events,
    createdAt: epochSeconds(s.createdAt),
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    ...(withTags ? { tags: [] } : {}),
  };
}

function listServices(b: Body, state: EcsState, ctx: ServiceContext, region: string) {
  const c = findCluster(state, region, optString(b, 'cluster'));
  const max = optNumber(b, 'maxResults') ?? 10;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw invalid('maxResults must be between 1 and 100.');
  const token = optString(b, 'nextToken');
  let start = 0;
  if (token !== undefined) {
    const m = /^svc:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!m) throw invalid('Invalid nextToken.');
    start = Number(m[1]);
  }
  const names = c.services.map((s) => s.name).sort();
  const end = start + max;
  return {
    serviceArns: names.slice(start, end).map((n) => serviceArn(ctx, region, c.name, n)),
    ...(end < names.length ? { nextToken: Buffer.from(`svc:${end}`).toString('base64') } : {}),
  };
}

function describeServices(b: Body, state: EcsState, ctx: ServiceContext, region: string) {
  const refs = optStrings(b, 'services');
  if (!refs || refs.length === 0) throw invalid('Services cannot be empty.');
  if (refs.length > 10) throw invalid('Services cannot contain more than 10 elements.');
  const c = findCluster(state, region, optString(b, 'cluster'));
  const withTags = (optStrings(b, 'include') ?? []).includes('TAGS');
  const services = [];
  const failures = [];
  for (const ref of refs) {
    const name = serviceName(ref);
    const s = c.services.find((x) => x.name === name);
    if (s) services.push(serviceJson(ctx, c, s, withTags));
    else failures.push({ arn: serviceArn(ctx, region, c.name, name), reason: 'MISSING' });
  }
  return { services, failures };
}

// Fields that would create a new deployment; the sandbox models desired-count changes only and says so.
const ALLOWED_UPDATE_FIELDS = new Set(['cluster', 'service', 'desiredCount', 'forceNewDeployment', 'taskDefinition']);

function updateService(b: Body, state: EcsState, ctx: ServiceContext, region: string) {
  const ref = optString(b, 'service');
  if (!ref) throw invalid('service cannot be empty.');
  const c = findCluster(state, region, optString(b, 'cluster'));
  const s = c.services.find((x) => x.name === serviceName(ref));
  if (!s) throw new SandboxAwsError('ServiceNotFoundException', 'Service not found.');
  const unsupported = Object.keys(b).filter((k) => !ALLOWED_UPDATE_FIELDS.has(k));
  const td = optString(b, 'taskDefinition');
  if (optBoolean(b, 'forceNewDeployment') === true) unsupported.push('forceNewDeployment');
  if (td !== undefined && td !== taskDefinitionArn(ctx, region, c.name, s.name)) unsupported.push('taskDefinition');
  if (unsupported.length > 0) throw invalid(`The sandbox models desiredCount changes only; not supported: ${unsupported.join(', ')}.`);
  const desired = optNumber(b, 'desiredCount');
  if (desired !== undefined) {
    if (!Number.isInteger(desired) || desired < 0) throw invalid('desiredCount must be a non-negative integer.');
    if (desired !== s.desired) setDesired(s, desired, ctx);
  }
  return { service: serviceJson(ctx, c, s, false) };
}

function describeClusters(b: Body, state: EcsState, ctx: ServiceContext, region: string) {
  const refs = optStrings(b, 'clusters') ?? ['default'];
  if (refs.length > 100) throw invalid('Clusters cannot contain more than 100 elements.');
  const clusters = [];
  const failures = [];
  const now = ctx.now();
  for (const ref of refs) {
    const c = lookupCluster(state, region, ref);
    if (!c) {
      failures.push({ arn: ref.startsWith('arn:') ? ref : clusterArn(ctx, region, ref), reason: 'MISSING' });
      continue;
    }
    const counts = c.services.map((s) => taskCounts(s, now, ctx));
    clusters.push({
      clusterArn: clusterArn(ctx, c.region, c.name),
      clusterName: c.name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: counts.reduce((n, x) => n + x.running, 0),
      pendingTasksCount: counts.reduce((n, x) => n + x.pending, 0),
      activeServicesCount: c.services.length,
      statistics: [],
      tags: [],
      settings: [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [],
    });
  }
  return { clusters, failures };
}

/**
 * DescribeTaskDefinition: each service runs revision 1 of the family <cluster>-<service>, in its region.
 * `taskDefinition` is a family, family:revision or the full ARN (ECS API reference,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html); an unknown
 * one is a ClientException, as ECS answers it.
 */
function describeTaskDefinition(b: Body, state: EcsState, ctx: ServiceContext, region: string) {
  const ref = optString(b, 'taskDefinition');
  if (!ref) throw invalid('taskDefinition cannot be empty.');
  const arn = /^arn:aws[\w-]*:ecs:([\w-]+):\d+:task-definition\/(.+)$/.exec(ref);
  if (arn && arn[1] !== region) throw new SandboxAwsError('ClientException', 'Unable to describe task definition.');
  const [family, revision] = (arn ? arn[2] : ref).split(':');
  const found = state.clusters
    .filter((c) => c.region === region)
    .flatMap((c) => c.services.map((s) => ({ c, s })))
    .find(({ c, s }) => `${c.name}-${s.name}` === family);
  if (!found || (revision !== undefined && revision !== '1')) throw new SandboxAwsError('ClientException', 'Unable to describe task definition.');
  const { c, s } = found;
  return {
    taskDefinition: {
      taskDefinitionArn: taskDefinitionArn(ctx, region, c.name, s.name),
      family,
      revision: 1,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      executionRoleArn: `arn:aws:iam::${ctx.account}:role/${c.name}-task-execution`,
      containerDefinitions: (s.containers ?? []).map((k) => ({
        name: k.name,
        image: k.image,
        essential: true,
        ...(k.secrets.length ? { secrets: k.secrets } : {}),
      })),
      registeredAt: epochSeconds(s.createdAt),
    },
    tags: [],
  };
}

type JsonAnswer = (b: Record<string, unknown>, state: EcsState, ctx: ServiceContext, region: string) => unknown;
const op = (mutating: boolean, answer: JsonAnswer): Operation<EcsState> => ({
  mutating,
  handle: (req, state, ctx) => jsonResponse('1.1', answer(jsonBody(req), state, ctx, req.region)),
});

export const ecsService: ServiceModule<EcsState> = {
  signingName: 'ecs',
  stateKey: 'ecs',
  init: (section, ctx) => initEcs(section, ctx),
  operation: (req) => jsonTarget(req, PREFIX) || 'Unknown',
  operations: {
    ListClusters: op(false, (_b, state, ctx, region) => ({
      clusterArns: state.clusters.filter((c) => c.region === region).map((c) => clusterArn(ctx, region, c.name)),
    })),
    ListServices: op(false, listServices),
    DescribeServices: op(false, describeServices),
    DescribeClusters: op(false, describeClusters),
    DescribeTaskDefinition: op(false, describeTaskDefinition),
    UpdateService: op(true, updateService),
  },
  unknownOperation: (req) => unknownOperation(req),
  renderError: (err) => jsonError(err, '1.1'),
};
