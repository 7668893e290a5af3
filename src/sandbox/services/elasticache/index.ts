// ElastiCache (awsQuery, 2015-02-02): Global Datastore reads and failover, regional replication groups.
import { SandboxAwsError, type ServiceContext, type ServiceModule } from '../../contract.js';
import { el, esc, wrap } from '../../protocol/xml.js';
import { bool, int, invalidAction, page, queryAction, queryError, queryOperation, str, xmlList, type QueryTree } from '../../protocol/query.js';
import { datastoreStatus, initElastiCache, memberRole, settleDatastores, type DatastoreState, type ElastiCacheState } from './state.js';
import { memberClusterIds } from './lag.js';

const XMLNS = 'http://elasticache.amazonaws.com/doc/2015-02-02/';

function notFound(id: string): SandboxAwsError {
  return new SandboxAwsError('GlobalReplicationGroupNotFoundFault', `GlobalReplicationGroup ${id} not found.`, 404);
}

function required(q: QueryTree, key: string): string {
  const v = str(q, key);
  if (!v) throw new SandboxAwsError('MissingParameter', `The request must contain the parameter ${key}.`);
  return v;
}

/**
 * ⚠ Which regions answer for a Global Datastore is not documented: we make it visible from every region
 * that hosts one of its members (so it can be read and failed over from a surviving secondary), and
 * unknown elsewhere.
 */
function visible(state: ElastiCacheState, region: string): DatastoreState[] {
  return state.globalDatastores.filter((d) => d.members.some((m) => m.region === region));
}

/** us-east-1 -> use1, as in ElastiCache endpoint names. */
function regionCode(region: string): string {
  const [geo, dir, n] = region.split('-');
  return `${geo}${dir?.[0] ?? ''}${n ?? ''}`;
}

function datastoreXml(d: DatastoreState, account: string, withMembers: boolean): string {
  const members = withMembers
    ? xmlList(
        'Members',
        'GlobalReplicationGroupMember',
        d.members,
        (m) =>
          el('ReplicationGroupId', m.replicationGroupId) +
          el('ReplicationGroupRegion', m.region) +
          el('Role', memberRole(d, m.replicationGroupId)) +
          el('AutomaticFailover', 'enabled') +
          el('Status', 'associated'),
      )
    : '';
  return (
    el('GlobalReplicationGroupId', d.id) +
    el('GlobalReplicationGroupDescription', d.description) +
    el('Status', datastoreStatus(d)) +
    el('CacheNodeType', d.cacheNodeType) +
    el('Engine', d.engine) +
    el('EngineVersion', d.engineVersion) +
    members +
    el('ClusterEnabled', false) +
    el('AuthTokenEnabled', false) +
    el('TransitEncryptionEnabled', true) +
    el('AtRestEncryptionEnabled', true) +
    el('ARN', `arn:aws:elasticache::${account}:globalreplicationgroup:${d.id}`)
  );
}

function replicationGroupXml(d: DatastoreState, rgId: string, region: string, account: string): string {
  const host = (role: string) => `${role}.${rgId}.c0ffee.${regionCode(region)}.cache.amazonaws.com`;
  const endpoint = (name: string, role: string) => wrap(name, el('Address', host(role)) + el('Port', 6379));
  const changing = d.failover && (d.failover.from === rgId || d.failover.to === rgId);
  // ⚠ The replication groups' status during a datastore promotion is not documented; we show `modifying`
  // on the two that change roles.
  const status = changing ? 'modifying' : 'available';
  const nodeGroup = el('NodeGroupId', '0001') + el('Status', status) + endpoint('PrimaryEndpoint', 'master') + endpoint('ReaderEndpoint', 'replica');
  return (
    el('ReplicationGroupId', rgId) +
    el('Description', `${rgId} (member of ${d.id})`) +
    // ⚠ The model documents the member role as "primary or secondary" (lowercase).
    wrap('GlobalReplicationGroupInfo', el('GlobalReplicationGroupId', d.id) + el('GlobalReplicationGroupMemberRole', memberRole(d, rgId).toLowerCase())) +
    el('Status', status) +
    xmlList('MemberClusters', 'ClusterId', memberClusterIds(rgId), esc) +
    xmlList('NodeGroups', 'NodeGroup', [nodeGroup], (x) => x) +
    el('AutomaticFailover', 'enabled') +
    el('MultiAZ', 'enabled') +
    el('ClusterEnabled', false) +
    el('CacheNodeType', d.cacheNodeType) +
    el('AuthTokenEnabled', false) +
    el('TransitEncryptionEnabled', true) +
    el('AtRestEncryptionEnabled', true) +
    el('ARN', `arn:aws:elasticache:${region}:${account}:replicationgroup:${rgId}`) +
    el('Engine', d.engine)
  );
}

