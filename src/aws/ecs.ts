// ECS adapter: read services, change their desired count (nothing else).
import type { ECSClient, Failure, Service } from '@aws-sdk/client-ecs';
import { AwsCallError } from './errors.js';
import { type Connection, requestIdOf } from './connection.js';
import type { MutationSink } from './mutation.js';
import type { EcsApi, EcsMutations, EcsServiceInfo } from './types.js';

type Sdk = typeof import('@aws-sdk/client-ecs');
export type EcsConnection = Connection<Sdk, ECSClient>;

/** DescribeServices takes at most 10 services per call. */
const CHUNK = 10;

/** The last path segment of a service ARN (arn:…:service/<name> or arn:…:service/<cluster>/<name>), or the name itself. */
export function serviceNameOf(nameOrArn: string): string {
  const slash = nameOrArn.lastIndexOf('/');
  return nameOrArn.startsWith('arn:') && slash >= 0 ? nameOrArn.slice(slash + 1) : nameOrArn;
}

export function serviceFromSdk(cluster: string, s: Service): EcsServiceInfo {
  return {
    cluster,
    name: s.serviceName ?? serviceNameOf(s.serviceArn ?? ''),
    arn: s.serviceArn,
    status: s.status ?? '',
    desired: s.desiredCount ?? 0,
    running: s.runningCount ?? 0,
    pending: s.pendingCount ?? 0,
    deployments: s.deployments?.length ?? 0,
    ...(s.taskDefinition ? { taskDefinition: s.taskDefinition } : {}),
  };
}

export function missingService(cluster: string, name: string, arn?: string): EcsServiceInfo {
  return { cluster, name, arn, status: 'MISSING', desired: 0, running: 0, pending: 0, deployments: 0 };
}

export function ecsAdapter(conn: EcsConnection): EcsApi {
  const describeChunk = async (cluster: string, names: string[]) => {
    const out = await conn.read('DescribeServices', (sdk, c, o) => c.send(new sdk.DescribeServicesCommand({ cluster, services: names }), o));
    const found = new Map<string, EcsServiceInfo>();
    for (const s of out.services ?? []) {
      const info = serviceFromSdk(cluster, s);
      found.set(info.name, info);
      if (info.arn !== undefined) found.set(info.arn, info);
    }
    for (const f of out.failures ?? []) {
      const key = failureKey(f, names);
      if (f.reason === 'MISSING') {
        found.set(key, missingService(cluster, serviceNameOf(key), f.arn));
        continue;
      }
      // Anything else (e.g. a per-service access failure) is not an answer about the service; say so.
      throw new AwsCallError(
        'ecs',
        conn.region,
        'DescribeServices',
        f.reason ?? 'Failure',
        `service ${key} in ${cluster}: ${f.reason ?? 'failure'}${f.detail ? ` (${f.detail})` : ''}`,
        {
          requestId: requestIdOf(out),
          unreachable: false,
          throttled: false,
        },
      );
    }
    return names.map((n) => found.get(n) ?? found.get(serviceNameOf(n)) ?? missingService(cluster, serviceNameOf(n)));
  };

  return {
    async describeServices(cluster, services) {
      const chunks: string[][] = [];
      for (let i = 0; i < services.length; i += CHUNK) chunks.push(services.slice(i, i + CHUNK));
      const results = await Promise.all(chunks.map((chunk) => describeChunk(cluster, chunk)));
      return results.flat();
    },

    async describeTaskDefinition(taskDefinition) {
      const out = await conn.read('DescribeTaskDefinition', (sdk, c, o) => c.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition }), o));
      const td = out.taskDefinition;
      return {
        arn: td?.taskDefinitionArn ?? taskDefinition,
        family: td?.family ?? '',
        containers: (td?.containerDefinitions ?? []).map((k) => ({
          name: k.name ?? '',
          image: k.image ?? '',
          secrets: (k.secrets ?? []).map((s) => s.valueFrom ?? ''),
        })),
      };
    },
  };
}

/** UpdateService with only the desired count (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html). */
export function ecsMutations(conn: EcsConnection, sink: MutationSink): EcsMutations {
  return {
    updateDesiredCount(cluster, service, desired, opts) {
      const input = { cluster, service, desiredCount: desired };
      return conn.mutate(
        sink,
        { operation: 'UpdateService', target: `ecs ${cluster}/${service}`, params: input },
        (sdk) => new sdk.UpdateServiceCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          if (out.service === undefined) {
            throw new AwsCallError('ecs', conn.region, 'UpdateService', 'EmptyResponse', `service ${service} was not in the response`, {
              requestId: requestIdOf(out),
              unreachable: false,
              throttled: false,
            });
          }
          return { ...serviceFromSdk(cluster, out.service), requestId: requestIdOf(out) };
        },
        opts,
      );
    },
  };
}

/** Which requested name a failure is about: the one whose name matches the failure ARN's last segment. */
function failureKey(f: Failure, requested: string[]): string {
  const arn = f.arn ?? '';
  if (requested.includes(arn)) return arn;
  const name = serviceNameOf(arn);
  return requested.find((r) => serviceNameOf(r) === name) ?? name;
}
