// The one hand-fed Aws for tests that need no sandbox: give the adapter methods a test uses, and
// every other method rejects naming itself, so a test that reaches further than it meant fails
// loudly instead of getting a made-up answer.
import type {
  Aws, CloudWatchApi, EcsApi, ElastiCacheApi, RdsApi, Region, Route53Api, StsApi,
} from '../../src/aws/types.js';
import type { EcrApi, IamApi, SecretsManagerApi } from '../../src/aws/readiness-types.js';

export interface FakeAwsParts {
  route53?: () => Partial<Route53Api>;
  rds?: (region: Region) => Partial<RdsApi>;
  elasticache?: (region: Region) => Partial<ElastiCacheApi>;
  ecs?: (region: Region) => Partial<EcsApi>;
  sts?: (region?: Region) => Partial<StsApi>;
  cloudwatch?: (region: Region) => Partial<CloudWatchApi>;
}

const missing = (name: string) => () => Promise.reject(new Error(`${name} is not in the fake Aws`));

/** An Aws from the parts given; `base` (another fake) answers what the parts leave out. */
export function fakeAws(parts: FakeAwsParts, base?: Aws): Aws {
  const route53 = (): Route53Api => ({
    getHostedZone: missing('route53.getHostedZone'),
    readRecords: missing('route53.readRecords'),
    changeRecords: missing('route53.changeRecords'),
    getChange: missing('route53.getChange'),
    getHealthCheck: missing('route53.getHealthCheck'),
    getHealthCheckStatus: missing('route53.getHealthCheckStatus'),
    getHealthCheckLastFailureReason: missing('route53.getHealthCheckLastFailureReason'),
    ...base?.route53(),
    ...parts.route53?.(),
  });
  const rds = (region: Region): RdsApi => ({
    readGlobalCluster: missing(`rds(${region}).readGlobalCluster`),
    readDbCluster: missing(`rds(${region}).readDbCluster`),
    switchoverGlobalCluster: missing(`rds(${region}).switchoverGlobalCluster`),
    failoverGlobalCluster: missing(`rds(${region}).failoverGlobalCluster`),
    ...base?.rds(region),
    ...parts.rds?.(region),
  });
  const elasticache = (region: Region): ElastiCacheApi => ({
    readGlobalDatastore: missing(`elasticache(${region}).readGlobalDatastore`),
    readReplicationGroup: missing(`elasticache(${region}).readReplicationGroup`),
    failoverGlobalDatastore: missing(`elasticache(${region}).failoverGlobalDatastore`),
    ...base?.elasticache(region),
    ...parts.elasticache?.(region),
  });
  const ecs = (region: Region): EcsApi => ({
    describeServices: missing(`ecs(${region}).describeServices`),
    updateDesiredCount: missing(`ecs(${region}).updateDesiredCount`),
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
    auroraReplicationLag: missing(`cloudwatch(${region}).auroraReplicationLag`),
    ...base?.cloudwatch(region),
    ...parts.cloudwatch?.(region),
  });
  const ecr = (region: Region): EcrApi => ({ imagePresence: missing(`ecr(${region}).imagePresence`), ...base?.ecr(region) });
  const secretsManager = (region: Region): SecretsManagerApi => ({ describeSecret: missing(`secretsManager(${region}).describeSecret`), ...base?.secretsManager(region) });
  const iam = (): IamApi => ({ simulatePrincipalPolicy: missing('iam.simulatePrincipalPolicy'), ...base?.iam() });
  return { route53, rds, elasticache, ecs, sts, cloudwatch, ecr, secretsManager, iam, discovery: () => base?.discovery() ?? { hostedZones: missing('discovery.hostedZones'), zoneRecords: missing('discovery.zoneRecords'), globalClusters: missing('discovery.globalClusters'), globalDatastores: missing('discovery.globalDatastores'), ecsClusters: missing('discovery.ecsClusters'), ecsServices: missing('discovery.ecsServices') }, destroy: () => {} };
}