function describeGlobal(q: QueryTree, state: ElastiCacheState, ctx: ServiceContext, region: string): string {
  const id = str(q, 'GlobalReplicationGroupId');
  let list = visible(state, region);
  if (id) {
    list = list.filter((d) => d.id === id);
    if (list.length === 0) throw notFound(id);
  }
  // ⚠ Members come back only with ShowMemberInfo=true (the CLI example without it has none).
  const withMembers = bool(q, 'ShowMemberInfo') === true;
  const p = page(list, int(q, 'MaxRecords'), str(q, 'Marker'));
  return el('Marker', p.marker) + xmlList('GlobalReplicationGroups', 'GlobalReplicationGroup', p.items, (d) => datastoreXml(d, ctx.account, withMembers));
}

function describeReplicationGroups(q: QueryTree, state: ElastiCacheState, ctx: ServiceContext, region: string): string {
  const id = str(q, 'ReplicationGroupId');
  // Regional: only the replication groups that live in the called region.
  let groups = state.globalDatastores.flatMap((d) => d.members.filter((m) => m.region === region).map((m) => ({ d, m })));
  if (id) {
    groups = groups.filter(({ m }) => m.replicationGroupId === id);
    if (groups.length === 0) throw new SandboxAwsError('ReplicationGroupNotFoundFault', `ReplicationGroup ${id} not found.`, 404);
  }
  const p = page(groups, int(q, 'MaxRecords'), str(q, 'Marker'));
  return (
    el('Marker', p.marker) +
    xmlList('ReplicationGroups', 'ReplicationGroup', p.items, ({ d, m }) => replicationGroupXml(d, m.replicationGroupId, region, ctx.account))
  );
}

/**
 * PrimaryRegion / PrimaryReplicationGroupId name the NEW primary (⚠ interpretation shared by AWS's CLI
 * examples and runbooks). Callable from any member region, including the target's, while the primary's
 * region is down.
 */
function failover(q: QueryTree, state: ElastiCacheState, ctx: ServiceContext, region: string): string {
  const id = required(q, 'GlobalReplicationGroupId');
  const newRegion = required(q, 'PrimaryRegion');
  const newPrimary = required(q, 'PrimaryReplicationGroupId');
  const d = visible(state, region).find((x) => x.id === id);
  if (!d) throw notFound(id);
  const member = d.members.find((m) => m.replicationGroupId === newPrimary);
  if (!member) throw new SandboxAwsError('InvalidParameterValue', `Replication group ${newPrimary} is not a member of global replication group ${id}.`);
  if (member.region !== newRegion)
    throw new SandboxAwsError('InvalidParameterValue', `Replication group ${newPrimary} is in ${member.region}, not in ${newRegion}.`);
  // "Promotion is allowed anytime, even if other modifications are in progress. You can also issue
  // multiple promotions in parallel" (ElastiCache user guide, Redis-Global-Datastores-Console:
  // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Console.html; AWS-FACTS §10).
  // So a promotion while modifying is accepted. ⚠ Parallel promotions "resolve to one primary" with no
  // guarantee which; the sandbox lets the newest win (it restarts the clock), and one to the target
  // already being promoted is the same promotion (answered, nothing restarted).
  if (d.failover?.to === newPrimary) return wrap('GlobalReplicationGroup', datastoreXml(d, ctx.account, true));
  if (!d.failover && d.primary === newPrimary)
    throw new SandboxAwsError('InvalidParameterValue', `Replication group ${newPrimary} is already the primary of global replication group ${id}.`);
  if (ctx.regionDownSince(member.region) !== undefined) {
    throw new SandboxAwsError('InvalidGlobalReplicationGroupState', `Replication group ${newPrimary} in ${member.region} is not available.`);
  }
  const now = ctx.now();
  d.failover = { from: d.primary, to: newPrimary, startedAt: now, endsAt: now + ctx.durationMs('datastoreFailover') };
  return wrap('GlobalReplicationGroup', datastoreXml(d, ctx.account, true));
}

const op = (mutating: boolean, answer: (q: QueryTree, state: ElastiCacheState, ctx: ServiceContext, region: string) => string) =>
  queryOperation<ElastiCacheState>(XMLNS, mutating, (q, state, ctx, req) => answer(q, state, ctx, req.region), settleDatastores);

export const elastiCacheService: ServiceModule<ElastiCacheState> = {
  signingName: 'elasticache',
  stateKey: 'elasticache',
  init: (section, ctx) => initElastiCache(section, ctx),
  operation: (req) => queryAction(req),
  operations: {
    DescribeGlobalReplicationGroups: op(false, describeGlobal),
    DescribeReplicationGroups: op(false, describeReplicationGroups),
    FailoverGlobalReplicationGroup: op(true, failover),
  },
  unknownOperation: (_req, operation) => invalidAction(operation),
  renderError: (err, req) => queryError(err, req.requestId),
};
