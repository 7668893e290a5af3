// The one hand-fed Aws for tests that need no sandbox: give the adapter methods a test uses, and
// every other method rejects naming itself, so a test that reaches further than it meant fails
// loudly instead of getting a made-up answer.
// The mutating parts go through the real choke point (sendMutation), so a fake's calls are audited
// as the adapters' are; a fake sends no SDK command, so its intents carry no `input`.
import { sendMutation } from '../../src/aws/mutation.js';
import type {
  Aws,
  AutoScalingApi,
  AutoScalingMutations,
  CloudWatchApi,
  EcsApi,
  EcsMutations,
  ElastiCacheApi,
  ElastiCacheMutations,
  MutatingAws,
  MutationCall,
  MutationEnd,
  MutationSink,
  RdsApi,
  RdsMutations,
  Region,
  Route53Api,
  Route53Mutations,
  StsApi,
} from '../../src/aws/types.js';
import type { EcrApi, IamApi, SecretsManagerApi } from '../../src/aws/readiness-types.js';

export interface FakeAwsParts {
  route53?: () => Partial<Route53Api & Route53Mutations>;
  rds?: (region: Region) => Partial<RdsApi & RdsMutations>;
  elasticache?: (region: Region) => Partial<ElastiCacheApi & ElastiCacheMutations>;
  ecs?: (region: Region) => Partial<EcsApi & EcsMutations>;
  sts?: (region?: Region) => Partial<StsApi>;
  cloudwatch?: (region: Region) => Partial<CloudWatchApi>;
  applicationAutoScaling?: (region: Region) => Partial<AutoScalingApi & AutoScalingMutations>;
}

const missing = (name: string) => () => Promise.reject(new Error(`${name} is not in the fake Aws`));

/** A sink that keeps what the choke point wrote, for tests that mutate outside a run. */
export function recordingSink(): MutationSink & { calls: MutationCall[]; ends: MutationEnd[] } {
  const calls: MutationCall[] = [];
  const ends: MutationEnd[] = [];
  return {
    calls,
    ends,
    intent: async (call) => void calls.push(call),
    result: async (_call, end) => void ends.push(end),
  };
}

