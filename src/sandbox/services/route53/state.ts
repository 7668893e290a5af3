// Route 53's slice of the sandbox state (plain JSON, persisted by the core) and its initial value
// from the world file.
import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../contract.js';
import type { WorldFile, WorldHealthCheck, WorldRecord } from '../../world-schema.js';
import type { HealthCheckState, Route53State, StoredRecord, Zone } from './model.js';
import { normalizeName, sortRecords } from './records.js';

export const CHANGE_HISTORY = 5000;

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Route 53 style ids: a letter and upper-case alphanumerics (Z..., C...). */
export function newId(prefix: string, length = 20): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = 0; i < length; i++) out += ID_CHARS[bytes[i]! % ID_CHARS.length];
  return out;
}

export function nameServersFor(zoneId: string): string[] {
  // Deterministic per zone, in the shape of Route 53's delegation sets.
  const n = [...zoneId].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 2048, 7);
  return [
    `ns-${n}.awsdns-${n % 64}.org.`,
    `ns-${(n + 515) % 2048}.awsdns-${(n + 1) % 64}.co.uk.`,
    `ns-${(n + 1029) % 2048}.awsdns-${(n + 2) % 64}.com.`,
    `ns-${(n + 1543) % 2048}.awsdns-${(n + 3) % 64}.net.`,
  ];
}

/** The SOA and NS records every hosted zone starts with. */
export function apexRecords(zoneName: string, nameServers: string[]): StoredRecord[] {
  return [
    { name: zoneName, type: 'NS', ttl: 172800, values: nameServers },
    { name: zoneName, type: 'SOA', ttl: 900, values: [`${nameServers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`] },
  ];
}

function fromWorld(r: WorldRecord): StoredRecord {
  const out: StoredRecord = { name: normalizeName(r.name), type: r.type };
  if (r.setIdentifier !== undefined) out.setIdentifier = r.setIdentifier;
  if (r.weight !== undefined) out.weight = r.weight;
  if (r.region !== undefined) out.region = r.region;
  if (r.failover !== undefined) out.failover = r.failover;
  if (r.multiValueAnswer !== undefined) out.multiValueAnswer = r.multiValueAnswer;
  if (r.ttl !== undefined) out.ttl = r.ttl;
  if (r.values) out.values = [...r.values];
  if (r.alias)
    out.alias = {
      hostedZoneId: r.alias.hostedZoneId.replace(/^\/hostedzone\//, ''),
      dnsName: normalizeName(r.alias.dnsName),
      evaluateTargetHealth: r.alias.evaluateTargetHealth,
    };
  if (r.healthCheckId !== undefined) out.healthCheckId = r.healthCheckId;
  return out;
}

/** Filler records: simple A records, numbered, in TEST-NET-3 addresses. */
function fillers(zoneName: string, count: number): StoredRecord[] {
  const out: StoredRecord[] = new Array(count);
  const width = Math.max(5, String(count).length);
  for (let i = 0; i < count; i++) {
    out[i] = { name: `filler-${String(i + 1).padStart(width, '0')}.${zoneName}`, type: 'A', ttl: 300, values: [`203.0.113.${(i % 254) + 1}`] };
  }
  return out;
}

export function initRoute53(section: WorldFile['route53'], ctx: ServiceContext): Route53State {
  const now = ctx.now();
  const zones: Zone[] = (section?.zones ?? []).map((z) => {
    const name = normalizeName(z.name);
    const nameServers = nameServersFor(z.id);
    const records = [...apexRecords(name, nameServers), ...z.records.map(fromWorld), ...fillers(name, z.fillerRecords)];
    return {
      id: z.id,
      name,
      callerReference: `sandbox-world-${z.id}`,
      comment: z.comment,
      privateZone: z.privateZone,
      nameServers,
      records: sortRecords(records),
    };
  });
  const healthChecks: HealthCheckState[] = (section?.healthChecks ?? []).map((h) => fromWorldCheck(h, now));
  return { zones, healthChecks, changes: [] };
}

function fromWorldCheck(h: WorldHealthCheck, now: number): HealthCheckState {
  const base = { id: h.id, callerReference: `sandbox-world-${h.id}`, version: 1, createdAt: now };
  if (h.type === 'CALCULATED') {
    return { ...base, config: calculatedConfig(h.childHealthChecks, h.healthThreshold, h.inverted, h.disabled) };
  }
  return {
    ...base,
    watches: h.watches,
    config: {
      type: h.type,
      ipAddress: h.ipAddress,
      port: h.port ?? (h.type.startsWith('HTTPS') ? 443 : 80),
      resourcePath: h.resourcePath,
      fqdn: h.fqdn,
      searchString: h.searchString,
      requestInterval: h.requestInterval,
      failureThreshold: h.failureThreshold,
      measureLatency: false,
      inverted: h.inverted,
      disabled: h.disabled,
      enableSNI: h.type.startsWith('HTTPS') ? true : undefined,
    },
  };
}

/**
 * A CALCULATED check's configuration. Checkers do not probe it, so RequestInterval and FailureThreshold
 * do not apply: they are kept (the stored shape needs them) but not rendered (xml-out.ts).
 */
export function calculatedConfig(children: string[], threshold: number | undefined, inverted: boolean, disabled: boolean): HealthCheckState['config'] {
  return {
    type: 'CALCULATED',
    requestInterval: 30,
    failureThreshold: 3,
    measureLatency: false,
    inverted,
    disabled,
    childHealthChecks: [...children],
    healthThreshold: threshold,
  };
}
