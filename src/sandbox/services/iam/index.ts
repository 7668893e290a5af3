// IAM (awsQuery, 2010-05-08; global, signed for us-east-1): SimulatePrincipalPolicy, which `mr check`
// calls to see that the caller may do what a failover does. It answers from the world's `iam` section:
// the caller's allowed and denied action patterns (`*` wildcards, as in IAM policies), applied to every
// resource; so a world can lack a permission. Decisions are IAM's: allowed, explicitDeny (a deny
// matches, and wins), implicitDeny (nothing allows)
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html,
// API_EvaluationResult.html; wire names from node_modules/@aws-sdk/client-iam/dist-types/models).
import { z } from 'zod';
import { SandboxAwsError, type ServiceModule } from '../../contract.js';
import { el } from '../../protocol/xml.js';
import { decodeQuery, int, invalidAction, queryAction, queryError, queryParams, queryResponse, str, strings, xmlList } from '../../protocol/query.js';
import { parseSection } from '../section.js';

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

const pattern = z.string().regex(/^(\*|[a-z0-9-]+:[A-Za-z0-9*]+)$/, 'an action such as rds:FailoverGlobalCluster, rds:*, or *');
const sectionSchema = z.object({ allow: z.array(pattern).default(['*']), deny: z.array(pattern).default([]) }).strict();

export type IamState = z.infer<typeof sectionSchema>;

/** IAM matches action names case-insensitively, with * for any run of characters. */
export function actionMatches(patternText: string, action: string): boolean {
  const re = new RegExp(
    `^${patternText
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(action);
}

export function decide(state: IamState, action: string): 'allowed' | 'explicitDeny' | 'implicitDeny' {
  if (state.deny.some((p) => actionMatches(p, action))) return 'explicitDeny';
  return state.allow.some((p) => actionMatches(p, action)) ? 'allowed' : 'implicitDeny';
}

export const iamService: ServiceModule<IamState> = {
  signingName: 'iam',
  stateKey: 'iam',
  global: true,
  init: (section) => parseSection(sectionSchema, section, 'iam'),
  operation: (req) => queryAction(req),
  operations: {
    SimulatePrincipalPolicy: {
      mutating: false,
      handle(req, state, ctx) {
        const q = decodeQuery(queryParams(req));
        const source = str(q, 'PolicySourceArn');
        if (!source) throw new SandboxAwsError('InvalidInput', 'PolicySourceArn is required.');
        const principal = /^arn:aws:iam::(\d{12}):(user|role|group)\/.+$/.exec(source);
        if (!principal) throw new SandboxAwsError('InvalidInput', `Invalid ARN: ${source}. A user, group or role ARN is required.`);
        if (principal[1] !== ctx.account) throw new SandboxAwsError('NoSuchEntity', `The entity ${source} cannot be found.`, 404);
        const actions = strings(q, 'ActionNames');
        if (actions.length === 0) throw new SandboxAwsError('InvalidInput', 'ActionNames must contain at least one action.');
        const resources = strings(q, 'ResourceArns');
        const pairs = actions.flatMap((a) => (resources.length ? resources : ['*']).map((r) => ({ action: a, resource: r })));
        const max = int(q, 'MaxItems') ?? 100;
        const start = Number(str(q, 'Marker') ?? 0);
        if (!Number.isInteger(start) || start < 0) throw new SandboxAwsError('InvalidInput', 'Invalid Marker.');
        const slice = pairs.slice(start, start + max);
        const truncated = start + max < pairs.length;
        const inner =
          xmlList(
            'EvaluationResults',
            'member',
            slice,
            (p) => el('EvalActionName', p.action) + el('EvalResourceName', p.resource) + el('EvalDecision', decide(state, p.action)),
          ) +
          el('IsTruncated', String(truncated)) +
          (truncated ? el('Marker', String(start + max)) : '');
        return queryResponse('SimulatePrincipalPolicy', XMLNS, inner, req.requestId);
      },
    },
  },
  unknownOperation: (_req, operation) => invalidAction(operation),
  renderError: (err, req) => queryError(err, req.requestId),
};
