// RDS XML as the SDK's schema reads it: GlobalClusters/GlobalClusterMember for the clusters AND
// GlobalClusterMembers/GlobalClusterMember for their members, Readers/member, DBClusters/DBCluster.
import { el, esc, wrap } from '../../protocol/xml.js';
import { xmlList } from '../../protocol/query.js';
import { globalWriterEndpoint } from './global-endpoint.js';
import { clusterArn, clusterStatus, failoverStatus, globalStatus, syncStatus, type AuroraGlobalCluster, type AuroraMember } from './state.js';

/** Fake but stable hash in endpoints; matches the demo world's Route 53 records. */
const ENDPOINT_HASH = 'c0ffee';

export function globalClusterArn(account: string, id: string): string {
  return `arn:aws:rds::${account}:global-cluster:${id}`;
}

export function globalClusterXml(gc: AuroraGlobalCluster, account: string, now: number): string {
  const arnOf = (m: AuroraMember) => clusterArn(account, m.region, m.clusterId);
  const members = xmlList('GlobalClusterMembers', 'GlobalClusterMember', gc.members, (m) => {
    const isWriter = m.clusterId === gc.writer;
    const readers = isWriter ? gc.members.filter((o) => o !== m).map(arnOf) : [];
    return (
      el('DBClusterArn', arnOf(m)) +
      xmlList('Readers', 'member', readers, esc) +
      el('IsWriter', isWriter) +
      (isWriter ? '' : el('GlobalWriteForwardingStatus', 'disabled')) +
      el('SynchronizationStatus', syncStatus(gc, m.clusterId))
    );
  });
  const t = gc.transition;
  const arnById = (id: string) => arnOf(gc.members.find((m) => m.clusterId === id)!);
  const failover = t
    ? wrap(
        'FailoverState',
        el('Status', failoverStatus(t, now)) +
          el('FromDbClusterArn', arnById(t.from)) +
          el('ToDbClusterArn', arnById(t.to)) +
          el('IsDataLossAllowed', t.kind === 'failover'),
      )
    : '';
  return (
    el('GlobalClusterIdentifier', gc.id) +
    el('GlobalClusterResourceId', gc.resourceId) +
    el('GlobalClusterArn', globalClusterArn(account, gc.id)) +
    el('Status', globalStatus(gc)) +
    el('Engine', gc.engine) +
    el('EngineVersion', gc.engineVersion) +
    el('StorageEncrypted', true) +
    el('DeletionProtection', false) +
    members +
    // The global writer endpoint, where the global cluster has one (global-endpoint.ts).
    (gc.writerEndpoint === false ? '' : el('Endpoint', globalWriterEndpoint(gc))) +
    failover
  );
}

export function dbClusterXml(gc: AuroraGlobalCluster, m: AuroraMember, account: string, now: number): string {
  const isWriter = m.clusterId === gc.writer;
  const host = (kind: string) => `${m.clusterId}.${kind}-${ENDPOINT_HASH}.${m.region}.rds.amazonaws.com`;
  const instanceNumbers = Array.from({ length: m.instances ?? 1 }, (_, i) => i + 1);
  const instance = xmlList(
    'DBClusterMembers',
    'DBClusterMember',
    instanceNumbers,
    (n) =>
      el('DBInstanceIdentifier', `${m.clusterId}-instance-${n}`) +
      el('IsClusterWriter', isWriter && n === 1) +
      el('DBClusterParameterGroupStatus', 'in-sync') +
      el('PromotionTier', 1),
  );
  return (
    el('DBClusterIdentifier', m.clusterId) +
    el('Status', clusterStatus(gc, m.clusterId, now)) +
    // A secondary has no writer endpoint of its own that accepts writes; AWS still names one.
    el('Endpoint', host('cluster')) +
    el('ReaderEndpoint', host('cluster-ro')) +
    el('MultiAZ', false) +
    el('Engine', gc.engine) +
    el('EngineVersion', m.engineVersion ?? gc.engineVersion) +
    el('Port', gc.engine.includes('postgres') ? 5432 : 3306) +
    instance +
    el('HostedZoneId', 'Z2R2ITUGPM61AM') +
    el('StorageEncrypted', true) +
    el('DBClusterArn', clusterArn(account, m.region, m.clusterId)) +
    el('GlobalClusterIdentifier', gc.id) +
    (isWriter ? '' : el('GlobalWriteForwardingStatus', 'disabled'))
  );
}
