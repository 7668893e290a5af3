// A DBInstance as the SDK's schema reads it (node_modules/@aws-sdk/client-rds, DBInstance$):
// DBInstances/DBInstance, ReadReplicaDBInstanceIdentifiers/ReadReplicaDBInstanceIdentifier,
// StatusInfos/DBInstanceStatusInfo{StatusType, Normal, Status, Message}, Endpoint{Address, Port, HostedZoneId}, TagList/Tag{Key, Value}.
// A cross-region source or replica is named by its ARN, a same-region one by its identifier
// ("Working with DB instance read replicas", USER_ReadRepl.html; DescribeDBInstances examples).
import type { ServiceContext } from '../../contract.js';
import { el, esc, wrap } from '../../protocol/xml.js';
import { xmlList } from '../../protocol/query.js';
import { instanceArn, instanceStatus, replicationState, type RdsInstance, type RdsInstanceState } from './instances.js';

/** Fake but stable hash in endpoints, as the Aurora clusters use. */
const ENDPOINT_HASH = 'c0ffee';

export function instanceEndpoint(i: Pick<RdsInstance, 'id' | 'region'>): string {
  return `${i.id}.${ENDPOINT_HASH}.${i.region}.rds.amazonaws.com`;
}

export function instanceXml(i: RdsInstance, state: RdsInstanceState, ctx: ServiceContext): string {
  const now = ctx.now();
  const status = instanceStatus(i, now);
  const ref = (region: string, id: string) => (region === i.region ? id : instanceArn(ctx.account, region, id));
  const replicas = state.instances.filter((r) => r.source?.region === i.region && r.source.id === i.id).map((r) => ref(r.region, r.id));
  const repl = replicationState(i, ctx);
  const port = i.engine.includes('postgres') ? 5432 : 3306;
  return (
    el('DBInstanceIdentifier', i.id) +
    el('DBInstanceClass', i.instanceClass) +
    el('Engine', i.engine) +
    el('DBInstanceStatus', status) +
    // A new instance has no endpoint until it is up.
    (status === 'creating' ? '' : wrap('Endpoint', el('Address', instanceEndpoint(i)) + el('Port', port) + el('HostedZoneId', 'Z2R2ITUGPM61AM'))) +
    el('AvailabilityZone', `${i.region}a`) +
    el('MultiAZ', false) +
    el('EngineVersion', i.engineVersion) +
    el('ReadReplicaSourceDBInstanceIdentifier', i.source ? ref(i.source.region, i.source.id) : undefined) +
    xmlList('ReadReplicaDBInstanceIdentifiers', 'ReadReplicaDBInstanceIdentifier', replicas, esc) +
    (repl
      ? xmlList(
          'StatusInfos',
          'DBInstanceStatusInfo',
          [repl],
          (s) => el('StatusType', 'read replication') + el('Normal', s.normal) + el('Status', s.status) + el('Message', s.message),
        )
      : '') +
    el('DBClusterIdentifier', i.clusterId) +
    el('StorageEncrypted', false) +
    el('DBInstanceArn', instanceArn(ctx.account, i.region, i.id)) +
    (i.tags?.length ? xmlList('TagList', 'Tag', i.tags, (t) => el('Key', t.key) + el('Value', t.value)) : '')
  );
}
