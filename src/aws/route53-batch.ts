// Fewer Route 53 calls for the same answers, because every call spends the account's 5 req/s
// (pacer.ts). Reads asked for in the same tick are answered together:
//   - health check configurations: one ListHealthChecks instead of one GetHealthCheck per check, kept
//     for the life of the process (mr changes only Inverted, through this process's adapter, which
//     replaces the kept configuration with the one UpdateHealthCheck returns);
//   - records: names that sort next to each other share one ListResourceRecordSets page, sized to the
//     record sets asked for rather than a fixed 100.
// AWS sources: ListHealthChecks (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHealthChecks.html);
// ListResourceRecordSets lists by name with labels reversed, then type, from StartRecordName/Type, MaxItems
// at most 300 (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html).
import type { HealthCheck, ResourceRecordSet, RRType } from '@aws-sdk/client-route-53';
import { isAwsCallError, AwsCallError } from './errors.js';
import { type Connection, requestIdOf } from './connection.js';
import { recordFromSdk, sameRecordKey } from './route53-records.js';
import { canonicalDnsName as canonicalName, withTrailingDot } from '../util/dns-name.js';
import type { HealthCheckInfo, RecordSet } from './types.js';

type Sdk = typeof import('@aws-sdk/client-route-53');
type Conn = Connection<Sdk, import('@aws-sdk/client-route-53').Route53Client>;

/**
 * ListResourceRecordSets returns at most 300 record sets per page, ListHealthChecks at most 1000
 * (API reference: ListResourceRecordSets "maxitems", ListHealthChecks "maxitems").
 */
const MAX_RECORD_PAGE = 300;
const MAX_HEALTH_CHECK_PAGE = 1000;
/** Without a hint, the page size used before pages were sized: a weighted group has at most 100 records. */
const DEFAULT_EXPECTED = 100;
/** Far more than one name+type can span; a guard against a misbehaving endpoint. */
const MAX_PAGES = 20;

interface Ask<Req, Res> {
  req: Req;
  resolve(value: Res): void;
  reject(error: unknown): void;
}

/** Collects the asks of one tick and hands them over together. */
class Microbatch<Req, Res> {
  private asks: Ask<Req, Res>[] = [];
  constructor(private readonly flush: (asks: Ask<Req, Res>[]) => Promise<void>) {}

  ask(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.asks.push({ req, resolve, reject });
      if (this.asks.length === 1) {
        setImmediate(() => {
          const asks = this.asks;
          this.asks = [];
          this.flush(asks).catch((e) => asks.forEach((a) => a.reject(e)));
        });
      }
    });
  }
}

export function healthCheckInfo(hc: HealthCheck | undefined, id: string): HealthCheckInfo {
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
      childHealthChecks: cfg?.ChildHealthChecks,
      healthThreshold: cfg?.HealthThreshold,
    },
  };
}

async function getOne(conn: Conn, id: string): Promise<HealthCheckInfo> {
  const out = await conn.read('GetHealthCheck', (sdk, c, o) => c.send(new sdk.GetHealthCheckCommand({ HealthCheckId: id }), o));
  return healthCheckInfo(out.HealthCheck, id);
}

/**
 * Configurations of several checks: list pages until all are found, but never more pages than the
 * GetHealthCheck calls they replace; the rest (or all, when the listing is refused, e.g. an IAM
 * policy without route53:ListHealthChecks) are read one by one.
 */
async function readConfigs(conn: Conn, ids: string[]): Promise<Map<string, HealthCheckInfo>> {
  const found = new Map<string, HealthCheckInfo>();
  if (ids.length > 1) {
    const wanted = new Set(ids);
    let marker: string | undefined;
    try {
      for (let page = 0; page < ids.length - 1 && found.size < wanted.size; page++) {
        const out = await conn.read('ListHealthChecks', (sdk, c, o) =>
          c.send(new sdk.ListHealthChecksCommand({ Marker: marker, MaxItems: MAX_HEALTH_CHECK_PAGE }), o),
        );
        for (const hc of out.HealthChecks ?? []) if (hc.Id !== undefined && wanted.has(hc.Id)) found.set(hc.Id, healthCheckInfo(hc, hc.Id));
        if (!out.IsTruncated || out.NextMarker === undefined) break;
        marker = out.NextMarker;
      }
    } catch (e) {
      // No answer: one by one would not fare better. An answer (denied, invalid): read them one by one.
      if (!isAwsCallError(e) || e.details.unreachable) throw e;
    }
  }
  const rest = ids.filter((id) => !found.has(id));
  const infos = await Promise.all(rest.map((id) => getOne(conn, id)));
  rest.forEach((id, i) => found.set(id, infos[i]));
  return found;
}

export interface RecordWant {
  zoneId: string;
  name: string;
  type: string;
  expected?: number;
}

/** Route 53's listing order: DNS name with the labels reversed, then type. Used only to choose page sizes. */
function orderKey(w: RecordWant): string {
  const labels = canonicalName(w.name).split('.');
  labels.pop();
  return `${labels.reverse().join('\u0000')}\u0001${w.type.toUpperCase()}`;
}

const keyOf = (w: RecordWant) => `${w.zoneId} ${canonicalName(w.name)} ${w.type.toUpperCase()}`;

interface Start {
  name: string;
  type: string;
  identifier?: string;
}

async function listPage(conn: Conn, zoneId: string, start: Start, maxItems: number) {
  return conn.read('ListResourceRecordSets', (sdk, c, o) =>
    c.send(
      new sdk.ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: start.name,
        StartRecordType: start.type as RRType,
        StartRecordIdentifier: start.identifier,
        MaxItems: maxItems,
      }),
      o,
    ),
  );
}

