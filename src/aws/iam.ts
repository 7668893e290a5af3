// IAM adapter: the policy simulator. SimulatePrincipalPolicy evaluates the identity policies of a user,
// group or role for actions on resources, one result per (action, resource), paged by Marker
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html). IAM is a
// global service: its endpoint is signed for us-east-1.
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Connection } from './connection.js';
import type { IamApi, PolicyDecision, SimulatedDecision } from './readiness-types.js';

type Sdk = typeof import('@aws-sdk/client-iam');
export type IamConnection = Connection<Sdk, IAMClient>;

/** The API takes at most 1000 items per page; AWS's default is 100. */
const PAGE = 1000;

export function iamAdapter(conn: IamConnection): IamApi {
  return {
    async simulatePrincipalPolicy(principalArn, actions, resources) {
      const out: SimulatedDecision[] = [];
      let marker: string | undefined;
      do {
        const page = await conn.read('SimulatePrincipalPolicy', (sdk, c, o) =>
          c.send(
            new sdk.SimulatePrincipalPolicyCommand({
              PolicySourceArn: principalArn,
              ActionNames: actions,
              ResourceArns: resources.length ? resources : undefined,
              MaxItems: PAGE,
              Marker: marker,
            }),
            o,
          ),
        );
        for (const r of page.EvaluationResults ?? []) {
          out.push({ action: r.EvalActionName ?? '', resource: r.EvalResourceName ?? '*', decision: (r.EvalDecision ?? 'implicitDeny') as PolicyDecision });
        }
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      return out;
    },
  };
}

/**
 * The IAM principal behind a caller ARN, for SimulatePrincipalPolicy: an assumed-role session
 * (arn:aws:sts::<acct>:assumed-role/<role>/<session>) is evaluated as its role. The role's path is not
 * in the session ARN (IAM identifiers, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html),
 * so a role under a path comes back NoSuchEntity, which the caller reports as "could not check".
 */
export function principalOf(callerArn: string): string {
  const m = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}
