// `mr check`: the built CLI against the sandbox. The demo world is ready for a failover to every
// region; each gap (an image missing in the target, a secret not replicated, a health check
// detached, an engine version mismatch, a missing permission, a permission check that fails) makes
// it exit 1 with one line naming it. Reads only: no audit record.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openWorld, type World } from './playbook-harness.js';
import type { WorldFile } from '../../src/sandbox/types.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function inWorld<T>(override: ((w: Raw) => void) | undefined, fn: (w: World) => Promise<T>): Promise<T> {
  const w = await openWorld(override ? { worldOverrides: (x: WorldFile) => override(x as Raw) } : {});
  try {
    return await fn(w);
  } finally {
    await w.close();
  }
}

/** The finding lines of the text output (those that name a target region). */
const findingLines = (out: string) => out.split('\n').filter((l) => /^\s+[✗?] /.test(l));

describe('mr check', () => {
  test('the demo world is ready for a failover to every region: exit 0, and nothing in the audit log', async () => {
    await inWorld(undefined, async (w) => {
      const r = await w.mr(['check']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      for (const region of ['us-east-1', 'eu-west-1', 'us-west-2']) assert.match(r.stdout, new RegExp(`✓ ${region}: ready for a failover`));
      assert.deepEqual(findingLines(r.stdout), []);
      assert.equal(existsSync(join(w.stateDir, 'audit')), false, 'a read-only command writes no audit record');
      const audit = await w.mr(['audit', 'list', '--json']);
      assert.doesNotMatch(audit.stdout, /runId/);
      assert.equal(w.sandbox.control.calls().filter((c) => c.mutating).length, 0);
      // It read what it says it checked: images, secrets, task definitions and the permissions.
      const ops = new Set(w.sandbox.control.calls().map((c) => `${c.service} ${c.operation}`));
      for (const op of [
        'ecs DescribeTaskDefinition',
        'ecr DescribeImages',
        'secretsmanager DescribeSecret',
        'iam SimulatePrincipalPolicy',
        'sts GetCallerIdentity',
      ])
        assert.ok(ops.has(op), op);

      const j = await w.mr(['--json', 'check', 'eu-west-1']);
      assert.equal(j.code, 0, j.stderr);
      const doc = JSON.parse(j.stdout) as {
        ready: boolean;
        account: string;
        caller: string;
        targets: { region: string; ready: boolean; findings: unknown[] }[];
      };
      assert.equal(doc.ready, true);
      assert.equal(doc.account, '123456789012');
      assert.equal(doc.caller, 'arn:aws:iam::123456789012:user/sandbox-operator');
      assert.deepEqual(
        doc.targets.map((t) => [t.region, t.ready, t.findings.length]),
        [['eu-west-1', true, 0]],
      );
    });
  });

  test('an image missing in the target and a secret not replicated: exit 1, one line each, only for that target', async () => {
    await inWorld(undefined, async (w) => {
      w.sandbox.control.addFault({ kind: 'image-missing', region: 'eu-west-1', repository: 'demo/worker', tag: '1.4.2' });
      w.sandbox.control.addFault({ kind: 'secret-unreplicated', region: 'us-west-2', secret: 'demo/db-password' });
      const r = await w.mr(['check']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.deepEqual(
        findingLines(r.stdout).map((l) => l.trim()),
        [
          "✗ eu-west-1: image demo/worker:1.4.2 (demo-euw1/worker): is missing from eu-west-1's ECR registry; fix: replicate or push demo/worker:1.4.2 to eu-west-1",
          '✗ us-west-2: secret demo/db-password (demo-usw2/api): has no replica in us-west-2; fix: replicate it to us-west-2 (aws secretsmanager replicate-secret-to-regions)',
        ],
      );
      assert.match(r.stdout, /✓ us-east-1: ready/);
      // One region asked for: only its findings.
      const one = await w.mr(['check', 'us-east-1']);
      assert.equal(one.code, 0, one.stdout);
    });
  });

  test('a health check detached from the target record: exit 1 naming the record and the check', async () => {
    const detach = (w: Raw) => {
      const rec = w.route53.zones[0].records.find((x: Raw) => x.name === 'api.demo.example.com.' && x.setIdentifier === 'usw2');
      delete rec.healthCheckId;
    };
    await inWorld(detach, async (w) => {
      const r = await w.mr(['check', 'us-west-2']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.deepEqual(
        findingLines(r.stdout).map((l) => l.trim()),
        [
          '✗ us-west-2: record api.demo.example.com. A usw2: has no health check attached (expected 6d0b1a8e-0000-4000-8000-00000000e003); fix: attach health check 6d0b1a8e-0000-4000-8000-00000000e003 to the record',
        ],
      );
    });
  });

  test('an engine version mismatch and a headless target: exit 1 naming the cluster', async () => {
    const skew = (w: Raw) => {
      const members = w.aurora.globalClusters[0].members as Raw[];
      members.find((m) => m.region === 'us-west-2')!.engineVersion = '16.2';
      members.find((m) => m.region === 'eu-west-1')!.instances = 0;
    };
    await inWorld(skew, async (w) => {
      const r = await w.mr(['check', 'eu-west-1']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const lines = findingLines(r.stdout).map((l) => l.trim());
      assert.deepEqual(lines, [
        '✗ eu-west-1: aurora cluster demo-euw1 (eu-west-1): is headless (no DB instance), so it cannot take the writer role; fix: add a DB instance to demo-euw1',
        '✗ eu-west-1: aurora cluster demo-usw2 (us-west-2): runs aurora-postgresql 16.2, the global cluster 16.4; fix: upgrade the members to one engine version (switchover and failover need the same major and minor version)',
      ]);
    });
  });

  test('a missing permission is not ready; a permission check that is itself denied is "could not check", never a pass', async () => {
    await inWorld(
      (w) => (w.iam = { allow: ['*'], deny: ['rds:SwitchoverGlobalCluster'] }),
      async (w) => {
        const r = await w.mr(['check', 'eu-west-1']);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const lines = findingLines(r.stdout).map((l) => l.trim());
        assert.equal(lines.length, 1, lines.join('\n'));
        assert.match(
          lines[0]!,
          /^✗ eu-west-1: permission rds:SwitchoverGlobalCluster: arn:aws:iam::123456789012:user\/sandbox-operator may not call it \(explicitly denied\) on arn:aws:rds::123456789012:global-cluster:demo-global, arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1, .*; fix: grant it/,
        );
      },
    );
    await inWorld(undefined, async (w) => {
      w.sandbox.control.addFault({ kind: 'error', service: 'iam', operation: 'SimulatePrincipalPolicy', code: 'AccessDenied', status: 403, count: 10 });
      const r = await w.mr(['--json', 'check', 'eu-west-1']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const doc = JSON.parse(r.stdout) as { ready: boolean; targets: { findings: { kind: string; resource: string; problem: string }[] }[] };
      assert.equal(doc.ready, false);
      assert.deepEqual(
        doc.targets[0]!.findings.map((f) => [f.kind, f.resource]),
        [['could-not-check', 'permissions of arn:aws:iam::123456789012:user/sandbox-operator']],
      );
      assert.match(doc.targets[0]!.findings[0]!.problem, /^could not check: /);
    });
  });

  test('bad input: an unknown region is exit 2 with one line', async () => {
    await inWorld(undefined, async (w) => {
      const r = await w.mr(['check', 'mars-east-1']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /region "mars-east-1" is not in the topology/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  });
});