/** The fake parts' mutating methods behind the choke point, described as the adapters describe them. */
function fakeMutating(parts: FakeAwsParts, sink: MutationSink, base?: Aws): MutatingAws {
  const baseMutating = base?.mutating(sink);
  return {
    route53: () => ({
      changeRecords: (zoneId, changes, comment, opts) => {
        const fn = parts.route53?.().changeRecords;
        if (!fn) return baseMutating ? baseMutating.route53().changeRecords(zoneId, changes, comment, opts) : missing('route53.changeRecords')();
        return sendMutation(
          sink,
          {
            service: 'route53',
            region: 'us-east-1',
            operation: 'ChangeResourceRecordSets',
            target: `hosted zone ${zoneId}`,
            params: { hostedZoneId: zoneId, comment, changes },
          },
          async () => ({ send: () => fn(zoneId, changes, comment) }),
          opts,
        );
      },
      setHealthCheckInverted: (id, inverted, version, opts) => {
        const fn = parts.route53?.().setHealthCheckInverted;
        if (!fn) return baseMutating ? baseMutating.route53().setHealthCheckInverted(id, inverted, version, opts) : missing('route53.setHealthCheckInverted')();
        const params = { healthCheckId: id, inverted, healthCheckVersion: version };
        return sendMutation(
          sink,
          { service: 'route53', region: 'us-east-1', operation: 'UpdateHealthCheck', target: `health check ${id}`, params },
          async () => ({ send: () => fn(id, inverted, version) }),
          opts,
        );
      },
    }),
    rds: (region) => ({
      switchoverGlobalCluster: (id, arn, opts) => {
        const fn = parts.rds?.(region).switchoverGlobalCluster;
        if (!fn) return baseMutating ? baseMutating.rds(region).switchoverGlobalCluster(id, arn, opts) : missing(`rds(${region}).switchoverGlobalCluster`)();
        const params = { GlobalClusterIdentifier: id, TargetDbClusterIdentifier: arn };
        return sendMutation(
          sink,
          { service: 'rds', region, operation: 'SwitchoverGlobalCluster', target: `aurora global cluster ${id}`, params },
          async () => ({ send: () => fn(id, arn) }),
          opts,
        );
      },
      failoverGlobalCluster: (id, arn, opts) => {
        const fn = parts.rds?.(region).failoverGlobalCluster;
        if (!fn) return baseMutating ? baseMutating.rds(region).failoverGlobalCluster(id, arn, opts) : missing(`rds(${region}).failoverGlobalCluster`)();
        const params = { GlobalClusterIdentifier: id, TargetDbClusterIdentifier: arn, AllowDataLoss: true };
        return sendMutation(
          sink,
          { service: 'rds', region, operation: 'FailoverGlobalCluster', target: `aurora global cluster ${id}`, params },
          async () => ({ send: () => fn(id, arn) }),
          opts,
        );
      },
      promoteReadReplica: (id, opts) => {
        const fn = parts.rds?.(region).promoteReadReplica;
        if (!fn) return baseMutating ? baseMutating.rds(region).promoteReadReplica(id, opts) : missing(`rds(${region}).promoteReadReplica`)();
        return sendMutation(
          sink,
          { service: 'rds', region, operation: 'PromoteReadReplica', target: `rds instance ${id}`, params: { DBInstanceIdentifier: id } },
          async () => ({ send: () => fn(id) }),
          opts,
        );
      },
      promoteReadReplicaCluster: (id, opts) => {
        const fn = parts.rds?.(region).promoteReadReplicaCluster;
        if (!fn) return baseMutating ? baseMutating.rds(region).promoteReadReplicaCluster(id, opts) : missing(`rds(${region}).promoteReadReplicaCluster`)();
        return sendMutation(
          sink,
          { service: 'rds', region, operation: 'PromoteReadReplicaDBCluster', target: `rds cluster ${id}`, params: { DBClusterIdentifier: id } },
          async () => ({ send: () => fn(id) }),
          opts,
        );
      },
      createReadReplica: (id, source, opts) => {
        const fn = parts.rds?.(region).createReadReplica;
        if (!fn) return baseMutating ? baseMutating.rds(region).createReadReplica(id, source, opts) : missing(`rds(${region}).createReadReplica`)();
        const params = { DBInstanceIdentifier: id, SourceDBInstanceIdentifier: source };
        return sendMutation(
          sink,
          { service: 'rds', region, operation: 'CreateDBInstanceReadReplica', target: `rds instance ${id}`, params },
          async () => ({ send: () => fn(id, source) }),
          opts,
        );
      },
      createReplicaCluster: (id, spec, opts) => {
        const fn = parts.rds?.(region).createReplicaCluster;
        if (!fn) return baseMutating ? baseMutating.rds(region).createReplicaCluster(id, spec, opts) : missing(`rds(${region}).createReplicaCluster`)();
        const params = { DBClusterIdentifier: id, Engine: spec.engine, ReplicationSourceIdentifier: spec.sourceArn };
        return sendMutation(
          sink,
          { service: 'rds', region, operation: 'CreateDBCluster', target: `rds cluster ${id}`, params },
          async () => ({ send: () => fn(id, spec) }),
          opts,
        );
      },
      createClusterInstance: (id, clusterId, spec, opts) => {
        const fn = parts.rds?.(region).createClusterInstance;
        if (!fn)
          return baseMutating ? baseMutating.rds(region).createClusterInstance(id, clusterId, spec, opts) : missing(`rds(${region}).createClusterInstance`)();
        const params = { DBInstanceIdentifier: id, DBClusterIdentifier: clusterId, Engine: spec.engine, DBInstanceClass: spec.instanceClass };
        return sendMutation(
          sink,
          { service: 'rds', region, operation: 'CreateDBInstance', target: `rds instance ${id}`, params },
          async () => ({ send: () => fn(id, clusterId, spec) }),
          opts,
        );
      },
    }),
    elasticache: (region) => ({
      failoverGlobalDatastore: (id, primaryRegion, groupId, opts) => {
        const fn = parts.elasticache?.(region).failoverGlobalDatastore;
        if (!fn)
          return baseMutating
            ? baseMutating.elasticache(region).failoverGlobalDatastore(id, primaryRegion, groupId, opts)
            : missing(`elasticache(${region}).failoverGlobalDatastore`)();
        const params = { GlobalReplicationGroupId: id, PrimaryRegion: primaryRegion, PrimaryReplicationGroupId: groupId };
        return sendMutation(
          sink,
          { service: 'elasticache', region, operation: 'FailoverGlobalReplicationGroup', target: `global datastore ${id}`, params },
          async () => ({ send: () => fn(id, primaryRegion, groupId) }),
          opts,
        );
      },
    }),
    ecs: (region) => ({
      updateDesiredCount: (cluster, service, desired, opts) => {
        const fn = parts.ecs?.(region).updateDesiredCount;
        if (!fn)
          return baseMutating ? baseMutating.ecs(region).updateDesiredCount(cluster, service, desired, opts) : missing(`ecs(${region}).updateDesiredCount`)();
        const params = { cluster, service, desiredCount: desired };
        return sendMutation(
          sink,
          { service: 'ecs', region, operation: 'UpdateService', target: `ecs ${cluster}/${service}`, params },
          async () => ({ send: () => fn(cluster, service, desired) }),
          opts,
        );
      },
    }),
    applicationAutoScaling: (region) => ({
      setEcsCapacityRange: (cluster, service, range, opts) => {
        const fn = parts.applicationAutoScaling?.(region).setEcsCapacityRange;
        if (!fn)
          return baseMutating
            ? baseMutating.applicationAutoScaling(region).setEcsCapacityRange(cluster, service, range, opts)
            : missing(`applicationAutoScaling(${region}).setEcsCapacityRange`)();
        const ResourceId = `service/${cluster}/${service}`;
        const params = { ServiceNamespace: 'ecs', ResourceId, ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: range.min, MaxCapacity: range.max };
        return sendMutation(
          sink,
          { service: 'application-autoscaling', region, operation: 'RegisterScalableTarget', target: `scalable target ${ResourceId}`, params },
          async () => ({ send: () => fn(cluster, service, range) }),
          opts,
        );
      },
    }),
  };
}

