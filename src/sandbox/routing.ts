// Which service and region a request is for: the SigV4 credential scope
// (Credential=AKID/DATE/REGION/SERVICE/aws4_request), from the Authorization header or, for
// presigned URLs, the X-Amz-Credential query parameter. Signatures are not verified.
import type { IncomingHttpHeaders } from 'node:http';
import { XML_DECL, el } from './protocol/xml.js';
import type { SandboxResponse } from './contract.js';

export type Scope = { ok: true; service: string; region: string } | { ok: false; code: string; message: string };

const SCOPE = /^[^/]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;

export function credentialScope(headers: IncomingHttpHeaders, query: URLSearchParams): Scope {
  const auth = headers.authorization;
  let credential: string | undefined;
  if (auth) {
    if (!auth.startsWith('AWS4-HMAC-SHA256 ')) {
      return {
        ok: false,
        code: 'IncompleteSignature',
        message: `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header and a AWS4-HMAC-SHA256 signature. Authorization=${auth.split(' ')[0]}`,
      };
    }
    credential = /Credential=([^,\s]+)/.exec(auth)?.[1];
    if (!credential) return { ok: false, code: 'IncompleteSignature', message: "Authorization header requires 'Credential' parameter." };
  } else {
    credential = query.get('X-Amz-Credential') ?? undefined;
    if (!credential) return { ok: false, code: 'MissingAuthenticationToken', message: 'Missing Authentication Token' };
  }
  const m = SCOPE.exec(credential);
  if (!m)
    return {
      ok: false,
      code: 'IncompleteSignature',
      message: `Credential should be scoped to a valid region and service: ${credential.split('/').slice(1).join('/')}`,
    };
  return { ok: true, region: m[1]!, service: m[2]! };
}

/**
 * An error for a request no service module will own (no auth, unknown service). JSON protocols are
 * recognised by their headers; everything else gets the XML ErrorResponse that restXml and awsQuery share.
 */
export function coreError(headers: IncomingHttpHeaders, status: number, code: string, message: string, requestId: string): SandboxResponse {
  const contentType = String(headers['content-type'] ?? '');
  if (headers['x-amz-target'] || contentType.includes('json')) {
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
      body: JSON.stringify({ __type: code, message }),
    };
  }
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `${XML_DECL}<ErrorResponse>${`<Error>${el('Type', 'Sender')}${el('Code', code)}${el('Message', message)}</Error>`}${el('RequestId', requestId)}</ErrorResponse>`,
  };
}
