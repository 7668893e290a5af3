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
import { type ZoneNames, zoneNames } from './route53-zones.js';
import { type Ask, Microbatch } from './microbatch.js';

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

/**
 * Route 53's listing order, as API_ListResourceRecordSets documents it: "ListResourceRecordSets
 * returns up to 300 resource record sets at a time in ASCII order", "sorts results first by DNS name
 * with the labels reversed, for example: com.example.www." (the trailing dot "can change the sort
 * order when the record name contains characters that appear before . (decimal 46) in the ASCII
 * table", '-' among them), and "When multiple records have the same DNS name, ListResourceRecordSets
 * sorts results by the record type" (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html).
 * This is that string, for names as Route 53 stores them (lower case).
 */
export function listingName(name: string): string {
  const labels = canonicalName(name).split('.');
  labels.pop();
  return `${labels.reverse().join('.')}.`;
}

/**
 * Names made only of a-z, 0-9, '-' and '_' (and dots): Route 53 returns them as written, so the
 * documented ASCII order of listingName is unambiguous for them. Any other character comes back as
 * a \ooo escape (DomainNameFormat.html), and whether the order is of the escaped or the plain form
 * is not documented.
 */
export function isPlainName(name: string): boolean {
  return /^[a-z0-9_\-.]+$/.test(canonicalName(name));
}

function orderKey(w: RecordWant): string {
  return `${listingName(w.name)}\u0000${w.type.toUpperCase()}`;
}

/** Record sets a listing page holds beyond those asked for, so a name asked for that is not there can be seen not to be (between two it does hold). */
const PAGE_SLACK = 4;

/**
 * Whether a page that starts at `first` shows that `w` (which sorts after it) has no record: its
 * name sorts strictly after the start and strictly before a record the page holds (or the page is
 * the end of the zone), so every record of that name, whatever its type, would be in the page.
 * Only for plain names, where the documented order is unambiguous; otherwise a listing of its own.
 */
function absentFrom(page: ResourceRecordSet[], truncated: boolean, first: RecordWant, w: RecordWant): boolean {
  if (!isPlainName(w.name) || !isPlainName(first.name)) return false;
  const at = listingName(w.name);
  if (!(listingName(first.name) < at)) return false;
  if (!truncated) return true;
  return page.some((rr) => rr.Name !== undefined && isPlainName(rr.Name) && listingName(rr.Name) > at);
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
 * concluded for the name a listing starts at (its first record is another name), and for a plain
 * name the documented order puts inside the page's span (absentFrom); any other name missing from
 * the page gets a listing of its own, so a wrong guess about the order costs a call, not a wrong answer.
 */
async function readZone(conn: Conn, wants: RecordWant[]): Promise<Map<string, RecordSet[]>> {
  const result = new Map<string, RecordSet[]>();
  const pending = [...new Map(wants.map((w) => [keyOf(w), w])).values()].sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : 0));
  while (pending.length > 0) {
    const first = pending[0];
    let size = 0;
    let covered = 0;
    for (const w of pending) {
      size += w.expected ?? DEFAULT_EXPECTED;
      covered++;
      if (size >= MAX_RECORD_PAGE) break;
    }
    // A page for one name needs no slack: its absence shows in the page's first record.
    if (covered > 1) size += PAGE_SLACK;
    const start: Start = { name: withTrailingDot(first.name), type: first.type.toUpperCase() };
    const out = await listPage(conn, first.zoneId, start, Math.min(MAX_RECORD_PAGE, Math.max(1, size)));
    const page: ResourceRecordSet[] = out.ResourceRecordSets ?? [];
    const next = nextStart(out);
    const continuing: Promise<void>[] = [];
    for (let i = pending.length - 1; i >= 0; i--) {
      const w = pending[i];
      const at = page.findIndex((rr) => sameRecordKey(rr, w.name, w.type));
      if (at < 0 && w !== first && !absentFrom(page, out.IsTruncated === true, first, w)) continue;
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
  /** The zone's name when this process or the cache dir already knows it: no call. */
  knownZoneName(zoneId: string): string | undefined;
  zoneName(conn: Conn, zoneId: string): Promise<string>;
  forgetZoneName(zoneId: string): void;
  /** A configuration this process just changed: kept in place of the one read before. */
  updated(info: HealthCheckInfo): void;
}

/** The per-process state behind every Route 53 adapter of one factory; `names` keeps zone names (route53-zones.ts). */
export function newRoute53Shared(names: ZoneNames = zoneNames(undefined, '')): Route53Shared {
  const configs = new Map<string, Promise<HealthCheckInfo>>();
  const zoneReads = new Map<string, Promise<string>>();
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
  const zoneName = (c: Conn, zoneId: string): Promise<string> => {
    const known = names.known(zoneId);
    if (known !== undefined) return Promise.resolve(known);
    let read = zoneReads.get(zoneId);
    if (read === undefined) {
      read = getZoneName(c, zoneId).then((name) => {
        if (name !== '') names.remember(zoneId, name);
        return name;
      });
      // Only an answer is kept: a failed read is tried again next time.
      read.catch(() => zoneReads.delete(zoneId));
      zoneReads.set(zoneId, read);
    }
    return read;
  };
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
    knownZoneName(zoneId) {
      return names.known(zoneId);
    },
    zoneName,
    forgetZoneName(zoneId) {
      zoneReads.delete(zoneId);
      names.forget(zoneId);
    },
    updated(info) {
      configs.set(info.id, Promise.resolve(info));
    },
  };
}

async function getZoneName(conn: Conn, zoneId: string): Promise<string> {
  const out = await conn.read('GetHostedZone', (sdk, c, o) => c.send(new sdk.GetHostedZoneCommand({ Id: zoneId }), o));
  const name = out.HostedZone?.Name;
  return name ? withTrailingDot(name) : '';
}
