// The pure conversions from SDK shapes to domain types, and the shared client configuration.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbClusterFromSdk, globalClusterFromSdk, parseArn } from '../../src/aws/rds.js';
import { globalDatastoreFromSdk, replicationGroupFromSdk } from '../../src/aws/elasticache.js';
import { missingService, serviceFromSdk, serviceNameOf } from '../../src/aws/ecs.js';
import { newestValue } from '../../src/aws/cloudwatch.js';
import { clientConfig, userAgentPairs } from '../../src/aws/factory.js';

describe('rds', () => {
  test('parseArn splits a cluster ARN, including partitions other than aws', () => {
    assert.deepEqual(parseArn('arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1'), {
      partition: 'aws',
      service: 'rds',
      region: 'eu-west-1',
      account: '123456789012',
      resourceType: 'cluster',
      resourceId: 'demo-euw1',
    });
    assert.equal(parseArn('arn:aws-cn:rds:cn-north-1:1:cluster:x')?.region, 'cn-north-1');
    assert.equal(parseArn('arn:aws:rds::123456789012:global-cluster:demo-global')?.region, '');
    assert.equal(parseArn('not-an-arn'), undefined);
  });

  test('a global cluster maps members with region and id from the ARN, and its failover state', () => {
    const info = globalClusterFromSdk({
      GlobalClusterIdentifier: 'demo-global',
      GlobalClusterArn: 'arn:aws:rds::123456789012:global-cluster:demo-global',
      Status: 'switching-over',
      Engine: 'aurora-postgresql',
      EngineVersion: '16.4',
      GlobalClusterMembers: [
        {
          DBClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:demo-use1',
          IsWriter: true,
          Readers: ['arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1'],
          SynchronizationStatus: 'connected',
        },
        {
          DBClusterArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1',
          IsWriter: false,
          GlobalWriteForwardingStatus: 'disabled',
          SynchronizationStatus: 'pending-resync',
        },
      ],
      FailoverState: {
        Status: 'pending',
        FromDbClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:demo-use1',
        ToDbClusterArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1',
        IsDataLossAllowed: false,
      },
    });
    assert.equal(info.id, 'demo-global');
    assert.equal(info.status, 'switching-over');
    assert.deepEqual(
      info.members.map((m) => [m.clusterId, m.region, m.isWriter, m.syncStatus, m.readers.length]),
      [
        ['demo-use1', 'us-east-1', true, 'connected', 1],
        ['demo-euw1', 'eu-west-1', false, 'pending-resync', 0],
      ],
    );
    assert.equal(info.members[1].writeForwarding, 'disabled');
    assert.deepEqual(info.failover, {
      status: 'pending',
      fromArn: 'arn:aws:rds:us-east-1:123456789012:cluster:demo-use1',
      toArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1',
      dataLossAllowed: false,
    });
  });

  test('an empty FailoverState means no failover in progress', () => {
    assert.equal(globalClusterFromSdk({ GlobalClusterIdentifier: 'g', FailoverState: {} }).failover, undefined);
    assert.equal(globalClusterFromSdk({ GlobalClusterIdentifier: 'g' }).failover, undefined);
  });

  test('a DB cluster takes its region from the ARN, else the client region', () => {
    const c = dbClusterFromSdk(
      {
        DBClusterIdentifier: 'demo-euw1',
        DBClusterArn: 'arn:aws:rds:eu-west-1:1:cluster:demo-euw1',
        Status: 'available',
        Endpoint: 'e',
        GlobalClusterIdentifier: 'demo-global',
      },
      'us-east-1',
    );
    assert.deepEqual(c, {
      id: 'demo-euw1',
      arn: 'arn:aws:rds:eu-west-1:1:cluster:demo-euw1',
      region: 'eu-west-1',
      status: 'available',
      endpoint: 'e',
      globalClusterId: 'demo-global',
    });
    assert.equal(dbClusterFromSdk({ DBClusterIdentifier: 'x' }, 'us-west-2').region, 'us-west-2');
  });
});

