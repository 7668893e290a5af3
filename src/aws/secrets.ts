// Secrets Manager adapter: a secret and its replicas. Described in its primary region a secret lists
// its replicas in ReplicationStatus (Status InSync | InProgress | Failed); a region without it answers
// ResourceNotFoundException (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html).
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Connection } from './connection.js';
import { isAwsCallError } from './errors.js';
import type { SecretsManagerApi } from './readiness-types.js';

type Sdk = typeof import('@aws-sdk/client-secrets-manager');
export type SecretsConnection = Connection<Sdk, SecretsManagerClient>;

export function secretsManagerAdapter(conn: SecretsConnection): SecretsManagerApi {
  return {
    async describeSecret(secretId) {
      try {
        const out = await conn.read('DescribeSecret', (sdk, c, o) => c.send(new sdk.DescribeSecretCommand({ SecretId: secretId }), o));
        return {
          arn: out.ARN ?? secretId,
          name: out.Name ?? secretId,
          primaryRegion: out.PrimaryRegion,
          replicas: (out.ReplicationStatus ?? []).map((r) => ({ region: r.Region ?? '', status: r.Status ?? '' })),
        };
      } catch (e) {
        if (isAwsCallError(e) && e.code === 'ResourceNotFoundException') return null;
        throw e;
      }
    },
  };
}
