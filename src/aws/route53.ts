// Route 53 adapter. The client is always in us-east-1 (the control plane); see factory.ts.
// AWS sources: Route 53's API endpoint is global, signed for us-east-1 (https://docs.aws.amazon.com/general/latest/gr/r53.html);
// GetChange PENDING -> INSYNC and GetHealthCheckStatus's raw checker observations
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetChange.html,
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html; AWS-FACTS §10).
// TestDNSAnswer: what Route 53 answers for a name, type, resolver and EDNS0 client subnet; public zones only
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_TestDNSAnswer.html). UpdateHealthCheck:
// only the elements sent change; HealthCheckVersion, when sent, must match or the call fails with
// HealthCheckVersionMismatch (https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHealthCheck.html).
import type { HealthCheckObservation as SdkObservation, ChangeInfo as SdkChangeInfo, Route53Client } from '@aws-sdk/client-route-53';
import { type Connection, isoOf, requestIdOf } from './connection.js';
import type { Route53Shared } from './route53-batch.js';
import { bareId, recordFromSdk, recordToSdk, sameRecordKey } from './route53-records.js';
import { withTrailingDot } from '../util/dns-name.js';
import type { MutationSink } from './mutation.js';
import { healthCheckInfo } from './route53-batch.js';
import type { RRType } from '@aws-sdk/client-route-53';
import type { ChangeInfo, HealthCheckInfo, HealthCheckObservation, RecordChange, Route53Api, Route53Mutations } from './types.js';

type Sdk = typeof import('@aws-sdk/client-route-53');
export type Route53Connection = Connection<Sdk, Route53Client>;

export { newRoute53Shared } from './route53-batch.js';

/** `shared` is the factory's per-process state: health check configurations read once, record reads batched. */
export function route53Adapter(conn: Route53Connection, shared: Route53Shared): Route53Api {
  return {
    async getHostedZone(zoneId) {
      const out = await conn.read('GetHostedZone', (sdk, c, o) => c.send(new sdk.GetHostedZoneCommand({ Id: zoneId }), o));
      const zone = out.HostedZone;
      return { id: bareId(zone?.Id), name: zone?.Name ?? '', recordCount: zone?.ResourceRecordSetCount };
    },

    readRecords(zoneId, name, type, expected) {
      return shared.records(conn, { zoneId, name, type, expected });
    },

    knownZoneName(zoneId) {
      return shared.knownZoneName(zoneId);
    },

    zoneName(zoneId) {
      return shared.zoneName(conn, zoneId);
    },

    forgetZoneName(zoneId) {
      shared.forgetZoneName(zoneId);
    },

    async getChange(changeId) {
      const out = await conn.read('GetChange', (sdk, c, o) => c.send(new sdk.GetChangeCommand({ Id: changeId }), o));
      return changeInfo(out.ChangeInfo, requestIdOf(out));
    },

    getHealthCheck(id): Promise<HealthCheckInfo> {
      return shared.healthCheck(conn, id);
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

    async testDnsAnswer(zoneId, name, type, q = {}) {
      const out = await conn.read('TestDNSAnswer', (sdk, c, o) =>
        c.send(
          new sdk.TestDNSAnswerCommand({
            HostedZoneId: zoneId,
            RecordName: name,
            RecordType: type as RRType, // a topology record type, one of Route 53's
            ResolverIP: q.resolverIp,
            EDNS0ClientSubnetIP: q.clientSubnet,
            EDNS0ClientSubnetMask: q.subnetMask === undefined ? undefined : String(q.subnetMask),
          }),
          o,
        ),
      );
      return {
        nameserver: out.Nameserver ?? '',
        recordName: out.RecordName ?? name,
        recordType: out.RecordType ?? type,
        data: out.RecordData ?? [],
        responseCode: out.ResponseCode ?? '',
        protocol: out.Protocol ?? '',
      };
    },
  };
}

/**
 * ChangeResourceRecordSets: one batch, applied as a whole or not at all
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html). The
 * intent's params keep the batch in mr's terms (records as RecordSet); its input is the SDK's.
 */
export function route53Mutations(conn: Route53Connection, sink: MutationSink, shared: Route53Shared): Route53Mutations {
  return {
    setHealthCheckInverted(id, inverted, version, opts) {
      return conn.mutate(
        sink,
        { operation: 'UpdateHealthCheck', target: `health check ${id}`, params: { healthCheckId: id, inverted, healthCheckVersion: version } },
        (sdk) => new sdk.UpdateHealthCheckCommand({ HealthCheckId: id, Inverted: inverted, HealthCheckVersion: version }),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          const info = healthCheckInfo(out.HealthCheck, id);
          // The configuration kept for this process is the one Route 53 now has.
          shared.updated(info);
          return { ...info, requestId: requestIdOf(out) };
        },
        opts,
      );
    },
    changeRecords(zoneId, changes: RecordChange[], comment, opts) {
      return conn.mutate(
        sink,
        { operation: 'ChangeResourceRecordSets', target: `hosted zone ${zoneId}`, params: { hostedZoneId: zoneId, comment, changes } },
        (sdk) =>
          new sdk.ChangeResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            ChangeBatch: { Comment: comment, Changes: changes.map((ch) => ({ Action: ch.action, ResourceRecordSet: recordToSdk(ch.record) })) },
          }),
        async (c, cmd, o) => {
          const out = await c.send(cmd, o);
          return changeInfo(out.ChangeInfo, requestIdOf(out));
        },
        opts,
      );
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
