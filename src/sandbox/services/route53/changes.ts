// ChangeResourceRecordSets and GetChange. A batch is checked change by change against a working
// copy of the zone (so DELETE then CREATE of one record set works, and deleting it twice fails), then
// applied whole or not at all. New changes are PENDING until the world's dnsPropagation has passed.
import { SandboxAwsError, type SandboxResponse } from '../../contract.js';
import type { CoreServiceContext } from '../../runtime.js';
import { findIndex, insertSorted, startIndex } from './records.js';
import type { Route53State, StoredRecord, Zone } from './model.js';
import { parseChangeBatch, type InputChange } from './xml-in.js';
import { changeInfoXml, xmlResponse } from './xml-out.js';
import { addChange, changeStatus, findZone, invalidInput } from './zones.js';
import { newId } from './state.js';
import { validateChange } from './validate.js';

/** Route 53's per-request limits (AWS-FACTS 2.2, DNSLimitations): UPSERT counts twice. */
const MAX_RECORDS = 1000;
const MAX_VALUE_CHARS = 32000;

function label(r: StoredRecord): string {
  return `[name='${r.name}', type='${r.type}'${r.setIdentifier === undefined ? '' : `, set-identifier='${r.setIdentifier}'`}]`;
}

/** Everything but the identity, in a comparable form (values are a set). */
function content(r: StoredRecord): string {
  return JSON.stringify([r.weight, r.region, r.failover, r.multiValueAnswer, r.ttl, r.values ? [...r.values].sort() : undefined, r.alias, r.healthCheckId]);
}

function policyOf(r: StoredRecord): string {
  if (r.weight !== undefined) return 'weighted';
  if (r.failover !== undefined) return 'failover';
  if (r.region !== undefined) return 'latency';
  if (r.multiValueAnswer !== undefined) return 'multivalue answer';
  return 'simple';
}

function atName(working: StoredRecord[], name: string): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (let i = startIndex(working, { name }); i < working.length && working[i]!.name === name; i++) out.push(working[i]!);
  return out;
}

/** Record sets that cannot live beside this one: CNAME exclusivity and mixed routing policies. */
function conflict(zone: Zone, working: StoredRecord[], r: StoredRecord): string | undefined {
  const others = atName(working, r.name).filter((o) => !(o.type === r.type && o.setIdentifier === r.setIdentifier));
  if (r.type === 'CNAME' && others.some((o) => o.type !== 'CNAME')) {
    return `RRSet of type CNAME with DNS name ${r.name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`;
  }
  if (r.type !== 'CNAME' && others.some((o) => o.type === 'CNAME')) {
    return `RRSet of type ${r.type} with DNS name ${r.name} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone ${zone.name}`;
  }
  const mixed = others.find((o) => o.type === r.type && policyOf(o) !== policyOf(r));
  if (mixed) {
    const sid = r.setIdentifier === undefined ? '' : `, SetIdentifier ${r.setIdentifier}`;
    return `RRSet with DNS name ${r.name}, type ${r.type}${sid} cannot be created as a ${policyOf(mixed)} set exists with the same name and type.`;
  }
  return undefined;
}

function countLimits(changes: InputChange[]): void {
  let records = 0;
  let chars = 0;
  for (const c of changes) {
    const values = c.ResourceRecordSet?.Values ?? [];
    const weight = c.Action === 'UPSERT' ? 2 : 1;
    records += values.length * weight;
    chars += values.reduce((n, v) => n + v.length, 0) * weight;
  }
  if (records > MAX_RECORDS) throw new SandboxAwsError('InvalidChangeBatch', `Number of records limit of ${MAX_RECORDS} exceeded.`, 400);
  if (chars > MAX_VALUE_CHARS) throw new SandboxAwsError('InvalidChangeBatch', `Number of characters limit of ${MAX_VALUE_CHARS} exceeded.`, 400);
}

export function changeRecordSets(state: Route53State, ctx: CoreServiceContext, zoneId: string, body: string): SandboxResponse {
  const zone = findZone(state, zoneId);
  const batch = parseChangeBatch(body);
  if (batch.changes.length === 0) {
    throw invalidInput(
      "1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const validated = batch.changes.map((c, i) => validateChange(c, i + 1));
  countLimits(batch.changes);
  for (const { record } of validated) {
    if (record.healthCheckId && !state.healthChecks.some((h) => h.id === record.healthCheckId)) {
      throw new SandboxAwsError('NoSuchHealthCheck', `No health check exists with the specified ID ${record.healthCheckId}`, 404);
    }
  }
  for (const { record } of validated) {
    if (record.name !== zone.name && !record.name.endsWith(`.${zone.name}`)) {
      throw new SandboxAwsError('InvalidChangeBatch', `RRSet with DNS name ${record.name} is not permitted in zone ${zone.name}`, 400);
    }
  }
  const working = zone.records.slice();
  const problems: string[] = [];
  for (const { action, record } of validated) {
    const i = findIndex(working, record.name, record.type, record.setIdentifier);
    if (action === 'DELETE') {
      if (i < 0) problems.push(`Tried to delete resource record set ${label(record)} but it was not found`);
      else if (content(working[i]!) !== content(record))
        problems.push(`Tried to delete resource record set ${label(record)} but the values provided do not match the current values`);
      else working.splice(i, 1);
      continue;
    }
    if (action === 'CREATE' && i >= 0) {
      problems.push(`Tried to create resource record set ${label(record)} but it already exists`);
      continue;
    }
    const clash = conflict(zone, working, record);
    if (clash) {
      problems.push(clash);
      continue;
    }
    if (i >= 0) working[i] = record;
    else insertSorted(working, record);
  }
  // Several problems come back as one message, "[msg1, msg2]"; a single one is bracketed too, as
  // current Route 53 answers show it (AWS-FACTS 2.3, KT PR #1435).
  if (problems.length) throw new SandboxAwsError('InvalidChangeBatch', `[${problems.join(', ')}]`, 400);
  if (ctx.takeStrandedChange()) {
    // A stranded change (Route 53 developer guide, accelerated recovery, "Resubmitting DNS changes after failover",
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/accelerated-recovery.html): us-east-1 accepted it
    // but did not replicate it to us-west-2 before the control plane failed over, so it never takes effect and
    // GetChange no longer knows its id (NoSuchChange). ⚠ The exact answer for a stranded id is our reading.
    const lost = { id: newId('C'), submittedAt: ctx.now(), comment: batch.comment || undefined };
    return xmlResponse('ChangeResourceRecordSetsResponse', changeInfoXml(lost, 'PENDING'));
  }
  zone.records = working;
  const change = addChange(state, ctx, batch.comment);
  return xmlResponse('ChangeResourceRecordSetsResponse', changeInfoXml(change, changeStatus(change, ctx)));
}

export function getChange(state: Route53State, ctx: CoreServiceContext, id: string): SandboxResponse {
  const change = state.changes.find((c) => c.id === id);
  if (!change) throw new SandboxAwsError('NoSuchChange', `A change with the specified change ID does not exist: ${id}`, 404);
  return xmlResponse('GetChangeResponse', changeInfoXml(change, changeStatus(change, ctx)));
}