/** An Aws from the parts given; `base` (another fake) answers what the parts leave out. */
export function fakeAws(parts: FakeAwsParts, base?: Aws): Aws {
  const route53 = (): Route53Api => {
    const r: Route53Api = {
      getHostedZone: missing('route53.getHostedZone'),
      readRecords: missing('route53.readRecords'),
      // Unless given: the zone's name from getHostedZone, never known beforehand.
      zoneName: async (zoneId) => (await r.getHostedZone(zoneId)).name,
      knownZoneName: () => undefined,
      forgetZoneName: () => undefined,
      getChange: missing('route53.getChange'),
      getHealthCheck: missing('route53.getHealthCheck'),
      getHealthCheckStatus: missing('route53.getHealthCheckStatus'),
      getHealthCheckLastFailureReason: missing('route53.getHealthCheckLastFailureReason'),
      testDnsAnswer: missing('route53.testDnsAnswer'),
      ...base?.route53(),
      ...parts.route53?.(),
    };
    return r;
  };
  const rds = (region: Region): RdsApi => ({
    readGlobalCluster: missing(`rds(${region}).readGlobalCluster`),
    readDbCluster: missing(`rds(${region}).readDbCluster`),
    readDbInstance: missing(`rds(${region}).readDbInstance`),
    ...base?.rds(region),
    ...parts.rds?.(region),
  });
  const elasticache = (region: Region): ElastiCacheApi => ({
    readGlobalDatastore: missing(`elasticache(${region}).readGlobalDatastore`),
    readReplicationGroup: missing(`elasticache(${region}).readReplicationGroup`),
    ...base?.elasticache(region),
    ...parts.elasticache?.(region),
  });
  const ecs = (region: Region): EcsApi => ({
    describeServices: missing(`ecs(${region}).describeServices`),
    describeTaskDefinition: missing(`ecs(${region}).describeTaskDefinition`),
    ...base?.ecs(region),
    ...parts.ecs?.(region),
  });
  const sts = (region?: Region): StsApi => ({
    callerIdentity: missing(`sts(${region ?? 'default'}).callerIdentity`),
    ...base?.sts(region),
    ...parts.sts?.(region),
  });
  const cloudwatch = (region: Region): CloudWatchApi => ({
    auroraReplicationLags: missing(`cloudwatch(${region}).auroraReplicationLags`),
    replicaLag: missing(`cloudwatch(${region}).replicaLag`),
    datastoreReplicationLag: missing(`cloudwatch(${region}).datastoreReplicationLag`),
    clusterReplicaLag: missing(`cloudwatch(${region}).clusterReplicaLag`),
    ...base?.cloudwatch(region),
    ...parts.cloudwatch?.(region),
  });
  const applicationAutoScaling = (region: Region): AutoScalingApi => ({
    readEcsScalableTarget: missing(`applicationAutoScaling(${region}).readEcsScalableTarget`),
    ...base?.applicationAutoScaling(region),
    ...parts.applicationAutoScaling?.(region),
  });
  const ecr = (region: Region): EcrApi => ({ imagePresence: missing(`ecr(${region}).imagePresence`), ...base?.ecr(region) });
  const secretsManager = (region: Region): SecretsManagerApi => ({
    describeSecret: missing(`secretsManager(${region}).describeSecret`),
    ...base?.secretsManager(region),
  });
  const iam = (): IamApi => ({ simulatePrincipalPolicy: missing('iam.simulatePrincipalPolicy'), ...base?.iam() });
  const discovery = () =>
    base?.discovery() ?? {
      hostedZones: missing('discovery.hostedZones'),
      zoneRecords: missing('discovery.zoneRecords'),
      healthChecks: missing('discovery.healthChecks'),
      dbInstances: missing('discovery.dbInstances'),
      globalClusters: missing('discovery.globalClusters'),
      globalDatastores: missing('discovery.globalDatastores'),
      ecsClusters: missing('discovery.ecsClusters'),
      ecsServices: missing('discovery.ecsServices'),
    };
  return {
    route53,
    rds,
    elasticache,
    ecs,
    sts,
    cloudwatch,
    applicationAutoScaling,
    ecr,
    secretsManager,
    iam,
    discovery,
    mutating: (sink) => fakeMutating(parts, sink, base),
    destroy: () => {},
  };
}
