// The sandbox services `mr check` reads (ECR, Secrets Manager, ECS task definitions, IAM's policy
// simulator), through the real SDK clients over HTTP, and the faults that take an image or a secret
// replica away from a region.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeImagesCommand, DescribeRegistryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const ACCOUNT = '123456789012';
const DB_PASSWORD = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/db-password-XxPBh7';

describe('sandbox readiness services', () => {
  let sb: SandboxHandle;
  before(async () => {
    sb = await withSandbox({
      timeScale: 1,
      worldOverrides: (w) => ((w as Record<string, unknown>).iam = { allow: ['rds:*', 'ecs:Describe*'], deny: ['rds:FailoverGlobalCluster'] }),
    });
  });
  after(() => sb.stop());

  test('ECR: repositories and images per region, the replication rules, and a missing image as ECR reports it', async () => {
    const ecr = new ECRClient(sdkConfig(sb.endpoint, 'eu-west-1', 1));
    try {
      const repos = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['demo/api'] }));
      assert.equal(repos.repositories?.[0]?.repositoryUri, `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/demo/api`);
      assert.ok(repos.repositories?.[0]?.createdAt instanceof Date);
      const images = await ecr.send(new DescribeImagesCommand({ repositoryName: 'demo/api', imageIds: [{ imageTag: '1.4.2' }] }));
      assert.deepEqual(images.imageDetails?.[0]?.imageTags, ['1.4.2']);
      assert.match(images.imageDetails?.[0]?.imageDigest ?? '', /^sha256:[0-9a-f]{64}$/);
      await assert.rejects(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })), { name: 'RepositoryNotFoundException' });

      sb.control.addFault({ kind: 'image-missing', region: 'eu-west-1', repository: 'demo/api', tag: '1.4.2' });
      assert.ok(sb.control.listFaults().some((f) => f.id === 'image:eu-west-1:demo/api:1.4.2' && f.kind === 'image-missing'));
      await assert.rejects(ecr.send(new DescribeImagesCommand({ repositoryName: 'demo/api', imageIds: [{ imageTag: '1.4.2' }] })), {
        name: 'ImageNotFoundException',
      });
      const all = await ecr.send(new DescribeImagesCommand({ repositoryName: 'demo/api' }));
      assert.deepEqual(
        all.imageDetails?.map((d) => d.imageTags?.[0]),
        ['1.4.1'],
      );
      sb.control.clearFault('image:eu-west-1:demo/api:1.4.2');
      assert.equal((await ecr.send(new DescribeImagesCommand({ repositoryName: 'demo/api' }))).imageDetails?.length, 2);
    } finally {
      ecr.destroy();
    }
    const source = new ECRClient(sdkConfig(sb.endpoint, 'us-east-1', 1));
    try {
      const registry = await source.send(new DescribeRegistryCommand({}));
      assert.equal(registry.registryId, ACCOUNT);
      assert.deepEqual(
        registry.replicationConfiguration?.rules?.[0]?.destinations?.map((d) => d.region),
        ['eu-west-1', 'us-west-2'],
      );
      assert.deepEqual(registry.replicationConfiguration?.rules?.[0]?.repositoryFilters, [{ filter: 'demo/', filterType: 'PREFIX_MATCH' }]);
    } finally {
      source.destroy();
    }
  });

  test('Secrets Manager: ReplicationStatus in the primary region, the replica in its own, and a removed replica', async () => {
    const primary = new SecretsManagerClient(sdkConfig(sb.endpoint, 'us-east-1', 1));
    const replica = new SecretsManagerClient(sdkConfig(sb.endpoint, 'eu-west-1', 1));
    try {
      const s = await primary.send(new DescribeSecretCommand({ SecretId: DB_PASSWORD }));
      assert.equal(s.Name, 'demo/db-password');
      assert.equal(s.PrimaryRegion, 'us-east-1');
      assert.deepEqual(
        s.ReplicationStatus?.map((r) => [r.Region, r.Status]),
        [
          ['eu-west-1', 'InSync'],
          ['us-west-2', 'InSync'],
        ],
      );
      const r = await replica.send(new DescribeSecretCommand({ SecretId: DB_PASSWORD.replace('us-east-1', 'eu-west-1') }));
      assert.equal(r.ARN, DB_PASSWORD.replace('us-east-1', 'eu-west-1'));
      assert.equal(r.PrimaryRegion, 'us-east-1');

      sb.control.addFault({ kind: 'secret-unreplicated', region: 'eu-west-1', secret: 'demo/db-password' });
      await assert.rejects(replica.send(new DescribeSecretCommand({ SecretId: 'demo/db-password' })), { name: 'ResourceNotFoundException' });
      const after1 = await primary.send(new DescribeSecretCommand({ SecretId: 'demo/db-password' }));
      assert.deepEqual(
        after1.ReplicationStatus?.map((x) => x.Region),
        ['us-west-2'],
      );
      sb.control.clearFault('secret-replica:eu-west-1:demo/db-password');
      assert.equal((await replica.send(new DescribeSecretCommand({ SecretId: 'demo/db-password' }))).Name, 'demo/db-password');
    } finally {
      primary.destroy();
      replica.destroy();
    }
  });

  test('ECS DescribeTaskDefinition: the containers, images and secret references of a service, by family or ARN', async () => {
    const ecs = new ECSClient(sdkConfig(sb.endpoint, 'eu-west-1', 1));
    try {
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-euw1-api' }));
      assert.equal(td.taskDefinition?.taskDefinitionArn, `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/demo-euw1-api:1`);
      const api = td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'api');
      assert.equal(api?.image, `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/demo/api:1.4.2`);
      assert.equal(api?.secrets?.[0]?.valueFrom, DB_PASSWORD.replace('us-east-1', 'eu-west-1'));
      const byArn = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: td.taskDefinition!.taskDefinitionArn! }));
      assert.equal(byArn.taskDefinition?.family, 'demo-euw1-api');
      await assert.rejects(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-use1-api' })), { name: 'ClientException' });
    } finally {
      ecs.destroy();
    }
  });

  test('IAM SimulatePrincipalPolicy answers from the world: allowed, implicit and explicit deny, per resource', async () => {
    const iam = new IAMClient(sdkConfig(sb.endpoint, 'us-east-1', 1));
    try {
      const out = await iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/sandbox-operator`,
          ActionNames: ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster', 'ecs:UpdateService'],
          ResourceArns: [`arn:aws:rds::${ACCOUNT}:global-cluster:demo-global`],
        }),
      );
      assert.deepEqual(
        out.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision]),
        [
          ['rds:SwitchoverGlobalCluster', `arn:aws:rds::${ACCOUNT}:global-cluster:demo-global`, 'allowed'],
          ['rds:FailoverGlobalCluster', `arn:aws:rds::${ACCOUNT}:global-cluster:demo-global`, 'explicitDeny'],
          ['ecs:UpdateService', `arn:aws:rds::${ACCOUNT}:global-cluster:demo-global`, 'implicitDeny'],
        ],
      );
      assert.equal(out.IsTruncated, false);
      await assert.rejects(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::999999999999:user/x', ActionNames: ['rds:*'] })), {
        name: 'NoSuchEntityException',
      });
    } finally {
      iam.destroy();
    }
    // A global service: signed for us-east-1, it answers even when that region is down.
    sb.control.addFault({ kind: 'region-down', region: 'us-east-1' });
    const iam2 = new IAMClient(sdkConfig(sb.endpoint, 'us-east-1', 1));
    try {
      const out = await iam2.send(
        new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/sandbox-operator`, ActionNames: ['rds:DescribeGlobalClusters'] }),
      );
      assert.equal(out.EvaluationResults?.[0]?.EvalDecision, 'allowed');
    } finally {
      iam2.destroy();
      sb.control.clearFaults();
    }
  });
});
