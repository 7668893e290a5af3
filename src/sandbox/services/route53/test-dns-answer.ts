// TestDNSAnswer: GET /2013-04-01/testdnsanswer?hostedzoneid&recordname&recordtype[&resolverip]
// [&edns0clientsubnetip[&edns0clientsubnetmask]]. Parameter and element names follow the SDK's model
// (node_modules/@aws-sdk/client-route-53: TestDNSAnswerRequest's httpQuery names; TestDNSAnswerResponse
// Nameserver, RecordName, RecordType, RecordData/RecordDataEntry, ResponseCode, Protocol). Errors:
// NoSuchHostedZone (404) and InvalidInput (400), the two the operation declares. "This call only
// supports querying public hosted zones" (API reference), so a private zone is InvalidInput.
import { SandboxAwsError, type SandboxResponse } from '../../contract.js';
import type { CoreServiceContext } from '../../runtime.js';
import { el, wrap } from '../../protocol/xml.js';
import { RECORD_TYPES } from '../../world-schema.js';
import { answer } from './answer.js';
import { masked, parseIp, regionOfAddress } from './client-location.js';
import type { Route53State } from './model.js';
import { normalizeName } from './records.js';
import { xmlResponse } from './xml-out.js';
import { findZone, invalidInput } from './zones.js';

/** Where TestDNSAnswer's default resolver is when ResolverIP is omitted (API reference: us-east-1). */
const DEFAULT_RESOLVER_REGION = 'us-east-1';

function required(query: URLSearchParams, key: string, member: string): string {
  const v = query.get(key);
  if (v === null || v === '')
    throw invalidInput(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function address(text: string, member: string): { v6: boolean; value: bigint } {
  const ip = parseIp(text);
  if (!ip) throw invalidInput(`Invalid IP address ${text} for ${member}`);
  return ip;
}

export function testDnsAnswer(state: Route53State, ctx: CoreServiceContext, query: URLSearchParams): SandboxResponse {
  const zoneId = required(query, 'hostedzoneid', 'hostedZoneId').replace(/^\/hostedzone\//, '');
  const recordName = required(query, 'recordname', 'recordName');
  const type = required(query, 'recordtype', 'recordType');
  if (!(RECORD_TYPES as readonly string[]).includes(type)) {
    throw invalidInput(
      `1 validation error detected: Value '${type}' at 'recordType' failed to satisfy constraint: Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`,
    );
  }
  const resolverText = query.get('resolverip') ?? undefined;
  const subnetText = query.get('edns0clientsubnetip') ?? undefined;
  const maskText = query.get('edns0clientsubnetmask') ?? undefined;
  const resolver = resolverText === undefined ? undefined : address(resolverText, 'resolverip');
  const subnet = subnetText === undefined ? undefined : address(subnetText, 'edns0clientsubnetip');
  if (maskText !== undefined && !subnet) throw invalidInput('edns0clientsubnetmask requires edns0clientsubnetip');
  let mask: number | undefined;
  if (subnet) {
    // API reference, EDNS0ClientSubnetMask: 0-32 for IPv4, 0-128 for IPv6; default 24 and 64 bits.
    const max = subnet.v6 ? 128 : 32;
    mask = maskText === undefined ? (subnet.v6 ? 64 : 24) : Number(maskText);
    if (!/^\d+$/.test(maskText ?? String(mask)) || mask > max)
      throw invalidInput(`Invalid edns0clientsubnetmask ${maskText}: specify a value between 0 and ${max}`);
  }
  const zone = findZone(state, zoneId);
  if (zone.privateZone) throw new SandboxAwsError('InvalidInput', 'TestDNSAnswer only supports querying public hosted zones', 400);
  const name = normalizeName(recordName);
  // The client is where its EDNS0 subnet is, else where its resolver is (client-location.ts).
  const fallback = ctx.regions[0] ?? DEFAULT_RESOLVER_REGION;
  const clientRegion = subnet ? (regionOfAddress(subnet, mask) ?? fallback) : resolver ? (regionOfAddress(resolver) ?? fallback) : DEFAULT_RESOLVER_REGION;
  // Seeded by what Route 53 sees of the query: the subnet as cut to its mask, not the client's full address.
  const seed = [zone.id, name, type, resolverText ?? '', subnet ? `${masked(subnet.value, subnet.v6, mask!).toString(16)}/${mask}` : ''].join('|');
  const result = answer(state, ctx, zone, { name, type, clientRegion, seed });
  const inner =
    el('Nameserver', zone.nameServers[0]!.replace(/\.$/, '')) +
    el('RecordName', name) +
    el('RecordType', type) +
    wrap('RecordData', result.data.map((d) => el('RecordDataEntry', d)).join('')) +
    el('ResponseCode', result.responseCode) +
    el('Protocol', 'UDP');
  return xmlResponse('TestDNSAnswerResponse', inner);
}