/** The rest of one name and type, from where a page cut it off. */
async function continueListing(conn: Conn, want: RecordWant, start: Start, into: RecordSet[]): Promise<RecordSet[]> {
  const pageSize = Math.min(MAX_RECORD_PAGE, want.expected ?? DEFAULT_EXPECTED);
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await listPage(conn, want.zoneId, start, pageSize);
    for (const rr of out.ResourceRecordSets ?? []) {
      if (!sameRecordKey(rr, want.name, want.type)) return into;
      into.push(recordFromSdk(rr));
    }
    const next = nextStart(out);
    if (!out.IsTruncated || next === undefined || !sameRecordKey({ Name: next.name, Type: next.type }, want.name, want.type)) return into;
    if (next.name === start.name && next.type === start.type && next.identifier === start.identifier) {
      throw new AwsCallError(
        'route53',
        conn.region,
        'ListResourceRecordSets',
        'PaginationStalled',
        `the listing of ${want.name} ${want.type} did not advance`,
        {
          requestId: requestIdOf(out),
          unreachable: false,
          throttled: false,
        },
      );
    }
    start = next;
  }
  throw new AwsCallError('route53', conn.region, 'ListResourceRecordSets', 'PaginationLimit', `${want.name} ${want.type} spans more than ${MAX_PAGES} pages`, {
    unreachable: false,
    throttled: false,
  });
}

function nextStart(out: { NextRecordName?: string; NextRecordType?: string; NextRecordIdentifier?: string }): Start | undefined {
  if (out.NextRecordName === undefined || out.NextRecordType === undefined) return undefined;
  return { name: out.NextRecordName, type: out.NextRecordType, identifier: out.NextRecordIdentifier };
}

/**
 * Every want of one zone, in as few listings as the zone allows. A listing starts at the first name
 * not yet answered; its page is sized to hold that name's sets and those of the names sorting after
 * it. Route 53 returns all sets of one name and type together, so a run of them followed by another
 * record in the page is complete; a run cut off by the page end is continued on its own. Absence is
 * concluded only for the name a listing starts at (its first record is another name), never from
 * the order model, so a wrong guess about the order costs a call, not a wrong answer.
 */
async function readZone(conn: Conn, wants: RecordWant[]): Promise<Map<string, RecordSet[]>> {
  const result = new Map<string, RecordSet[]>();
  const pending = [...new Map(wants.map((w) => [keyOf(w), w])).values()].sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : 0));
  while (pending.length > 0) {
    const first = pending[0];
    let size = 0;
    for (const w of pending) {
      size += w.expected ?? DEFAULT_EXPECTED;
      if (size >= MAX_RECORD_PAGE) break;
    }
    const start: Start = { name: withTrailingDot(first.name), type: first.type.toUpperCase() };
    const out = await listPage(conn, first.zoneId, start, Math.min(MAX_RECORD_PAGE, Math.max(1, size)));
    const page: ResourceRecordSet[] = out.ResourceRecordSets ?? [];
    const next = nextStart(out);
    const continuing: Promise<void>[] = [];
    for (let i = pending.length - 1; i >= 0; i--) {
      const w = pending[i];
      const at = page.findIndex((rr) => sameRecordKey(rr, w.name, w.type));
      if (at < 0 && w !== first) continue;
      pending.splice(i, 1);
      const sets: RecordSet[] = [];
      let end = at;
      while (end >= 0 && end < page.length && sameRecordKey(page[end], w.name, w.type)) sets.push(recordFromSdk(page[end++]));
      const cutOff =
        end === page.length && out.IsTruncated === true && next !== undefined && sameRecordKey({ Name: next.name, Type: next.type }, w.name, w.type);
      if (cutOff) continuing.push(continueListing(conn, w, next, sets).then((all) => void result.set(keyOf(w), all)));
      else result.set(keyOf(w), sets);
    }
    await Promise.all(continuing);
  }
  return result;
}

export interface Route53Shared {
  healthCheck(conn: Conn, id: string): Promise<HealthCheckInfo>;
  records(conn: Conn, want: RecordWant): Promise<RecordSet[]>;
  /** A configuration this process just changed: kept in place of the one read before. */
  updated(info: HealthCheckInfo): void;
}

/** The per-process state behind every Route 53 adapter of one factory. */
export function newRoute53Shared(): Route53Shared {
  const configs = new Map<string, Promise<HealthCheckInfo>>();
  let conn: Conn | undefined;
  const checks = new Microbatch<string, HealthCheckInfo>(async (asks) => {
    const found = await readConfigs(conn!, [...new Set(asks.map((a) => a.req))]);
    for (const a of asks) a.resolve(found.get(a.req)!);
  });
  const records = new Microbatch<RecordWant, RecordSet[]>(async (asks) => {
    const zones = new Map<string, Ask<RecordWant, RecordSet[]>[]>();
    for (const a of asks) zones.set(a.req.zoneId, [...(zones.get(a.req.zoneId) ?? []), a]);
    await Promise.all(
      [...zones.values()].map(async (zoneAsks) => {
        try {
          const found = await readZone(
            conn!,
            zoneAsks.map((a) => a.req),
          );
          for (const a of zoneAsks) a.resolve(found.get(keyOf(a.req)) ?? []);
        } catch (e) {
          for (const a of zoneAsks) a.reject(e);
        }
      }),
    );
  });
  return {
    healthCheck(c, id) {
      conn = c;
      let entry = configs.get(id);
      if (entry === undefined) {
        entry = checks.ask(id);
        // Only an answer is kept: a failed read is tried again next time.
        entry.catch(() => configs.delete(id));
        configs.set(id, entry);
      }
      return entry;
    },
    records(c, want) {
      conn = c;
      return records.ask(want);
    },
    updated(info) {
      configs.set(info.id, Promise.resolve(info));
    },
  };
}
