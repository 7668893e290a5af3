// Route 53 adapter. The client is always in us-east-1 (the control plane); see factory.ts.
import type { HealthCheckObservation as SdkObservation, ChangeInfo as SdkChangeInfo, Route53Client, RRType } from '@aws-sdk/client-route-53';
import { AwsCallError } from './errors.js';
import { type Connection, isoOf, requestIdOf } from './connection.js';
import { bareId, recordFromSdk, recordToSdk, sameRecordKey } from './route53-records.js';
import { withTrailingDot } from '../util/dns-name.js';
import type { ChangeInfo, HealthCheckInfo, HealthCheckObservation, RecordChange, RecordSet, Route53Api } from './types.js';

type Sdk = typeof import('@aws-sdk/client-route-53');
export type Route53Connection = Connection<Sdk, Route53Client>;

/** A weighted group has at most 100 records, so one page of 100 normally holds all of one name and type. */
const PAGE_SIZE = 100;
/** Far more than one name+type can span; a guard against a misbehaving endpoint, not a limit we expect to hit. */
const MAX_PAGES = 20;

export function route53Adapter(conn: Route53Connection): Route53Api {
  return {
    async getHostedZone(zoneId) {
      const out = await conn.read('GetHostedZone', (sdk, c, o) => c.send(new sdk.GetHostedZoneCommand({ Id: zoneId }), o));
      const zone = out.HostedZone;
      return { id: bareId(zone?.Id), name: zone?.Name ?? '', recordCount: zone?.ResourceRecordSetCount };
    },

    async readRecords(zoneId, name, type) {
      const records: RecordSet[] = [];
      let start: { name: string; type: string; identifier?: string } = { name: withTrailingDot(name), type: type.toUpperCase() };
      for (let page = 0; page < MAX_PAGES; page++) {
        const out = await conn.read('ListResourceRecordSets', (sdk, c, o) =>
          c.send(
            new sdk.ListResourceRecordSetsCommand({
              HostedZoneId: zoneId,
              StartRecordName: start.name,
              StartRecordType: start.type as RRType,
              StartRecordIdentifier: start.identifier,
              MaxItems: PAGE_SIZE,
            }),
            o,
          ),
        );
        // The listing starts at our name and type; the first record of any other name or type means we are past them.
        for (const rr of out.ResourceRecordSets ?? []) {
          if (!sameRecordKey(rr, name, type)) return records;
          records.push(recordFromSdk(rr));
        }
        const nextName = out.NextRecordName;
        const nextType = out.NextRecordType;
        if (!out.IsTruncated || nextName === undefined || nextType === undefined) return records;
        if (!sameRecordKey({ Name: nextName, Type: nextType }, name, type)) return records;
        if (nextName === start.name && nextType === start.type && out.NextRecordIdentifier === start.identifier) {
          throw new AwsCallError('route53', conn.region, 'ListResourceRecordSets', 'PaginationStalled', `the listing of ${name} ${type} did not advance`, {
            requestId: requestIdOf(out),
            unreachable: false,
            throttled: false,
          });
        }
        start = { name: nextName, type: nextType, identifier: out.NextRecordIdentifier };
      }
      throw new AwsCallError('route53', conn.region, 'ListResourceRecordSets', 'PaginationLimit', `${name} ${type} spans more than ${MAX_PAGES} pages`, {
        unreachable: false,
        throttled: false,
      });
    },

    async changeRecords(zoneId, changes: RecordChange[], comment) {
      const out = await conn.mutate('ChangeResourceRecordSets', (sdk, c, o) =>
        c.send(
          new sdk.ChangeResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            ChangeBatch: {
              Comment: comment,
              Changes: changes.map((ch) => ({ Action: ch.action, ResourceRecordSet: recordToSdk(ch.record) })),
            },
          }),
          o,
        ),
      );
      return changeInfo(out.ChangeInfo, requestIdOf(out));
    },

    async getChange(changeId) {
      const out = await conn.read('GetChange', (sdk, c, o) => c.send(new sdk.GetChangeCommand({ Id: changeId }), o));
      return changeInfo(out.ChangeInfo, requestIdOf(out));
    },

    async getHealthCheck(id): Promise<HealthCheckInfo> {
      const out = await conn.read('GetHealthCheck', (sdk, c, o) => c.send(new sdk.GetHealthCheckCommand({ HealthCheckId: id }), o));
      const hc = out.HealthCheck;
      const cfg = hc?.HealthCheckConfig;
      return {
        id: hc?.Id ?? id,
        version: hc?.HealthCheckVersion ?? 0,
        config: {
          type: cfg?.Type ?? '',
          ipAddress: cfg?.IPAddress,
          port: cfg?.Port,
          resourcePath: cfg?.ResourcePath,
          fqdn: cfg?.FullyQualifiedDomainName,
          searchString: cfg?.SearchString,
          requestInterval: cfg?.RequestInterval,
          failureThreshold: cfg?.FailureThreshold,
          inverted: cfg?.Inverted ?? false,
          disabled: cfg?.Disabled ?? false,
          measureLatency: cfg?.MeasureLatency,
          enableSni: cfg?.EnableSNI,
          regions: cfg?.Regions,
        },
      };
    },

    async getHealthCheckStatus(id) {
      const out = await conn.read('GetHealthCheckStatus', (sdk, c, o) => c.send(new sdk.GetHealthCheckStatusCommand({ HealthCheckId: id }), o));
      return (out.HealthCheckObservations ?? []).map(observation);
    },

    async getHealthCheckLastFailureReason(id) {
      const out = await conn.read('GetHealthCheckLastFailureReason', (sdk, c, o) =>
        c.send(new sdk.GetHealthCheckLastFailureReasonCommand({ HealthCheckId: id }), o),
      );
      return (out.HealthCheckObservations ?? []).map(observation);
    },
  };
}

function changeInfo(info: SdkChangeInfo | undefined, requestId: string | undefined): ChangeInfo {
  return {
    changeId: bareId(info?.Id),
    status: info?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING',
    submittedAt: isoOf(info?.SubmittedAt),
    requestId,
  };
}

export function observation(o: SdkObservation): HealthCheckObservation {
  const status = o.StatusReport?.Status ?? '';
  return {
    checkerRegion: o.Region ?? '',
    ipAddress: o.IPAddress,
    status,
    checkedTime: isoOf(o.StatusReport?.CheckedTime),
    // ⚠ AWS-FACTS §2.2: the status text is free-form; "Success: ..." for a healthy checker is what the docs show.
    healthy: status.startsWith('Success'),
  };
}
