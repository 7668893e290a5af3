// Route 53 response bodies (restXml). Element names and nesting follow the SDK's output schemas:
// list members are ResourceRecordSet, ResourceRecord, HostedZone, HealthCheck, NameServer,
// HealthCheckObservation, ChildHealthCheck, Region.
import { XML_DECL, el, wrap } from '../../protocol/xml.js';
import type { SandboxAwsError, SandboxResponse } from '../../contract.js';
import type { ChangeRecord, HealthCheckState, StoredRecord, Zone } from './model.js';

export const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function xmlResponse(root: string, inner: string, status = 200, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'content-type': 'text/xml', ...headers }, body: `${XML_DECL}<${root} xmlns="${NS}">${inner}</${root}>` };
}

export function errorResponse(err: SandboxAwsError, requestId: string): SandboxResponse {
  const inner = wrap('Error', el('Type', err.type) + el('Code', err.code) + el('Message', err.message)) + el('RequestId', requestId);
  return xmlResponse('ErrorResponse', inner, err.status);
}

export function recordXml(r: StoredRecord): string {
  let x =
    el('Name', r.name) +
    el('Type', r.type) +
    el('SetIdentifier', r.setIdentifier) +
    el('Weight', r.weight) +
    el('Region', r.region) +
    el('Failover', r.failover) +
    el('MultiValueAnswer', r.multiValueAnswer) +
    el('TTL', r.ttl);
  if (r.values) x += wrap('ResourceRecords', r.values.map((v) => wrap('ResourceRecord', el('Value', v))).join(''));
  if (r.alias)
    x += wrap(
      'AliasTarget',
      el('HostedZoneId', r.alias.hostedZoneId) + el('DNSName', r.alias.dnsName) + el('EvaluateTargetHealth', r.alias.evaluateTargetHealth),
    );
  x += el('HealthCheckId', r.healthCheckId);
  return wrap('ResourceRecordSet', x);
}

export function zoneXml(z: Zone): string {
  const config = wrap('Config', el('Comment', z.comment) + el('PrivateZone', z.privateZone));
  return wrap(
    'HostedZone',
    el('Id', `/hostedzone/${z.id}`) + el('Name', z.name) + el('CallerReference', z.callerReference) + config + el('ResourceRecordSetCount', z.records.length),
  );
}

export function delegationSetXml(z: Zone): string {
  return wrap('DelegationSet', wrap('NameServers', z.nameServers.map((n) => el('NameServer', n)).join('')));
}

export function changeInfoXml(c: ChangeRecord, status: 'PENDING' | 'INSYNC'): string {
  return wrap('ChangeInfo', el('Id', `/change/${c.id}`) + el('Status', status) + el('SubmittedAt', iso(c.submittedAt)) + el('Comment', c.comment));
}

export function healthCheckXml(h: HealthCheckState): string {
  const c = h.config;
  const list = (name: string, member: string, items?: string[]) => (items && items.length ? wrap(name, items.map((i) => el(member, i)).join('')) : '');
  // A CALCULATED check has no endpoint and no checkers: only what applies to it (HealthCheckConfig,
  // API reference: HealthThreshold and ChildHealthChecks are "CALCULATED health checks only").
  // ⚠ Whether AWS also echoes RequestInterval/FailureThreshold defaults for it is unverified.
  const config = c.type === 'CALCULATED' ? calculatedXml(c, list) : endpointXml(c, list);
  return wrap(
    'HealthCheck',
    el('Id', h.id) + el('CallerReference', h.callerReference) + wrap('HealthCheckConfig', config) + el('HealthCheckVersion', h.version),
  );
}

type ListXml = (name: string, member: string, items?: string[]) => string;

function calculatedXml(c: HealthCheckState['config'], list: ListXml): string {
  return (
    el('Type', c.type) +
    el('Inverted', c.inverted) +
    el('Disabled', c.disabled) +
    el('HealthThreshold', c.healthThreshold) +
    list('ChildHealthChecks', 'ChildHealthCheck', c.childHealthChecks)
  );
}

function endpointXml(c: HealthCheckState['config'], list: ListXml): string {
  return (
    el('IPAddress', c.ipAddress) +
    el('Port', c.port) +
    el('Type', c.type) +
    el('ResourcePath', c.resourcePath) +
    el('FullyQualifiedDomainName', c.fqdn) +
    el('SearchString', c.searchString) +
    el('RequestInterval', c.requestInterval) +
    el('FailureThreshold', c.failureThreshold) +
    el('MeasureLatency', c.measureLatency) +
    el('Inverted', c.inverted) +
    el('Disabled', c.disabled) +
    el('HealthThreshold', c.healthThreshold) +
    list('ChildHealthChecks', 'ChildHealthCheck', c.childHealthChecks) +
    el('EnableSNI', c.enableSNI) +
    list('Regions', 'Region', c.regions) +
    el('InsufficientDataHealthStatus', c.insufficientDataHealthStatus)
  );
}

export interface Observation {
  region: string;
  ip: string;
  status: string;
  checkedAt: number;
}

export function observationsXml(list: Observation[]): string {
  const items = list.map((o) =>
    wrap(
      'HealthCheckObservation',
      el('Region', o.region) + el('IPAddress', o.ip) + wrap('StatusReport', el('Status', o.status) + el('CheckedTime', iso(o.checkedAt))),
    ),
  );
  return wrap('HealthCheckObservations', items.join(''));
}
