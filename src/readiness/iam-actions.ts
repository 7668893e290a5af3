// The one table of which IAM action authorises each AWS operation mr calls, keyed by the SigV4
// signing name and the operation (as the sandbox's call log names them). For almost every operation
// the action has the operation's name (Service Authorization Reference, "Actions, resources, and
// condition keys for <service>": https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
// CloudWatch signs as "monitoring" but its actions are "cloudwatch:*". GetCallerIdentity needs no
// permission: "No permissions are required to perform this operation" (STS API reference,
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html), so it maps to null.

export const OPERATION_ACTIONS: Record<string, string | null> = {
  'route53 GetHostedZone': 'route53:GetHostedZone',
  'route53 ListResourceRecordSets': 'route53:ListResourceRecordSets',
  'route53 ChangeResourceRecordSets': 'route53:ChangeResourceRecordSets',
  'route53 GetChange': 'route53:GetChange',
  'route53 ListHealthChecks': 'route53:ListHealthChecks',
  'route53 GetHealthCheck': 'route53:GetHealthCheck',
  'route53 GetHealthCheckStatus': 'route53:GetHealthCheckStatus',
  'route53 GetHealthCheckLastFailureReason': 'route53:GetHealthCheckLastFailureReason',
  'route53 UpdateHealthCheck': 'route53:UpdateHealthCheck',
  'route53 TestDNSAnswer': 'route53:TestDNSAnswer',
  'route53 ListHostedZones': 'route53:ListHostedZones',
  'rds DescribeGlobalClusters': 'rds:DescribeGlobalClusters',
  'rds DescribeDBClusters': 'rds:DescribeDBClusters',
  'rds SwitchoverGlobalCluster': 'rds:SwitchoverGlobalCluster',
  'rds FailoverGlobalCluster': 'rds:FailoverGlobalCluster',
  'rds DescribeDBInstances': 'rds:DescribeDBInstances',
  'rds PromoteReadReplica': 'rds:PromoteReadReplica',
  'rds CreateDBInstanceReadReplica': 'rds:CreateDBInstanceReadReplica',
  'rds PromoteReadReplicaDBCluster': 'rds:PromoteReadReplicaDBCluster',
  'rds CreateDBCluster': 'rds:CreateDBCluster',
  'rds CreateDBInstance': 'rds:CreateDBInstance',
  'elasticache DescribeGlobalReplicationGroups': 'elasticache:DescribeGlobalReplicationGroups',
  'elasticache DescribeReplicationGroups': 'elasticache:DescribeReplicationGroups',
  'elasticache FailoverGlobalReplicationGroup': 'elasticache:FailoverGlobalReplicationGroup',
  'ecs DescribeServices': 'ecs:DescribeServices',
  'ecs UpdateService': 'ecs:UpdateService',
  'ecs DescribeTaskDefinition': 'ecs:DescribeTaskDefinition',
  'ecs ListClusters': 'ecs:ListClusters',
  'ecs ListServices': 'ecs:ListServices',
  'application-autoscaling DescribeScalableTargets': 'application-autoscaling:DescribeScalableTargets',
  'application-autoscaling RegisterScalableTarget': 'application-autoscaling:RegisterScalableTarget',
  'monitoring GetMetricData': 'cloudwatch:GetMetricData',
  'ecr DescribeImages': 'ecr:DescribeImages',
  'secretsmanager DescribeSecret': 'secretsmanager:DescribeSecret',
  'iam SimulatePrincipalPolicy': 'iam:SimulatePrincipalPolicy',
  'sts GetCallerIdentity': null,
};

/**
 * A second action the request authorises when it carries tags: "If tags are specified in the create action,
 * RDS performs additional authorization on the rds:AddTagsToResource action" (RDS user guide, "Grant
 * permission to tag Amazon RDS resources during creation",
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/security_iam_id-based-policy-examples-grant-permissions-tags-on-create.html).
 * rds.create-replica tags the replica it builds (mr:replica-of), so the failback needs it.
 */
export const TAG_ON_CREATE_ACTIONS: Record<string, string> = {
  'rds CreateDBInstanceReadReplica': 'rds:AddTagsToResource',
  'rds CreateDBCluster': 'rds:AddTagsToResource',
};

/** The IAM action for a call, or null when it needs none; undefined when the table does not know it. */
export function actionFor(service: string, operation: string): string | null | undefined {
  const key = `${service} ${operation}`;
  return Object.hasOwn(OPERATION_ACTIONS, key) ? OPERATION_ACTIONS[key] : undefined;
}
