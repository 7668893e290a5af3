// awsJson 1.0 / 1.1: POST / with X-Amz-Target: <Prefix>.<Operation> and a JSON body; the answer is a
// JSON body, and errors are {"__type": ..., "message": ...}. Query-compatible services (CloudWatch)
// also send x-amzn-query-error: <awsQuery Code>;<Sender|Receiver>, which the SDK uses to find the error.
import { SandboxAwsError, type SandboxRequest, type SandboxResponse } from '../contract.js';

export type JsonVersion = '1.0' | '1.1';

/** The operation named by X-Amz-Target when it carries the expected prefix, else ''. */
export function jsonTarget(req: SandboxRequest, prefix: string): string {
  const raw = req.headers['x-amz-target'];
  const target = Array.isArray(raw) ? raw[0] : raw;
  if (!target) return '';
  const dot = target.lastIndexOf('.');
  if (dot < 0 || target.slice(0, dot) !== prefix) return '';
  return target.slice(dot + 1);
}

/** The raw X-Amz-Target, for error messages. */
export function rawTarget(req: SandboxRequest): string {
  const raw = req.headers['x-amz-target'];
  return (Array.isArray(raw) ? raw[0] : raw) ?? '';
}

/** The JSON request body as an object; SerializationException when it is not one. */
export function jsonBody(req: SandboxRequest): Record<string, unknown> {
  if (req.body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch {
    throw new SandboxAwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SandboxAwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return parsed as Record<string, unknown>;
}

export function jsonResponse(version: JsonVersion, payload: unknown): SandboxResponse {
  return { status: 200, headers: { 'content-type': `application/x-amz-json-${version}` }, body: JSON.stringify(payload) };
}

export interface JsonErrorOptions {
  /** For query-compatible services: the __type namespace, and awsQuery Code -> shape name for known errors. */
  queryCompatible?: { namespace: string; shapeNames: Record<string, string> };
}

export function jsonError(err: SandboxAwsError, version: JsonVersion, options: JsonErrorOptions = {}): SandboxResponse {
  const headers: Record<string, string> = { 'content-type': `application/x-amz-json-${version}` };
  let type = err.code;
  const qc = options.queryCompatible;
  if (qc) {
    type = `${qc.namespace}#${qc.shapeNames[err.code] ?? err.code}`;
    headers['x-amzn-query-error'] = `${err.code};${err.type}`;
  }
  return { status: err.status, headers, body: JSON.stringify({ __type: type, message: err.message }) };
}

/** The error for an X-Amz-Target this service does not know. */
export function unknownOperation(req: SandboxRequest): SandboxAwsError {
  const target = rawTarget(req);
  return new SandboxAwsError('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header');
}

// Field readers: the SDK sends the model's member names; a wrong type is a SerializationException on AWS.

export function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SandboxAwsError('SerializationException', `Expected a string for ${key}`);
  return v;
}

export function optNumber(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new SandboxAwsError('SerializationException', `Expected a number for ${key}`);
  return v;
}

export function optBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new SandboxAwsError('SerializationException', `Expected a boolean for ${key}`);
  return v;
}

export function optStrings(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new SandboxAwsError('SerializationException', `Expected a list of strings for ${key}`);
  return v as string[];
}

/** Simulated epoch milliseconds as the epoch-seconds number awsJson uses for timestamps. */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}
