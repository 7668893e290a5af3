// Route 53 record sets <-> RecordSet, losslessly, and the name rules Route 53 applies.
// AWS source for the name rules: names compare case-insensitively, with a trailing dot, and characters
// outside a-z 0-9 - _ come back as \ooo octal escapes (\052 is *)
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html). UPSERT replaces the
// whole record set, so every field not changed is sent as read (ChangeResourceRecordSets API reference).
import type { ResourceRecordSet, ResourceRecordSetRegion, RRType } from '@aws-sdk/client-route-53';
import type { RecordSet } from './types.js';
import { canonicalDnsName, withTrailingDot } from '../util/dns-name.js';

/** Fields RecordSet names explicitly; everything else the SDK returns is kept in `extra`. */
const KNOWN = new Set(['Name', 'Type', 'SetIdentifier', 'Weight', 'Region', 'Failover', 'TTL', 'ResourceRecords', 'AliasTarget', 'HealthCheckId']);

export function sameRecordKey(rr: { Name?: string; Type?: string }, name: string, type: string): boolean {
  return rr.Name !== undefined && rr.Type !== undefined && canonicalDnsName(rr.Name) === canonicalDnsName(name) && rr.Type.toUpperCase() === type.toUpperCase();
}

export function recordFromSdk(rr: ResourceRecordSet): RecordSet {
  const record: RecordSet = { name: rr.Name ?? '', type: rr.Type ?? '' };
  if (rr.SetIdentifier !== undefined) record.setIdentifier = rr.SetIdentifier;
  if (rr.Weight !== undefined) record.weight = rr.Weight;
  if (rr.Region !== undefined) record.region = rr.Region;
  if (rr.Failover !== undefined) record.failover = rr.Failover;
  if (rr.TTL !== undefined) record.ttl = rr.TTL;
  if (rr.ResourceRecords !== undefined) record.values = rr.ResourceRecords.map((r) => r.Value ?? '');
  if (rr.AliasTarget !== undefined) {
    record.aliasTarget = {
      hostedZoneId: rr.AliasTarget.HostedZoneId ?? '',
      dnsName: rr.AliasTarget.DNSName ?? '',
      evaluateTargetHealth: rr.AliasTarget.EvaluateTargetHealth ?? false,
    };
  }
  if (rr.HealthCheckId !== undefined) record.healthCheckId = rr.HealthCheckId;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rr)) {
    if (!KNOWN.has(key) && value !== undefined) extra[key] = value;
  }
  if (Object.keys(extra).length > 0) record.extra = extra;
  return record;
}

/** The inverse of recordFromSdk: `extra` first, so what the caller changed in the named fields wins. */
export function recordToSdk(record: RecordSet): ResourceRecordSet {
  // The SDK's RRType is a union of Route 53's type names; the record was read from Route 53 as one.
  const rr: ResourceRecordSet = { ...(record.extra ?? {}), Name: withTrailingDot(record.name), Type: record.type as RRType };
  if (record.setIdentifier !== undefined) rr.SetIdentifier = record.setIdentifier;
  if (record.weight !== undefined) rr.Weight = record.weight;
  if (record.region !== undefined) rr.Region = record.region as ResourceRecordSetRegion; // read from Route 53 as one
  if (record.failover !== undefined) rr.Failover = record.failover;
  if (record.ttl !== undefined) rr.TTL = record.ttl;
  if (record.values !== undefined) rr.ResourceRecords = record.values.map((Value) => ({ Value }));
  if (record.aliasTarget !== undefined) {
    rr.AliasTarget = {
      HostedZoneId: record.aliasTarget.hostedZoneId,
      DNSName: record.aliasTarget.dnsName,
      EvaluateTargetHealth: record.aliasTarget.evaluateTargetHealth,
    };
  }
  if (record.healthCheckId !== undefined) rr.HealthCheckId = record.healthCheckId;
  return rr;
}

/** Route 53 returns `/hostedzone/Z…` and `/change/C…`; the domain uses bare ids. */
export function bareId(id: string | undefined): string {
  if (id === undefined) return '';
  return id.replace(/^\/(hostedzone|change|delegationset)\//, '');
}
