// The least-privilege IAM policy a topology needs: every action mr calls (iam-actions.ts), scoped to
// the topology's resource ARNs where the service has resource-level permissions, and "*" only where
// the Service Authorization Reference lists no resource type for the action (then the policy must
// say "*"). One statement per service and purpose; its Sid says which, and `why` says why its
// resources are what they are. Pages, per service:
//   Route 53:        https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
//   RDS:             https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html
//   ElastiCache:     https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticache.html
//   ECS:             https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
//   CloudWatch:      https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
//   ECR:             https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
//   Secrets Manager: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html
//   IAM:             https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
//   App Auto Scaling: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsapplicationautoscaling.html
//   STS:             GetCallerIdentity needs no permission (iam-actions.ts), so no statement.
// ARN formats are each page's "Resource types" table. Where a page lists no resource type for an
// action, the statement must say "*" (each page's intro: "If there is no value for this column, you
// must specify all resources ("*")").
import type { Aws } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { healthRoutedRecords } from '../config/records.js';

export type PolicyPurpose = 'read' | 'failover';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

export interface ExplainedStatement extends PolicyStatement {
  purpose: PolicyPurpose;
  /** Why these resources (and why "*", where it is). */
  why: string;
}

export interface PolicyInputs {
  topology: Topology;
  account: string;
  /** The IAM principal mr runs as (a user or role ARN), for iam:SimulatePrincipalPolicy. */
  principalArn?: string;
  /**
   * Whether any of the topology's ECS services is under Application Auto Scaling (read live: the
   * topology does not say). ecs.scale then moves the target's bounds (RegisterScalableTarget).
   */
  scalableTargets?: boolean;
}

const sorted = (xs: string[]) => [...new Set(xs)].sort();

