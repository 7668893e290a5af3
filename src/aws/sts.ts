// STS adapter: who the credentials belong to.
import type { STSClient } from '@aws-sdk/client-sts';
import type { Connection } from './connection.js';
import type { StsApi } from './types.js';

type Sdk = typeof import('@aws-sdk/client-sts');
export type StsConnection = Connection<Sdk, STSClient>;

export function stsAdapter(conn: StsConnection): StsApi {
  return {
    async callerIdentity() {
      const out = await conn.read('GetCallerIdentity', (sdk, c, o) => c.send(new sdk.GetCallerIdentityCommand({}), o));
      return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
    },
  };
}
