// awsQuery: form-encoded requests (Action=...&Version=...&A.B.1.C=...) and the XML envelopes the
// SDK's AwsQueryProtocol reads: <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>
// for results, <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse> for errors.
import { SandboxAwsError, type Operation, type SandboxRequest, type SandboxResponse, type ServiceContext } from '../contract.js';
import { el, wrap, XML_DECL } from './xml.js';

/** A decoded form: dotted keys become nested objects ("Filters.Filter.1.Name" -> {Filters:{Filter:{"1":{Name}}}}). */
export type QueryValue = string | QueryTree;
export interface QueryTree {
  [key: string]: QueryValue;
}

/** The form fields of an awsQuery request (body for POST, query string for GET). */
export function queryParams(req: SandboxRequest): URLSearchParams {
  if (req.method.toUpperCase() === 'GET') return req.query;
  return new URLSearchParams(req.body);
}

/** The Action form field, or '' when there is none. */
export function queryAction(req: SandboxRequest): string {
  return queryParams(req).get('Action') ?? '';
}

export function decodeQuery(params: URLSearchParams): QueryTree {
  const root: QueryTree = {};
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]];
      if (typeof next === 'object') node = next;
      else node = node[parts[i]] = {};
    }
    const last = parts[parts.length - 1];
    // A key that is both a leaf and a branch is malformed; the branch wins so lists stay readable.
    if (typeof node[last] !== 'object') node[last] = value;
  }
  return root;
}

/** A string field of a decoded form, or undefined. */
export function str(tree: QueryTree | undefined, key: string): string | undefined {
  const v = tree?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** A boolean field ("true"/"false", case-insensitive); undefined when absent. */
export function bool(tree: QueryTree | undefined, key: string): boolean | undefined {
  const v = str(tree, key);
  if (v === undefined) return undefined;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new SandboxAwsError('InvalidParameterValue', `Value ${v} for parameter ${key} is invalid. Expected a boolean.`);
}

/** An integer field; undefined when absent; InvalidParameterValue when not an integer. */
export function int(tree: QueryTree | undefined, key: string): number | undefined {
  const v = str(tree, key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new SandboxAwsError('InvalidParameterValue', `Value ${v} for parameter ${key} is invalid. Expected an integer.`);
  return Number(v);
}

/**
 * A list field: the members under tree[key][memberName] ordered by their 1-based index
 * ("Filters.Filter.N" -> list(tree, 'Filters', 'Filter'); plain lists use member: "X.member.N").
 */
export function list(tree: QueryTree | undefined, key: string, memberName = 'member'): QueryValue[] {
  const outer = tree?.[key];
  if (typeof outer !== 'object') return [];
  const members = outer[memberName];
  if (typeof members !== 'object') return [];
  return Object.keys(members)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => members[k]);
}

export function strings(tree: QueryTree | undefined, key: string, memberName = 'member'): string[] {
  return list(tree, key, memberName).filter((v): v is string => typeof v === 'string');
}

export function trees(tree: QueryTree | undefined, key: string, memberName = 'member'): QueryTree[] {
  return list(tree, key, memberName).filter((v): v is QueryTree => typeof v === 'object');
}

const XML_HEADERS = { 'content-type': 'text/xml' };

/** The success envelope; `inner` is the already-built content of <OpResult>. */
export function queryResponse(operation: string, xmlns: string, inner: string, requestId: string): SandboxResponse {
  const body =
    XML_DECL +
    `<${operation}Response xmlns="${xmlns}">` +
    wrap(`${operation}Result`, inner) +
    wrap('ResponseMetadata', el('RequestId', requestId)) +
    `</${operation}Response>`;
  return { status: 200, headers: { ...XML_HEADERS }, body };
}

export function queryError(err: SandboxAwsError, requestId: string): SandboxResponse {
  const body =
    XML_DECL +
    '<ErrorResponse>' +
    wrap('Error', el('Type', err.type) + el('Code', err.code) + el('Message', err.message)) +
    el('RequestId', requestId) +
    '</ErrorResponse>';
  return { status: err.status, headers: { ...XML_HEADERS }, body };
}

/** The error for an Action the service does not know (or a missing Action). */
export function invalidAction(action: string): SandboxAwsError {
  return action
    ? new SandboxAwsError('InvalidAction', `The action ${action} is not valid for this web service.`)
    : new SandboxAwsError('MissingAction', 'The request must contain the parameter Action.');
}

/**
 * An awsQuery operation for a module's table: decode the form, let the service bring its state up to
 * the clock (`settle`), and wrap what `answer` renders in the <Op>Response/<Op>Result envelope.
 */
export function queryOperation<S>(
  xmlns: string,
  mutating: boolean,
  answer: (q: QueryTree, state: S, ctx: ServiceContext, req: SandboxRequest) => string,
  settle?: (state: S, ctx: ServiceContext) => void,
): Operation<S> {
  return {
    mutating,
    handle(req, state, ctx) {
      settle?.(state, ctx);
      return queryResponse(queryAction(req), xmlns, answer(decodeQuery(queryParams(req)), state, ctx, req), req.requestId);
    },
  };
}

/**
 * Offset-based pagination shared by the Describe* operations: the marker is an opaque index.
 * MaxRecords bounds follow the RDS/ElastiCache models (20..100, default 100).
 */
export function page<T>(items: T[], maxRecords: number | undefined, marker: string | undefined): { items: T[]; marker?: string } {
  const max = maxRecords ?? 100;
  if (max < 20 || max > 100) {
    throw new SandboxAwsError('InvalidParameterValue', `Invalid value for parameter MaxRecords: ${max}. It must be between 20 and 100.`);
  }
  let start = 0;
  if (marker !== undefined) {
    const decoded = Buffer.from(marker, 'base64').toString('utf8');
    const m = /^offset:(\d+)$/.exec(decoded);
    if (!m) throw new SandboxAwsError('InvalidParameterValue', `Invalid value for parameter Marker: ${marker}`);
    start = Number(m[1]);
  }
  const end = start + max;
  return {
    items: items.slice(start, end),
    marker: end < items.length ? Buffer.from(`offset:${end}`).toString('base64') : undefined,
  };
}

/** Members of a list rendered as <container><member>..</member></container> with a custom member name. */
export function xmlList<T>(container: string, memberName: string, items: T[], render: (item: T) => string): string {
  return wrap(container, items.map((i) => wrap(memberName, render(i))).join(''));
}
