// Secrets Manager (awsJson 1.1, secretsmanager.*): DescribeSecret, which `mr check` reads to see that a
// secret a task definition references has a replica in the failover region. Shapes follow the SDK model
// (node_modules/@aws-sdk/client-secrets-manager/dist-types/models/models_0.d.ts: DescribeSecretResponse,
// ReplicationStatusType with Status InSync | InProgress | Failed). A replica keeps the primary's name
// and its ARN differs only in the region
// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html).
// Described in the primary region, a secret lists its replicas in ReplicationStatus; described in a
// replica's region, it names its PrimaryRegion.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SandboxAwsError, type ServiceContext, type ServiceModule } from '../../contract.js';
import { epochSeconds, jsonBody, jsonError, jsonResponse, jsonTarget, optString, unknownOperation } from '../../protocol/json.js';
import { parseSection, sectionError } from '../section.js';
import { isRemoved, removedSecretReplicaKey } from '../removed.js';

const sectionSchema = z
  .object({
    secrets: z.array(z.object({ name: z.string().min(1), region: z.string(), replicas: z.array(z.string()).default([]) }).strict()).default([]),
  })
  .strict();

export interface SecretsState {
  secrets: { name: string; region: string; replicas: string[]; createdAt: number }[];
}

/** Secrets Manager appends a hyphen and six random characters to the name in the ARN; here they are stable. */
export function secretArn(account: string, region: string, name: string): string {
  const suffix = createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6);
  return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
}

const notFound = () => new SandboxAwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/** SecretId is a name or an ARN (full, or without the six-character suffix). */
function lookup(state: SecretsState, ctx: ServiceContext, region: string, id: string) {
  const arn = /^arn:aws[\w-]*:secretsmanager:([\w-]+):(\d{12}):secret:(.+)$/.exec(id);
  if (arn && (arn[1] !== region || arn[2] !== ctx.account)) throw notFound();
  const found = state.secrets.find((s) => (arn ? secretArn(ctx.account, region, s.name) === id || s.name === arn[3] : s.name === id));
  if (!found) throw notFound();
  const replicaHere = found.replicas.includes(region) && !isRemoved(ctx, removedSecretReplicaKey(region, found.name));
  if (found.region !== region && !replicaHere) throw notFound();
  return found;
}

function describeSecret(b: Record<string, unknown>, state: SecretsState, ctx: ServiceContext, region: string) {
  const id = optString(b, 'SecretId');
  if (!id) throw new SandboxAwsError('InvalidParameterException', 'You must provide a SecretId.');
  const s = lookup(state, ctx, region, id);
  const primary = s.region === region;
  const replicas = s.replicas.filter((r) => !isRemoved(ctx, removedSecretReplicaKey(r, s.name)));
  return {
    ARN: secretArn(ctx.account, region, s.name),
    Name: s.name,
    CreatedDate: epochSeconds(s.createdAt),
    LastChangedDate: epochSeconds(s.createdAt),
    PrimaryRegion: s.region,
    VersionIdsToStages: { 'a1b2c3d4-0000-4000-8000-000000000001': ['AWSCURRENT'] },
    ...(primary && replicas.length
      ? {
          ReplicationStatus: replicas.map((r) => ({
            Region: r,
            KmsKeyId: 'alias/aws/secretsmanager',
            Status: 'InSync',
            StatusMessage: 'Replication succeeded',
          })),
        }
      : {}),
  };
}

export const secretsManagerService: ServiceModule<SecretsState> = {
  signingName: 'secretsmanager',
  stateKey: 'secretsmanager',
  init(section, ctx) {
    const parsed = parseSection(sectionSchema, section, 'secretsmanager');
    parsed.secrets.forEach((s, i) =>
      [s.region, ...s.replicas].forEach((r) => {
        if (!ctx.regions.includes(r)) throw sectionError(`secretsmanager.secrets[${i}]`, `region ${r} is not in the world's regions`);
      }),
    );
    const now = ctx.now();
    return { secrets: parsed.secrets.map((s) => ({ ...s, createdAt: now })) };
  },
  operation: (req) => jsonTarget(req, 'secretsmanager') || 'Unknown',
  operations: {
    DescribeSecret: { mutating: false, handle: (req, state, ctx) => jsonResponse('1.1', describeSecret(jsonBody(req), state, ctx, req.region)) },
  },
  unknownOperation: (req) => unknownOperation(req),
  renderError: (err) => jsonError(err, '1.1'),
};
