// Hosted zones: list (by creation and by name), get, create; and the lookups and change records
// the other Route 53 operations share.
import { SandboxAwsError, type SandboxResponse } from '../../contract.js';
import type { CoreServiceContext } from '../../runtime.js';
import { el, wrap } from '../../protocol/xml.js';
import { nameKey, normalizeName, sortRecords } from './records.js';
import type { ChangeRecord, Route53State, Zone } from './model.js';
import { apexRecords, CHANGE_HISTORY, nameServersFor, newId } from './state.js';
import { bool, child, parseRoot, text } from './xml-in.js';
import { changeInfoXml, delegationSetXml, xmlResponse, zoneXml } from './xml-out.js';

export function invalidInput(message: string): SandboxAwsError {
  return new SandboxAwsError('InvalidInput', message, 400);
}

export function findZone(state: Route53State, id: string): Zone {
  const zone = state.zones.find((z) => z.id === id);
  if (!zone) throw new SandboxAwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);
  return zone;
}

/** The `maxitems` query parameter: a positive integer, capped at the operation's maximum. */
export function maxItems(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('maxitems');
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw invalidInput(`1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must be a positive integer`);
  return Math.min(Number(raw), max);
}

export function addChange(state: Route53State, ctx: CoreServiceContext, comment: string | undefined): ChangeRecord {
  const change: ChangeRecord = { id: newId('C'), submittedAt: ctx.now(), comment: comment || undefined };
  state.changes.push(change);
  if (state.changes.length > CHANGE_HISTORY) state.changes.splice(0, state.changes.length - CHANGE_HISTORY);
  return change;
}

export function changeStatus(change: ChangeRecord, ctx: CoreServiceContext): 'PENDING' | 'INSYNC' {
  return ctx.now() - change.submittedAt >= ctx.durationMs('dnsPropagation') ? 'INSYNC' : 'PENDING';
}

export function listHostedZones(state: Route53State, query: URLSearchParams): SandboxResponse {
  const max = maxItems(query, 100, 100);
  const marker = query.get('marker');
  let start = 0;
  if (marker) {
    start = state.zones.findIndex((z) => z.id === marker.replace(/^\/hostedzone\//, ''));
    if (start < 0) throw invalidInput(`Invalid marker: no hosted zone with ID ${marker}`);
  }
  const page = state.zones.slice(start, start + max);
  const next = state.zones[start + max];
  const inner =
    wrap('HostedZones', page.map(zoneXml).join('')) +
    el('Marker', marker ?? '') +
    el('IsTruncated', next !== undefined) +
    el('NextMarker', next?.id) +
    el('MaxItems', max);
  return xmlResponse('ListHostedZonesResponse', inner);
}

export function listHostedZonesByName(state: Route53State, query: URLSearchParams): SandboxResponse {
  const max = maxItems(query, 100, 100);
  const dnsName = query.get('dnsname') ?? undefined;
  const zoneId = query.get('hostedzoneid') ?? undefined;
  if (zoneId && !dnsName) throw invalidInput('The parameter HostedZoneId requires DNSName');
  const sorted = state.zones
    .map((z) => ({ k: nameKey(z.name), z }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.z.id < b.z.id ? -1 : a.z.id > b.z.id ? 1 : 0));
  let start = 0;
  if (dnsName) {
    const k = nameKey(dnsName);
    start = sorted.findIndex((x) => x.k > k || (x.k === k && (!zoneId || x.z.id >= zoneId)));
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + max).map((x) => x.z);
  const next = sorted[start + max]?.z;
  const inner =
    wrap('HostedZones', page.map(zoneXml).join('')) +
    el('DNSName', dnsName === undefined ? undefined : normalizeName(dnsName)) +
    el('HostedZoneId', zoneId) +
    el('IsTruncated', next !== undefined) +
    el('NextDNSName', next?.name) +
    el('NextHostedZoneId', next?.id) +
    el('MaxItems', max);
  return xmlResponse('ListHostedZonesByNameResponse', inner);
}

export function getHostedZone(state: Route53State, id: string): SandboxResponse {
  const zone = findZone(state, id);
  return xmlResponse('GetHostedZoneResponse', zoneXml(zone) + delegationSetXml(zone));
}

const DOMAIN = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+$/;

export function createHostedZone(state: Route53State, ctx: CoreServiceContext, body: string): SandboxResponse {
  const root = parseRoot(body, 'CreateHostedZoneRequest');
  const rawName = text(root, 'Name');
  const callerReference = text(root, 'CallerReference');
  if (!rawName) throw invalidInput("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  if (!callerReference)
    throw invalidInput("1 validation error detected: Value null at 'callerReference' failed to satisfy constraint: Member must not be null");
  const name = normalizeName(rawName);
  if (!DOMAIN.test(name) || name.length > 1024)
    throw new SandboxAwsError('InvalidDomainName', `${rawName} is reserved by AWS or is not a valid domain name`, 400);
  if (state.zones.some((z) => z.callerReference === callerReference)) {
    throw new SandboxAwsError('HostedZoneAlreadyExists', `A hosted zone has already been created with the specified caller reference: ${callerReference}`, 409);
  }
  const config = child(root, 'HostedZoneConfig');
  const privateZone = bool(config, 'PrivateZone') ?? false;
  if (privateZone && !child(root, 'VPC')) throw invalidInput('When you create a private hosted zone, you must specify a VPC');
  const id = newId('Z', 21);
  const nameServers = nameServersFor(id);
  const zone: Zone = {
    id,
    name,
    callerReference,
    comment: text(config, 'Comment'),
    privateZone,
    nameServers,
    records: sortRecords(apexRecords(name, nameServers)),
  };
  state.zones.push(zone);
  const change = addChange(state, ctx, undefined);
  const inner = zoneXml(zone) + changeInfoXml(change, changeStatus(change, ctx)) + delegationSetXml(zone);
  return xmlResponse('CreateHostedZoneResponse', inner, 201, { location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${id}` });
}
