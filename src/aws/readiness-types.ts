// Plain types of the reads `mr check` adds: container images (ECR), secret replicas (Secrets
// Manager), task definitions (ECS) and the caller's permissions (IAM's policy simulator).
// Shapes follow https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html,
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html (ReplicationStatus per region),
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html (EvalDecision allowed | explicitDeny | implicitDeny).
/** As in types.ts (which imports this file, so this one does not import it back). */
type Region = string;

export interface TaskContainer {
  name: string;
  image: string;
  /** valueFrom of each secret the container reads: a Secrets Manager or SSM Parameter Store ARN. */
  secrets: string[];
}

export interface TaskDefinitionInfo {
  arn: string;
  family: string;
  containers: TaskContainer[];
}

/** found, or which of the two (repository, image) is missing in the region. */
export type ImagePresence = 'found' | 'no-repository' | 'no-image';

export interface EcrApi {
  /** Whether `repository:tag` (or `repository@sha256:...`) is in this region's registry. */
  imagePresence(repository: string, ref: { tag?: string; digest?: string }): Promise<ImagePresence>;
}

export interface SecretReplica {
  region: Region;
  /** InSync | InProgress | Failed (Secrets Manager ReplicationStatusType). */
  status: string;
}

export interface SecretInfo {
  arn: string;
  name: string;
  primaryRegion?: Region;
  replicas: SecretReplica[];
}

export interface SecretsManagerApi {
  /** The secret as this region knows it; null when the region has no such secret (ResourceNotFoundException). */
  describeSecret(secretId: string): Promise<SecretInfo | null>;
}

export type PolicyDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface SimulatedDecision {
  action: string;
  resource: string;
  decision: PolicyDecision;
}

export interface IamApi {
  /** iam:SimulatePrincipalPolicy for a user or role ARN, every page. */
  simulatePrincipalPolicy(principalArn: string, actions: string[], resources: string[]): Promise<SimulatedDecision[]>;
}
