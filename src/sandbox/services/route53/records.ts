// The record store's order and lookups. Route 53 lists record sets "in ASCII order", "first by DNS
// name with the labels reversed, for example: com.example.www." (the trailing dot "can change the
// sort order when the record name contains characters that appear before . (decimal 46) in the ASCII
// table", '-' among them), then by type
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html); then, as
// AWS does not say, by set identifier. Records stay sorted in that order so a listing that starts at
// a name is a binary search, whatever the size of the zone.
import type { StoredRecord } from './model.js';
import { route53DnsName as normalizeName } from '../../../util/dns-name.js';

/** Lower case, trailing dot, and `*` written as Route 53 returns it (\052). */
export { normalizeName };

/** The documented sort string: the labels reversed, joined by dots, with the trailing dot (so a-b.x sorts before a.x). */
export function nameKey(name: string): string {
  const labels = normalizeName(name).split('.');
  labels.pop();
  return `${labels.reverse().join('.')}.`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareRecords(a: StoredRecord, b: StoredRecord): number {
  return cmp(nameKey(a.name), nameKey(b.name)) || cmp(a.type, b.type) || cmp(a.setIdentifier ?? '', b.setIdentifier ?? '');
}

export function sortRecords(records: StoredRecord[]): StoredRecord[] {
  const keyed = records.map((r) => ({ k: nameKey(r.name), r }));
  keyed.sort((x, y) => cmp(x.k, y.k) || cmp(x.r.type, y.r.type) || cmp(x.r.setIdentifier ?? '', y.r.setIdentifier ?? ''));
  return keyed.map((x) => x.r);
}

export interface StartAt {
  name?: string;
  type?: string;
  identifier?: string;
}

/** Index of the first record at or after the starting point (only the given parts are compared). */
export function startIndex(records: StoredRecord[], start: StartAt): number {
  if (start.name === undefined) return 0;
  const key = nameKey(start.name);
  const after = (r: StoredRecord): boolean => {
    const byName = cmp(nameKey(r.name), key);
    if (byName !== 0 || start.type === undefined) return byName >= 0;
    const byType = cmp(r.type, start.type);
    if (byType !== 0 || start.identifier === undefined) return byType >= 0;
    return cmp(r.setIdentifier ?? '', start.identifier) >= 0;
  };
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(records[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The index of the record set with this identity, or -1. */
export function findIndex(records: StoredRecord[], name: string, type: string, setIdentifier: string | undefined): number {
  const probe: StoredRecord = { name, type, setIdentifier };
  const i = startIndex(records, { name, type, identifier: setIdentifier ?? '' });
  return i < records.length && compareRecords(records[i]!, probe) === 0 ? i : -1;
}

/** Insert keeping the order (the record's identity must not exist yet). */
export function insertSorted(records: StoredRecord[], record: StoredRecord): void {
  const i = startIndex(records, { name: record.name, type: record.type, identifier: record.setIdentifier ?? '' });
  records.splice(i, 0, record);
}

/** Record sets with this name and type (all set identifiers). */
export function sameNameAndType(records: StoredRecord[], name: string, type: string): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (let i = startIndex(records, { name, type }); i < records.length; i++) {
    const r = records[i]!;
    if (r.name !== name || r.type !== type) break;
    out.push(r);
  }
  return out;
}
