// Route 53 request bodies (restXml) into plain values. Element names follow the SDK's schemas
// (node_modules/@aws-sdk/client-route-53: ChangeResourceRecordSetsRequest, CreateHostedZoneRequest,
// CreateHealthCheckRequest, UpdateHealthCheckRequest).
import { XMLParser } from 'fast-xml-parser';
import { SandboxAwsError } from '../../contract.js';

type Node = Record<string, unknown>;

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true, processEntities: true });

function invalid(message: string): SandboxAwsError {
  return new SandboxAwsError('InvalidInput', message, 400);
}

export function parseRoot(body: string, root: string): Node {
  let doc: Node;
  try {
    doc = parser.parse(body) as Node;
  } catch (e) {
    throw invalid(`Could not parse the request body as XML: ${(e as Error).message.split('\n')[0]}`);
  }
  const node = doc[root];
  if (!node || typeof node !== 'object') throw invalid(`Expected a ${root} element`);
  return node as Node;
}

/** A list wrapper's members (`<Changes><Change/>...</Changes>`): one member parses as an object, several as an array. */
export function members(wrapper: unknown, member: string): unknown[] {
  if (!wrapper || typeof wrapper !== 'object') return [];
  const m = (wrapper as Node)[member];
  if (m === undefined) return [];
  return Array.isArray(m) ? m : [m];
}

export function text(node: Node | undefined, key: string): string | undefined {
  const v = node?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return undefined;
  return String(v);
}

export function int(node: Node | undefined, key: string, at: string): number | undefined {
  const v = text(node, key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw invalid(`1 validation error detected: Value '${v}' at '${at}' failed to satisfy constraint: Member must be a number`);
  return Number(v);
}

export function bool(node: Node | undefined, key: string): boolean | undefined {
  const v = text(node, key);
  if (v === undefined) return undefined;
  return v === 'true';
}

export function child(node: Node | undefined, key: string): Node | undefined {
  const v = node?.[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
}

/** A record set as sent in a change, before validation. */
export interface InputRecord {
  Name?: string;
  Type?: string;
  SetIdentifier?: string;
  Weight?: number;
  Region?: string;
  Failover?: string;
  MultiValueAnswer?: boolean;
  TTL?: number;
  Values?: string[];
  AliasTarget?: { HostedZoneId?: string; DNSName?: string; EvaluateTargetHealth?: boolean };
  HealthCheckId?: string;
  /** Routing the sandbox does not model (GeoLocation, CidrRoutingConfig, GeoProximityLocation, TrafficPolicyInstanceId). */
  unsupported: string[];
}

export interface InputChange {
  Action?: string;
  ResourceRecordSet?: InputRecord;
}

export interface InputChangeBatch {
  comment?: string;
  changes: InputChange[];
}

function inputRecord(n: Node, at: string): InputRecord {
  const alias = child(n, 'AliasTarget');
  const rrs = child(n, 'ResourceRecords');
  const out: InputRecord = {
    Name: text(n, 'Name'),
    Type: text(n, 'Type'),
    SetIdentifier: text(n, 'SetIdentifier'),
    Weight: int(n, 'Weight', `${at}.weight`),
    Region: text(n, 'Region'),
    Failover: text(n, 'Failover'),
    MultiValueAnswer: bool(n, 'MultiValueAnswer'),
    TTL: int(n, 'TTL', `${at}.tTL`),
    Values: rrs ? members(rrs, 'ResourceRecord').map((r) => text(r as Node, 'Value') ?? '') : undefined,
    AliasTarget: alias
      ? { HostedZoneId: text(alias, 'HostedZoneId'), DNSName: text(alias, 'DNSName'), EvaluateTargetHealth: bool(alias, 'EvaluateTargetHealth') }
      : undefined,
    HealthCheckId: text(n, 'HealthCheckId'),
    unsupported: ['GeoLocation', 'CidrRoutingConfig', 'GeoProximityLocation', 'TrafficPolicyInstanceId'].filter((k) => n[k] !== undefined),
  };
  return out;
}

export function parseChangeBatch(body: string): InputChangeBatch {
  const root = parseRoot(body, 'ChangeResourceRecordSetsRequest');
  const batch = child(root, 'ChangeBatch');
  if (!batch) throw invalid("1 validation error detected: Value null at 'changeBatch' failed to satisfy constraint: Member must not be null");
  const changes = members(child(batch, 'Changes'), 'Change').map((c, i) => {
    const n = c as Node;
    const rrs = child(n, 'ResourceRecordSet');
    return { Action: text(n, 'Action'), ResourceRecordSet: rrs ? inputRecord(rrs, `changeBatch.changes.${i + 1}.member.resourceRecordSet`) : undefined };
  });
  return { comment: text(batch, 'Comment'), changes };
}
