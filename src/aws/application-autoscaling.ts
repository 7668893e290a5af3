// Application Auto Scaling adapter: the scalable target of an ECS service, read and registered.
// An ECS service under Application Auto Scaling keeps its desired count inside the target's
// [MinCapacity, MaxCapacity]: a count set by hand below the minimum is scaled back out, and above the
// maximum is capped (Application Auto Scaling user guide, Amazon ECS and Application Auto Scaling,
// https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-ecs.html;
// Amazon ECS developer guide, service auto scaling,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html).
// RegisterScalableTarget updates an existing target with only the parameters given
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { type Connection, requestIdOf } from './connection.js';
import type { MutationSink } from './mutation.js';
import type { AutoScalingApi, AutoScalingMutations } from './types.js';

type Sdk = typeof import('@aws-sdk/client-application-auto-scaling');
export type AutoScalingConnection = Connection<Sdk, ApplicationAutoScalingClient>;

const DIMENSION = 'ecs:service:DesiredCount' as const;
const resourceId = (cluster: string, service: string) => `service/${cluster}/${service}`;

export function autoScalingAdapter(conn: AutoScalingConnection): AutoScalingApi {
  return {
    async readEcsScalableTarget(cluster, service) {
      const out = await conn.read('DescribeScalableTargets', (sdk, c, o) =>
        c.send(
          new sdk.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId(cluster, service)], ScalableDimension: DIMENSION }),
          o,
        ),
      );
      const t = out.ScalableTargets?.find((x) => x.ResourceId === resourceId(cluster, service));
      if (!t) return undefined;
      return { resourceId: t.ResourceId ?? resourceId(cluster, service), min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 };
    },
  };
}

export function autoScalingMutations(conn: AutoScalingConnection, sink: MutationSink): AutoScalingMutations {
  return {
    setEcsCapacityRange(cluster, service, range, opts) {
      const input = {
        ServiceNamespace: 'ecs' as const,
        ResourceId: resourceId(cluster, service),
        ScalableDimension: DIMENSION,
        MinCapacity: range.min,
        MaxCapacity: range.max,
      };
      return conn.mutate(
        sink,
        { operation: 'RegisterScalableTarget', target: `scalable target ${input.ResourceId}`, params: input },
        (sdk) => new sdk.RegisterScalableTargetCommand(input),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          return { resourceId: input.ResourceId, min: range.min, max: range.max, requestId: requestIdOf(out) };
        },
        opts,
      );
    },
  };
}