export function policyStatements({ topology: t, account, principalArn, scalableTargets }: PolicyInputs): ExplainedStatement[] {
  const out: ExplainedStatement[] = [];
  const add = (purpose: PolicyPurpose, Sid: string, Action: string[], Resource: string[], why: string) =>
    out.push({ Sid, Effect: 'Allow', Action: sorted(Action), Resource: sorted(Resource), purpose, why });
  const r53 = t.route53;
  if (r53) {
    const zone = `arn:aws:route53:::hostedzone/${r53.hostedZoneId}`;
    add('read', 'Route53ReadZone', ['route53:GetHostedZone', 'route53:ListResourceRecordSets'], [zone], 'hostedzone is the resource type of both actions');
    const checks = Object.values(r53.healthChecks).map((id) => `arn:aws:route53:::healthcheck/${id}`);
    const controls = Object.values(r53.controlHealthChecks ?? {}).map((id) => `arn:aws:route53:::healthcheck/${id}`);
    add(
      'read',
      'Route53ReadHealthChecks',
      ['route53:GetHealthCheckStatus', 'route53:GetHealthCheckLastFailureReason'],
      [...checks, ...controls],
      'healthcheck is the resource type of these actions; status reads the application and the control checks',
    );
    add('read', 'Route53ListHealthChecks', ['route53:ListHealthChecks'], ['*'], 'ListHealthChecks has no resource type: AWS requires "*"');
    // status --dns and the drain's verify ask Route 53 what it answers (TestDNSAnswer).
    add('read', 'Route53TestAnswers', ['route53:TestDNSAnswer'], ['*'], 'TestDNSAnswer has no resource type: AWS requires "*"');
    // The failover's health gates read each check's configuration (inverted, disabled) with its status;
    // the drain and restore read and invert the control checks (or, without them, the records' own).
    // The drain also reads the CALCULATED parent each record names, to see the control check is its child;
    // the records name those parents, not the topology, so then every health check of the account.
    if (controls.length && healthRoutedRecords(t).length)
      add(
        'failover',
        'Route53GateHealthChecks',
        ['route53:GetHealthCheck'],
        ['arn:aws:route53:::healthcheck/*'],
        'healthcheck is its resource type; the calculated parents are named by the records, not the topology, so healthcheck/*',
      );
    else add('failover', 'Route53GateHealthChecks', ['route53:GetHealthCheck'], [...checks, ...controls], 'healthcheck is its resource type');
    if (healthRoutedRecords(t).length > 0)
      add(
        'failover',
        'Route53InvertHealthChecks',
        ['route53:UpdateHealthCheck'],
        controls.length ? controls : checks,
        "healthcheck is its resource type; route53.drain/restore invert the control checks (or the records' own checks where there are none)",
      );
    // The run lock is a TXT record in the same zone (CREATE/DELETE), so the change right covers it.
    add(
      'failover',
      'Route53ChangeRecords',
      ['route53:ChangeResourceRecordSets'],
      [zone],
      'hostedzone is its resource type; the records, the names that follow the data and the run lock live in this zone',
    );
    add(
      'failover',
      'Route53WaitForChanges',
      ['route53:GetChange'],
      ['arn:aws:route53:::change/*'],
      'change ids are made by each change, so only the change/* pattern can name them',
    );
  }
  const a = t.aurora;
  if (a) {
    const global = `arn:aws:rds::${account}:global-cluster:${a.globalClusterId}`;
    const clusters = t.regions.map((r) => `arn:aws:rds:${r}:${account}:cluster:${a.clusters[r]}`);
    add(
      'read',
      'AuroraRead',
      ['rds:DescribeGlobalClusters', 'rds:DescribeDBClusters'],
      [global, ...clusters],
      'global-cluster and cluster are the resource types; a global cluster ARN has no region',
    );
    add('read', 'AuroraLagMetric', ['cloudwatch:GetMetricData'], ['*'], 'GetMetricData has no resource type: AWS requires "*"');
    add(
      'failover',
      'AuroraSwitchOrFailOver',
      ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'],
      [global, ...clusters],
      'both actions require the global-cluster and the target cluster',
    );
  }
  const rds = t.rds;
  const dbs = Object.entries(rds?.instances ?? {}).flatMap(([r, ids]) => ids.map((id) => `arn:aws:rds:${r}:${account}:db:${id}`));
  if (dbs.length > 0) {
    // ARC Region switch's sample policy for these steps grants the same actions on "*"
    // (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_rds.html); db is their
    // resource type on the RDS page, so here they are scoped to the instances.
    // Every identifier the topology names, the rebuilt replicas' names included: the replica is created
    // under one of them, and a cross-region CreateDBInstanceReadReplica names its source by ARN.
    add('read', 'RdsReadInstances', ['rds:DescribeDBInstances'], dbs, 'db is the resource type');
    add(
      'failover',
      'RdsPromoteOrRebuildReplica',
      ['rds:PromoteReadReplica', 'rds:CreateDBInstanceReadReplica', 'rds:AddTagsToResource'],
      dbs,
      'db is the resource type of all three: the replica promoted, or the replica created and its source; the replica is created with a tag, which RDS authorises as rds:AddTagsToResource on it (TAG_ON_CREATE_ACTIONS)',
    );
  }
  const replicaClusters = Object.entries(rds?.clusters ?? {}).flatMap(([r, ids]) => ids.map((id) => `arn:aws:rds:${r}:${account}:cluster:${id}`));
  if (replicaClusters.length > 0) {
    // Cross-region read replica clusters (rds.clusters): cluster is the resource type of both actions
    // (the Service Authorization Reference's RDS page).
    add('read', 'RdsReadReplicaClusters', ['rds:DescribeDBClusters'], replicaClusters, 'cluster is the resource type');
    add(
      'failover',
      'RdsPromoteReplicaCluster',
      ['rds:PromoteReadReplicaDBCluster'],
      replicaClusters,
      'cluster is the resource type: the replica cluster promoted',
    );
    // rds.create-replica-cluster, the return trip: CreateDBCluster in the destination region with
    // ReplicationSourceIdentifier = the source cluster's ARN, tagged (mr:replica-of), then CreateDBInstance with
    // DBClusterIdentifier for its first DB instance, <cluster>-instance-1 (src/steps/rds-create-replica-cluster.ts).
    // On the RDS page CreateDBCluster's required resource type is cluster, and CreateDBInstance's is db with cluster
    // among its others (the cluster the instance joins). Every cluster identifier of rds.clusters, the rebuilt
    // names and the source included. Not printed: KMS permissions on rds.kmsKeyIds for an encrypted replica,
    // which the key's own policy grants (the KMS page; mr sends no KMS call).
    add(
      'failover',
      'RdsRebuildReplicaCluster',
      ['rds:CreateDBCluster', 'rds:AddTagsToResource'],
      replicaClusters,
      'cluster is the resource type: the replica cluster created and its source; it is created with a tag, which RDS authorises as rds:AddTagsToResource on it (TAG_ON_CREATE_ACTIONS)',
    );
    const clusterInstances = Object.entries(rds?.clusters ?? {}).flatMap(([r, ids]) => ids.map((id) => `arn:aws:rds:${r}:${account}:db:${id}-instance-1`));
    add(
      'failover',
      'RdsAddReplicaClusterInstance',
      ['rds:CreateDBInstance'],
      [...clusterInstances, ...replicaClusters],
      "db is the resource type: the rebuilt cluster's first DB instance (<cluster>-instance-1); cluster: the cluster it joins",
    );
  }
  // ReplicaLag and AuroraBinlogReplicaLag.
  if (dbs.length > 0 || replicaClusters.length > 0)
    add('read', 'RdsLagMetric', ['cloudwatch:GetMetricData'], ['*'], 'GetMetricData has no resource type: AWS requires "*"');
  const e = t.elasticache;
  if (e) {
    const global = `arn:aws:elasticache::${account}:globalreplicationgroup:${e.globalReplicationGroupId}`;
    const groups = t.regions.map((r) => `arn:aws:elasticache:${r}:${account}:replicationgroup:${e.replicationGroups[r]}`);
    add(
      'read',
      'DatastoreRead',
      ['elasticache:DescribeGlobalReplicationGroups', 'elasticache:DescribeReplicationGroups'],
      [global, ...groups],
      'globalreplicationgroup and replicationgroup are the resource types',
    );
    add(
      'failover',
      'DatastorePromote',
      ['elasticache:FailoverGlobalReplicationGroup'],
      [global, ...groups],
      'globalreplicationgroup and the promoted replicationgroup',
    );
  }
  const ecs = t.ecs;
  if (ecs) {
    const services = Object.entries(ecs).flatMap(([r, c]) => c.services.map((s) => `arn:aws:ecs:${r}:${account}:service/${c.cluster}/${s.name}`));
    const regions = Object.keys(ecs);
    add('read', 'EcsReadServices', ['ecs:DescribeServices'], services, 'service is the resource type');
    add('read', 'EcsReadTaskDefinitions', ['ecs:DescribeTaskDefinition'], ['*'], 'DescribeTaskDefinition has no resource type: AWS requires "*"');
    // The repositories and secrets are named by the task definitions, not by the topology: scoped to
    // the account and the topology's regions.
    add(
      'read',
      'EcrReadImages',
      ['ecr:DescribeImages'],
      regions.map((r) => `arn:aws:ecr:${r}:${account}:repository/*`),
      'repository is the resource type; the repositories come from the task definitions, so every repository of the account in these regions',
    );
    add(
      'read',
      'SecretsReadReplicas',
      ['secretsmanager:DescribeSecret'],
      regions.map((r) => `arn:aws:secretsmanager:${r}:${account}:secret:*`),
      'Secret is the resource type; the secrets come from the task definitions, so every secret of the account in these regions',
    );
    add('failover', 'EcsScale', ['ecs:UpdateService'], services, 'service is the resource type');
    // ecs.scale reads each service's scalable target before it plans (min/max bounds the count), and
    // mr check compares its maximum with the capacity.
    add(
      'read',
      'EcsReadScalableTargets',
      ['application-autoscaling:DescribeScalableTargets'],
      ['*'],
      'DescribeScalableTargets has no resource type: AWS requires "*"',
    );
    // The scalable-target ARN ends in an id Application Auto Scaling assigns, not the service's name,
    // so the topology cannot name it.
    if (scalableTargets)
      add(
        'failover',
        'EcsMoveScalableTargets',
        ['application-autoscaling:RegisterScalableTarget'],
        ['*'],
        'the scalable-target ARN carries an id AWS assigns, which the topology cannot name, so the statement requires "*"',
      );
  }
  if (principalArn)
    add(
      'read',
      'CheckOwnPermissions',
      ['iam:SimulatePrincipalPolicy'],
      [principalArn],
      'the principal simulated is the resource: mr check simulates only its own',
    );
  return out;
}

/** The IAM policy document for one purpose; failover includes the reads a failover makes. */
export function policyDocument(inputs: PolicyInputs, purpose: PolicyPurpose): { Version: '2012-10-17'; Statement: PolicyStatement[] } {
  const wanted = policyStatements(inputs).filter((s) => purpose === 'failover' || s.purpose === 'read');
  return { Version: '2012-10-17', Statement: wanted.map(({ Sid, Effect, Action, Resource }) => ({ Sid, Effect, Action, Resource })) };
}

/**
 * Whether any ECS service of the topology has a scalable target (DescribeScalableTargets per region).
 * A read that fails counts as yes: the policy then allows what ecs.scale may need rather than less.
 */
export async function readScalableTargets(topology: Topology, aws: Aws): Promise<boolean> {
  const found = await Promise.all(
    Object.entries(topology.ecs ?? {}).flatMap(([region, c]) =>
      c.services.map((s) =>
        aws
          .applicationAutoScaling(region)
          .readEcsScalableTarget(c.cluster, s.name)
          .then(
            (t) => t !== undefined,
            () => true,
          ),
      ),
    ),
  );
  return found.some(Boolean);
}
