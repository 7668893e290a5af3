// ListResourceRecordSets: a page of at most 300 record sets from a starting name/type/identifier,
// with IsTruncated and NextRecordName/Type/Identifier to continue from.
import type { SandboxResponse } from '../../contract.js';
import { el, wrap } from '../../protocol/xml.js';
import { RECORD_TYPES } from '../../world-schema.js';
import { normalizeName, startIndex } from './records.js';
import type { Route53State } from './model.js';
import { recordXml, xmlResponse } from './xml-out.js';
import { findZone, invalidInput, maxItems } from './zones.js';

export function listRecordSets(state: Route53State, zoneId: string, query: URLSearchParams): SandboxResponse {
  const zone = findZone(state, zoneId);
  const max = maxItems(query, 300, 300);
  const name = query.get('name') ?? undefined;
  const type = query.get('type') ?? undefined;
  const identifier = query.get('identifier') ?? undefined;
  if (type !== undefined && name === undefined) throw invalidInput('The input is not valid: if you specify type, you must also specify name');
  if (identifier !== undefined && type === undefined)
    throw invalidInput('The input is not valid: if you specify identifier, you must also specify name and type');
  if (type !== undefined && !(RECORD_TYPES as readonly string[]).includes(type)) {
    throw invalidInput(
      `1 validation error detected: Value '${type}' at 'startRecordType' failed to satisfy constraint: Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`,
    );
  }
  const records = zone.records;
  const start = startIndex(records, { name: name === undefined ? undefined : normalizeName(name), type, identifier });
  const page = records.slice(start, start + max);
  const next = records[start + max];
  const inner =
    wrap('ResourceRecordSets', page.map(recordXml).join('')) +
    el('IsTruncated', next !== undefined) +
    el('NextRecordName', next?.name) +
    el('NextRecordType', next?.type) +
    // Only for non-simple routing: the next record's set identifier (AWS-FACTS 2.2).
    el('NextRecordIdentifier', next?.setIdentifier) +
    el('MaxItems', max);
  return xmlResponse('ListResourceRecordSetsResponse', inner);
}
