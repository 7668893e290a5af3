// STS (awsQuery, 2011-06-15): GetCallerIdentity, so `mr` can show who it acts as.
import { SandboxAwsError, type ServiceModule, type SandboxRequest } from '../../contract.js';
import { el } from '../../protocol/xml.js';
import { invalidAction, queryAction, queryError, queryResponse } from '../../protocol/query.js';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** The access key id from the SigV4 Authorization header (or a presigned URL's X-Amz-Credential). */
export function accessKeyId(req: SandboxRequest): string | undefined {
  const auth = req.headers.authorization;
  const header = Array.isArray(auth) ? auth[0] : auth;
  const fromHeader = header ? /Credential=([^/,\s]+)\//.exec(header)?.[1] : undefined;
  return fromHeader ?? req.query.get('X-Amz-Credential')?.split('/')[0];
}

export const stsService: ServiceModule<Record<string, never>> = {
  signingName: 'sts',
  stateKey: 'sts',
  init: () => ({}),
  operation: (req) => queryAction(req),
  operations: {
    GetCallerIdentity: {
      mutating: false,
      handle(req, _state, ctx) {
        const userId = accessKeyId(req);
        if (!userId) throw new SandboxAwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
        const inner = el('UserId', userId) + el('Account', ctx.account) + el('Arn', `arn:aws:iam::${ctx.account}:user/sandbox-operator`);
        return queryResponse('GetCallerIdentity', XMLNS, inner, req.requestId);
      },
    },
  },
  unknownOperation: (_req, operation) => invalidAction(operation),
  renderError: (err, req) => queryError(err, req.requestId),
};
