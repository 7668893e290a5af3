// `mr iam-policy`: the policy covers every call of a whole sandbox failover (planned and unplanned)
// and of the read commands, each on a resource ARN the policy names; and every action in it is used.
// The resource each call touched is read from the request itself (path, form or JSON body), not from
// the policy code, so a policy that names the wrong ARN fails here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorld } from './playbook-harness.js';
import { actionFor, TAG_ON_CREATE_ACTIONS } from '../../src/readiness/iam-actions.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { CallLogEntry, SandboxHandle } from '../../src/sandbox/types.js';
import { distRoot } from '../helpers/paths.js';
import { runMr, type MrResult } from '../helpers/run-mr.js';

const ACCOUNT = '123456789012';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}

/** IAM's wildcard match: * any run of characters, ? one (Resource element, case-sensitive). */
function matches(pattern: string, arn: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(arn);
}

function allowed(statements: Statement[], action: string, resource: string): boolean {
  return statements.some((s) => s.Effect === 'Allow' && s.Action.includes(action) && s.Resource.some((p) => matches(p, resource)));
}

/** The resource ARNs a call acted on, from its request. */
function resourcesOf(c: CallLogEntry): string[] {
  const req = c.request!;
  const form = new URLSearchParams(req.body);
  const json = (): Record<string, unknown> => (req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {});
  const clusterArn = (id: string) => (id.startsWith('arn:') ? id : `arn:aws:rds:${c.region}:${ACCOUNT}:cluster:${id}`);
  switch (c.service) {
    case 'route53': {
      const p = req.path.replace(/^\/2013-04-01\//, '');
      let m = /^hostedzone\/([^/]+)/.exec(p);
      if (m) return [`arn:aws:route53:::hostedzone/${m[1]}`];
      m = /^change\/([^/]+)/.exec(p);
      if (m) return [`arn:aws:route53:::change/${m[1]}`];
      m = /^healthcheck\/([^/]+)/.exec(p);
      if (m) return [`arn:aws:route53:::healthcheck/${m[1]}`];
      if (/^healthcheck\/?$/.test(p)) return ['*'];
      // TestDNSAnswer names the zone in its query, but its action has no resource type.
      if (/^testdnsanswer\/?$/.test(p)) return ['*'];
      throw new Error(`unknown route53 path ${req.path}`);
    }
    case 'rds': {
      const out: string[] = [];
      const g = form.get('GlobalClusterIdentifier');
      if (g) out.push(`arn:aws:rds::${ACCOUNT}:global-cluster:${g}`);
      const cl = form.get('DBClusterIdentifier') ?? form.get('TargetDbClusterIdentifier');
      if (cl) out.push(clusterArn(cl));
      const db = form.get('DBInstanceIdentifier');
      if (db) out.push(db.startsWith('arn:') ? db : `arn:aws:rds:${c.region}:${ACCOUNT}:db:${db}`);
      // A cross-region read replica names its source by ARN (CreateDBInstanceReadReplica).
      const source = form.get('SourceDBInstanceIdentifier');
      if (source) out.push(source.startsWith('arn:') ? source : `arn:aws:rds:${c.region}:${ACCOUNT}:db:${source}`);
      // DescribeDBInstances with no identifier lists the region's instances.
      if (out.length === 0 && c.operation === 'DescribeDBInstances') out.push(`arn:aws:rds:${c.region}:${ACCOUNT}:db:*`);
      return out;
    }
    case 'elasticache': {
      const out: string[] = [];
      const g = form.get('GlobalReplicationGroupId');
      if (g) out.push(`arn:aws:elasticache::${ACCOUNT}:globalreplicationgroup:${g}`);
      const rg = form.get('ReplicationGroupId');
      if (rg) out.push(`arn:aws:elasticache:${c.region}:${ACCOUNT}:replicationgroup:${rg}`);
      const primary = form.get('PrimaryReplicationGroupId');
      if (primary) out.push(`arn:aws:elasticache:${form.get('PrimaryRegion')}:${ACCOUNT}:replicationgroup:${primary}`);
      return out;
    }
    case 'ecs': {
      const b = json();
      if (c.operation === 'DescribeTaskDefinition') return [String(b.taskDefinition)];
      const names = c.operation === 'DescribeServices' ? (b.services as string[]) : [String(b.service)];
      return names.map((n) => (n.startsWith('arn:') ? n : `arn:aws:ecs:${c.region}:${ACCOUNT}:service/${String(b.cluster)}/${n}`));
    }
    case 'monitoring':
      return ['*'];
    // DescribeScalableTargets and RegisterScalableTarget name the service, not the scalable target's ARN.
    case 'application-autoscaling':
      return ['*'];
    case 'ecr':
      return [`arn:aws:ecr:${c.region}:${ACCOUNT}:repository/${String(json().repositoryName)}`];
    case 'secretsmanager':
      return [String(json().SecretId)];
    case 'iam':
      return [String(form.get('PolicySourceArn'))];
    default:
      return [];
  }
}

/** What the helpers below need of a world: its sandbox and mr pointed at it. */
interface Env {
  sandbox: SandboxHandle;
  mr(args: string[]): Promise<MrResult>;
}

async function policy(w: Env, purpose: 'read' | 'failover'): Promise<Statement[]> {
  const r = await w.mr(['--json', 'iam-policy', '--for', purpose]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { account: string; policy: { Version: string; Statement: Statement[] }; statements: { Sid: string; why: string }[] };
  assert.equal(doc.account, ACCOUNT);
  assert.equal(doc.policy.Version, '2012-10-17');
  // Every statement says why its resources are what they are; "*" only with a reason naming it.
  for (const s of doc.policy.Statement) {
    const why = doc.statements.find((x) => x.Sid === s.Sid)?.why ?? '';
    assert.ok(why.length > 0, s.Sid);
    if (s.Resource.includes('*')) assert.match(why, /requires "\*"/, s.Sid);
  }
  return doc.policy.Statement;
}

/** The calls of running `args`, each with its IAM action and resources. */
async function callsOf(w: Env, args: string[][]): Promise<{ call: CallLogEntry; action: string | null; resources: string[] }[]> {
  const out = [];
  for (const a of args) {
    w.sandbox.control.clearCalls();
    const r = await w.mr(a);
    assert.ok(r.code === 0, `${a.join(' ')}: exit ${r.code}\n${r.stderr}\n${r.stdout.slice(-2000)}`);
    for (const call of w.sandbox.control.calls()) {
      const action = actionFor(call.service, call.operation);
      assert.notEqual(action, undefined, `${call.service} ${call.operation} is not in the operation -> action table`);
      out.push({ call, action: action!, resources: resourcesOf(call) });
      // A create call that carries tags is authorised as the tagging action on what it creates too.
      const tagAction = TAG_ON_CREATE_ACTIONS[`${call.service} ${call.operation}`];
      if (tagAction && new URLSearchParams(call.request!.body).has('Tags.Tag.1.Key'))
        out.push({ call, action: tagAction, resources: resourcesOf(call).slice(0, 1) });
    }
  }
  return out;
}

function assertCovered(statements: Statement[], calls: Awaited<ReturnType<typeof callsOf>>, what: string): void {
  for (const { call, action, resources } of calls) {
    if (action === null) continue;
    assert.ok(resources.length > 0, `${call.service} ${call.operation}: no resource read from the request`);
    for (const arn of resources)
      assert.ok(
        allowed(statements, action, arn),
        `${what}: ${action} on ${arn} (${call.service} ${call.operation} in ${call.region}) is not allowed by the policy`,
      );
  }
}

describe('mr iam-policy', () => {
  test('the read policy covers status, health and check; the failover policy a planned and an unplanned failover; nothing in either is unused', async () => {
    const w = await openWorld();
    try {
      const read = await policy(w, 'read');
      const failover = await policy(w, 'failover');
      const readCalls = await callsOf(w, [['status'], ['health'], ['check'], ['status', '--dns']]);
      assertCovered(read, readCalls, 'read');
      assert.ok(
        !read.some((s) => s.Action.some((a) => /Switchover|Failover|UpdateService|ChangeResourceRecordSets/.test(a))),
        'the read policy changes nothing',
      );

      const planned = await callsOf(w, [['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']]);
      assertCovered(failover, planned, 'planned failover');
      w.sandbox.control.reset();
      const unplanned = await callsOf(w, [['failover', 'us-west-2', '--unplanned', '--yes', '--allow-data-loss']]);
      assertCovered(failover, unplanned, 'unplanned failover');
      // The mutations are there, so the test saw a whole failover.
      const ops = new Set([...planned, ...unplanned].map((c) => c.call.operation));
      for (const op of ['SwitchoverGlobalCluster', 'FailoverGlobalCluster', 'FailoverGlobalReplicationGroup', 'UpdateService', 'ChangeResourceRecordSets'])
        assert.ok(ops.has(op), op);

      const usedRead = new Set(readCalls.map((c) => c.action));
      const usedAll = new Set([...usedRead, ...[...planned, ...unplanned].map((c) => c.action)]);
      assert.deepEqual(
        read.flatMap((s) => s.Action).filter((a) => !usedRead.has(a)),
        [],
        'every read action is used by status, health or check',
      );
      assert.deepEqual(
        failover.flatMap((s) => s.Action).filter((a) => !usedAll.has(a)),
        [],
        'every action is used by the read or failover set',
      );
    } finally {
      await w.close();
    }
  });

  test('text output: the policy document on stdout, one reason per statement on stderr', async () => {
    const w = await openWorld();
    try {
      const r = await w.mr(['iam-policy', '--for', 'read']);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { Statement: Statement[] };
      for (const s of doc.Statement) assert.match(r.stderr, new RegExp(`${s.Sid} \\(read\\): `));
      const bad = await w.mr(['iam-policy', '--for', 'everything']);
      assert.equal(bad.code, 2);
    } finally {
      await w.close();
    }
  });
});

/** A bundled world in the test process with its own topology (polling faster, as the sandbox runs fast). */
async function openBundled(name: string): Promise<Env & { close(): Promise<void> }> {
  const dir = join(distRoot, 'src/sandbox/worlds', name);
  const sandbox = await startSandbox({ world: join(dir, 'world.yaml'), timeScale: 400, port: 0 });
  const home = await mkdtemp(join(tmpdir(), `mr-iam-${name}-`));
  const topology = join(home, 'topology.yaml');
  // Reads get a longer bound than the bundled 3 s: on a loaded machine a slow read would make status exit 1,
  // and this test is about which calls are made, not how fast.
  const text = (await readFile(join(dir, 'topology.yaml'), 'utf8')).replace(/^(\s*poll:\s*).*$/m, '$1100ms').replace(/^(\s*read:\s*).*$/m, '$115s');
  await writeFile(topology, text);
  return {
    sandbox,
    mr: (args) => runMr(['--endpoint-url', sandbox.endpoint, '--config', topology, '--state-dir', join(home, 'state'), ...args], { killAfterMs: 120_000 }),
    async close() {
      await sandbox.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

interface Scenario {
  /** Set the world up before the commands (faults); the world is reset first. */
  setup?: (sb: SandboxHandle) => void;
  runs: { args: string[]; before?: (sb: SandboxHandle) => void }[];
}

// Per world: the read commands, and every failover the world has: planned, unplanned (a region down
// where the world's playbook expects it), and the way back (restore after a drain, failback).
const WORLDS: Record<string, { read: string[][]; scenarios: Scenario[]; mutations: string[] }> = {
  demo: {
    read: [['status'], ['health'], ['check'], ['status', '--dns']],
    scenarios: [
      {
        runs: [
          { args: ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'] },
          { args: ['run', 'drain', '--var', 'region=us-west-2', '--var', 'to=eu-west-1', '--var', 'bake=0s', '--yes'] },
          { args: ['run', 'restore', '--var', 'region=us-west-2', '--var', 'bake=0s', '--yes'] },
        ],
      },
      { runs: [{ args: ['failover', 'us-west-2', '--unplanned', '--yes', '--allow-data-loss'] }] },
    ],
    mutations: ['SwitchoverGlobalCluster', 'FailoverGlobalCluster', 'FailoverGlobalReplicationGroup', 'UpdateService', 'ChangeResourceRecordSets'],
  },
  latency: {
    read: [['status'], ['health'], ['check'], ['status', '--dns']],
    scenarios: [
      {
        runs: [
          { args: ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'] },
          { args: ['run', 'drain', '--var', 'region=us-east-1', '--var', 'to=eu-west-1', '--var', 'bake=0s', '--yes'] },
          { args: ['run', 'restore', '--var', 'region=us-east-1', '--var', 'bake=0s', '--yes'] },
        ],
      },
      { runs: [{ args: ['failover', 'ap-southeast-1', '--unplanned', '--yes', '--allow-data-loss'] }] },
    ],
    mutations: [
      'SwitchoverGlobalCluster',
      'FailoverGlobalCluster',
      'FailoverGlobalReplicationGroup',
      'UpdateService',
      'ChangeResourceRecordSets',
      'UpdateHealthCheck',
    ],
  },
  'active-passive': {
    read: [['status'], ['health'], ['check'], ['status', '--dns']],
    scenarios: [
      { runs: [{ args: ['failover', 'eu-west-1', '--yes', '--var', 'bake=0s'] }] },
      {
        setup: (sb) => sb.control.setFaults({ regionsDown: ['us-east-1'] }),
        runs: [
          { args: ['failover', 'eu-west-1', '--unplanned', '--yes', '--allow-data-loss'] },
          { args: ['run', 'failback', '--var', 'target=us-east-1', '--yes'], before: (sb) => sb.control.clearFaults() },
          { args: ['failover', 'us-east-1', '--yes', '--var', 'bake=0s'] },
        ],
      },
    ],
    mutations: [
      'PromoteReadReplica',
      'CreateDBInstanceReadReplica',
      'FailoverGlobalReplicationGroup',
      'UpdateService',
      'RegisterScalableTarget',
      'ChangeResourceRecordSets',
      'UpdateHealthCheck',
    ],
  },
};

describe('mr iam-policy on every bundled world', () => {
  for (const [name, spec] of Object.entries(WORLDS)) {
    test(`${name}: every call of the reads and of each failover is allowed on its resource; nothing in the policy is unused`, async () => {
      const w = await openBundled(name);
      try {
        const read = await policy(w, 'read');
        const failover = await policy(w, 'failover');
        const readCalls = await callsOf(w, spec.read);
        assertCovered(read, readCalls, `${name} read`);
        const changing = /Switchover|Failover|Promote|Create|Register|Update|ChangeResourceRecordSets/;
        assert.ok(!read.some((s) => s.Action.some((a) => changing.test(a))), 'the read policy changes nothing');
        const runCalls: Awaited<ReturnType<typeof callsOf>> = [];
        for (const sc of spec.scenarios) {
          w.sandbox.control.reset();
          sc.setup?.(w.sandbox);
          for (const run of sc.runs) {
            run.before?.(w.sandbox);
            const calls = await callsOf(w, [run.args]);
            assertCovered(failover, calls, `${name} ${run.args.join(' ')}`);
            runCalls.push(...calls);
          }
        }
        const ops = new Set(runCalls.map((c) => c.call.operation));
        for (const op of spec.mutations) assert.ok(ops.has(op), `${name}: the runs made no ${op}, so they were not a whole failover`);
        const usedRead = new Set(readCalls.map((c) => c.action));
        const usedAll = new Set([...usedRead, ...runCalls.map((c) => c.action)]);
        assert.deepEqual(
          read.flatMap((s) => s.Action).filter((a) => !usedRead.has(a)),
          [],
          `${name}: every read action is used by status, health or check`,
        );
        assert.deepEqual(
          failover.flatMap((s) => s.Action).filter((a) => !usedAll.has(a)),
          [],
          `${name}: every action is used by the read or failover set`,
        );
      } finally {
        await w.close();
      }
    });
  }
});