describe('elasticache', () => {
  test('a global datastore lists its members with upper-case roles', () => {
    const g = globalDatastoreFromSdk({
      GlobalReplicationGroupId: 'ldgnf-demo-sessions',
      Status: 'available',
      Engine: 'valkey',
      Members: [
        { ReplicationGroupId: 'demo-sessions-use1', ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY', Status: 'associated' },
        { ReplicationGroupId: 'demo-sessions-euw1', ReplicationGroupRegion: 'eu-west-1', Role: 'secondary', Status: 'associated' },
      ],
    });
    assert.deepEqual(g, {
      id: 'ldgnf-demo-sessions',
      status: 'available',
      engine: 'valkey',
      members: [
        { replicationGroupId: 'demo-sessions-use1', region: 'us-east-1', role: 'PRIMARY', status: 'associated' },
        { replicationGroupId: 'demo-sessions-euw1', region: 'eu-west-1', role: 'SECONDARY', status: 'associated' },
      ],
    });
  });

  test('a replication group carries its global role when it has one', () => {
    assert.deepEqual(
      replicationGroupFromSdk({
        ReplicationGroupId: 'r',
        Status: 'available',
        GlobalReplicationGroupInfo: { GlobalReplicationGroupId: 'g', GlobalReplicationGroupMemberRole: 'primary' },
      }),
      { id: 'r', status: 'available', globalRole: 'PRIMARY' },
    );
    assert.equal(replicationGroupFromSdk({ ReplicationGroupId: 'r', Status: 'available' }).globalRole, undefined);
  });
});

describe('ecs', () => {
  test('service names come from names or either ARN format', () => {
    assert.equal(serviceNameOf('api'), 'api');
    assert.equal(serviceNameOf('arn:aws:ecs:us-east-1:1:service/api'), 'api');
    assert.equal(serviceNameOf('arn:aws:ecs:us-east-1:1:service/demo-use1/api'), 'api');
  });

  test('a service maps its counts and deployments; a missing one is all zero', () => {
    const s = serviceFromSdk('demo-use1', {
      serviceName: 'api',
      serviceArn: 'arn:aws:ecs:us-east-1:1:service/demo-use1/api',
      status: 'ACTIVE',
      desiredCount: 6,
      runningCount: 5,
      pendingCount: 1,
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY' }],
    });
    assert.deepEqual(s, {
      cluster: 'demo-use1',
      name: 'api',
      arn: 'arn:aws:ecs:us-east-1:1:service/demo-use1/api',
      status: 'ACTIVE',
      desired: 6,
      running: 5,
      pending: 1,
      deployments: 1,
    });
    assert.deepEqual(missingService('c', 'gone'), {
      cluster: 'c',
      name: 'gone',
      arn: undefined,
      status: 'MISSING',
      desired: 0,
      running: 0,
      pending: 0,
      deployments: 0,
    });
  });
});

describe('cloudwatch', () => {
  test('the newest datapoint wins whatever the order; none gives null', () => {
    const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
    assert.equal(newestValue({ Id: 'lag', Timestamps: [t(1), t(3), t(2)], Values: [10, 30, 20] }), 30);
    assert.equal(newestValue({ Id: 'lag', Timestamps: [t(4), t(3)], Values: [0, 99] }), 0);
    assert.equal(newestValue({ Id: 'lag', Timestamps: [], Values: [] }), null);
    assert.equal(newestValue(undefined), null);
  });
});

describe('client configuration', () => {
  test('the user agent suffix becomes one pair per word', () => {
    assert.deepEqual(userAgentPairs('mr/0.1.0 run/20260101-abc'), [
      ['mr', '0.1.0'],
      ['run', '20260101-abc'],
    ]);
    assert.deepEqual(userAgentPairs('plain'), [['plain']]);
    assert.deepEqual(userAgentPairs(undefined), []);
  });

  test('defaults: standard retries, 3 attempts, 4 s bounded requests that throw, no endpoint override', () => {
    const cfg = clientConfig({}, 'eu-west-1');
    assert.equal(cfg.region, 'eu-west-1');
    assert.equal(cfg.retryMode, 'standard');
    assert.equal(cfg.maxAttempts, 3);
    assert.equal(cfg.requestHandler.requestTimeout, 4000);
    assert.equal(cfg.requestHandler.throwOnRequestTimeout, true);
    assert.ok(cfg.requestHandler.connectionTimeout <= 4000);
    assert.equal('endpoint' in cfg, false);
    assert.equal('credentials' in cfg, false);
    assert.equal('profile' in cfg, false);
  });

  test('options flow into the config; static credentials take precedence over a profile', () => {
    const creds = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };
    const cfg = clientConfig(
      { endpointUrl: 'http://127.0.0.1:4566', requestTimeoutMs: 500, maxAttempts: 2, credentials: creds, profile: 'ops', userAgentSuffix: 'mr/0.1.0' },
      'us-west-2',
    );
    assert.equal((cfg as { endpoint?: string }).endpoint, 'http://127.0.0.1:4566');
    assert.equal(cfg.maxAttempts, 2);
    assert.equal(cfg.requestHandler.requestTimeout, 500);
    assert.equal(cfg.requestHandler.connectionTimeout, 500);
    assert.deepEqual((cfg as { credentials?: unknown }).credentials, creds);
    assert.equal('profile' in cfg, false);
    assert.deepEqual(cfg.customUserAgent, [['mr', '0.1.0']]);
    assert.equal((clientConfig({ profile: 'ops' }, 'us-east-1') as { profile?: string }).profile, 'ops');
  });
});
