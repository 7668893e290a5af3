// Discovery reads for `mr init`: list what the account has, rather than read what the topology names.
// Paged as each API pages: ListHostedZones by Marker, ListResourceRecordSets by the next name/type/
// identifier (at most 300 per page), DescribeGlobalClusters / DescribeGlobalReplicationGroups by
// Marker, ECS ListClusters / ListServices by nextToken (API references of Route 53, RDS, ElastiCache, ECS).
// Pages: https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZones.html,
// API_ListResourceRecordSets.html, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeGlobalClusters.html,
// https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DescribeGlobalReplicationGroups.html,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListClusters.html and API_ListServices.html.
import type { Route53Client, RRType } from '@aws-sdk/client-route-53';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Connection } from './connection.js';
import { bareId, recordFromSdk } from './route53-records.js';
import { healthCheckInfo } from './route53-batch.js';
import { globalClusterFromSdk } from './rds.js';
import { dbInstanceFromSdk } from './rds-instances.js';
import { globalDatastoreFromSdk } from './elasticache.js';
import { ecsAdapter } from './ecs.js';
import type { DbInstanceInfo, DiscoveryApi, HealthCheckInfo, RecordSet, Region, ZoneSummary, GlobalClusterInfo, GlobalDatastoreInfo } from './types.js';

export interface DiscoveryConnections {
  route53: Connection<typeof import('@aws-sdk/client-route-53'), Route53Client>;
  rds(region: Region): Connection<typeof import('@aws-sdk/client-rds'), RDSClient>;
  elasticache(region: Region): Connection<typeof import('@aws-sdk/client-elasticache'), ElastiCacheClient>;
  ecs(region: Region): Connection<typeof import('@aws-sdk/client-ecs'), ECSClient>;
}

const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

export function discoveryAdapter(c: DiscoveryConnections): DiscoveryApi {
  return {
    async hostedZones() {
      const out: ZoneSummary[] = [];
      let marker: string | undefined;
      do {
        const page = await c.route53.read('ListHostedZones', (sdk, cl, o) => cl.send(new sdk.ListHostedZonesCommand({ Marker: marker }), o));
        for (const z of page.HostedZones ?? []) out.push({ id: bareId(z.Id), name: z.Name ?? '', privateZone: z.Config?.PrivateZone ?? false });
        marker = page.IsTruncated ? page.NextMarker : undefined;
      } while (marker);
      return out;
    },
    async zoneRecords(zoneId) {
      const out: RecordSet[] = [];
      let next: { name?: string; type?: string; id?: string } | undefined = {};
      while (next) {
        const start: { name?: string; type?: string; id?: string } = next;
        const page = await c.route53.read('ListResourceRecordSets', (sdk, cl, o) =>
          cl.send(
            new sdk.ListResourceRecordSetsCommand({
              HostedZoneId: zoneId,
              StartRecordName: start.name,
              StartRecordType: start.type as RRType | undefined,
              StartRecordIdentifier: start.id,
              MaxItems: 300,
            }),
            o,
          ),
        );
        out.push(...(page.ResourceRecordSets ?? []).map(recordFromSdk));
        next = page.IsTruncated ? { name: page.NextRecordName, type: page.NextRecordType, id: page.NextRecordIdentifier } : undefined;
      }
      return out;
    },
    // ListHealthChecks pages by Marker, at most 1000 a page (Route 53 API reference, API_ListHealthChecks.html);
    // each item carries its whole configuration (CALCULATED children included), so one page reads them all.
    async healthChecks() {
      const out: HealthCheckInfo[] = [];
      let marker: string | undefined;
      do {
        const page = await c.route53.read('ListHealthChecks', (sdk, cl, o) => cl.send(new sdk.ListHealthChecksCommand({ Marker: marker }), o));
        for (const hc of page.HealthChecks ?? []) if (hc.Id) out.push(healthCheckInfo(hc, hc.Id));
        marker = page.IsTruncated ? page.NextMarker : undefined;
      } while (marker);
      return out;
    },
    async globalClusters(region) {
      const out: GlobalClusterInfo[] = [];
      let marker: string | undefined;
      do {
        const page = await c.rds(region).read('DescribeGlobalClusters', (sdk, cl, o) => cl.send(new sdk.DescribeGlobalClustersCommand({ Marker: marker }), o));
        out.push(...(page.GlobalClusters ?? []).map(globalClusterFromSdk));
        marker = page.Marker;
      } while (marker);
      return out;
    },
    // DescribeDBInstances with no identifier lists the region's instances, paged by Marker (RDS API
    // reference, API_DescribeDBInstances.html); each carries its replica source and replicas.
    async dbInstances(region) {
      const out: DbInstanceInfo[] = [];
      let marker: string | undefined;
      do {
        const page = await c.rds(region).read('DescribeDBInstances', (sdk, cl, o) => cl.send(new sdk.DescribeDBInstancesCommand({ Marker: marker }), o));
        out.push(...(page.DBInstances ?? []).map((i) => dbInstanceFromSdk(i, region)));
        marker = page.Marker;
      } while (marker);
      return out;
    },
    async globalDatastores(region) {
      const out: GlobalDatastoreInfo[] = [];
      let marker: string | undefined;
      do {
        const page = await c
          .elasticache(region)
          .read('DescribeGlobalReplicationGroups', (sdk, cl, o) =>
            cl.send(new sdk.DescribeGlobalReplicationGroupsCommand({ ShowMemberInfo: true, Marker: marker }), o),
          );
        out.push(...(page.GlobalReplicationGroups ?? []).map(globalDatastoreFromSdk));
        marker = page.Marker;
      } while (marker);
      return out;
    },
    async ecsClusters(region) {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await c.ecs(region).read('ListClusters', (sdk, cl, o) => cl.send(new sdk.ListClustersCommand({ nextToken: token }), o));
        out.push(...(page.clusterArns ?? []).map(lastSegment));
        token = page.nextToken;
      } while (token);
      return out.sort();
    },
    async ecsServices(region, cluster) {
      const arns: string[] = [];
      let token: string | undefined;
      do {
        const page = await c.ecs(region).read('ListServices', (sdk, cl, o) => cl.send(new sdk.ListServicesCommand({ cluster, nextToken: token }), o));
        arns.push(...(page.serviceArns ?? []));
        token = page.nextToken;
      } while (token);
      return arns.length ? ecsAdapter(c.ecs(region)).describeServices(cluster, arns.map(lastSegment)) : [];
    },
  };
}
