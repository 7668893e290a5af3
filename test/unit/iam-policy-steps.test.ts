// `mr iam-policy` against what the step kinds can send: every mutating operation a step kind's code can
// call (read from the source: the adapter methods that go through the choke point with `operation: 'X'`,
// and the step files, with the helpers they import, that call them) has its IAM action in the failover
// policy printed for each bundled topology that uses the kind. The operations come from the code and the
// actions from the operation -> action map (iam-actions.ts), so a new mutation or step kind is covered
// without editing this file, and a policy that leaves an action out fails here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseTopology } from '../../src/config/load.js';
import { healthRoutedRecords } from '../../src/config/records.js';
import type { Topology } from '../../src/config/schema.js';
import { OPERATION_ACTIONS, TAG_ON_CREATE_ACTIONS } from '../../src/readiness/iam-actions.js';
import { policyDocument } from '../../src/readiness/policy.js';
import { stepKinds } from '../../src/steps/index.js';
import { clusterOnlyTopology } from '../e2e/custom-world.js';
import { distRoot, repoRoot } from '../helpers/paths.js';

const src = (dir: string) => join(repoRoot, 'src', dir);
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return']);

/** Adapter method -> the operations it sends through the choke point (src/aws/*.ts). */
function mutatingMethods(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of readdirSync(src('aws')).filter((f) => f.endsWith('.ts'))) {
    let method: string | undefined;
    for (const line of readFileSync(join(src('aws'), file), 'utf8').split('\n')) {
      const def = /^\s+(?:async\s+)?([a-z]\w*)\s*\([^)]*\)(?:\s*:\s*[^{]+)?\s*\{\s*$/.exec(line);
      if (def && !KEYWORDS.has(def[1])) method = def[1];
      const op = /operation: '(\w+)'/.exec(line);
      if (op && method && !/^(AddFault|ClearFault)$/.test(op[1])) out.set(method, [...new Set([...(out.get(method) ?? []), op[1]])]);
    }
  }
  return out;
}

/** The local modules a step file imports, transitively (the helpers that may make its calls). */
function withImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)\.js'/g)) {
    const next = join(dirname(file), `${m[1]}.ts`);
    if (next.startsWith(src('steps')) && !/\/(contract|index)\.ts$/.test(next)) withImports(next, seen);
  }
  return seen;
}

/** Step kind -> the mutating operations ("service Operation", as in OPERATION_ACTIONS) its code can send. */
function stepOperations(): Map<string, Set<string>> {
  const methods = mutatingMethods();
  const serviceOf = (op: string) => Object.keys(OPERATION_ACTIONS).find((k) => k.endsWith(` ${op}`));
  const out = new Map<string, Set<string>>();
  for (const file of readdirSync(src('steps')).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(src('steps'), file), 'utf8');
    const def = /defineStep\(\{\s*kind: (?:'([^']+)'|KIND)/.exec(text);
    if (!def) continue;
    const kind = def[1] ?? /const KIND = '([^']+)'/.exec(text)?.[1];
    assert.ok(kind, `${file}: its kind`);
    const ops = new Set<string>();
    for (const f of withImports(join(src('steps'), file)))
      for (const call of readFileSync(f, 'utf8').matchAll(/\.([a-z]\w*)\(/g))
        for (const op of methods.get(call[1]) ?? []) {
          const key = serviceOf(op);
          assert.ok(key, `${op} (adapter method ${call[1]}, called in ${f}) has no IAM action in OPERATION_ACTIONS`);
          ops.add(key);
        }
    out.set(kind, ops);
  }
  return out;
}

/** Whether a topology has what the kind acts on (its name's prefix names the section). */
function uses(kind: string, t: Topology): boolean {
  if (kind.startsWith('aurora.')) return !!t.aurora;
  if (kind.startsWith('rds.'))
    return kind.endsWith('-cluster') ? Object.keys(t.rds?.clusters ?? {}).length > 0 : Object.keys(t.rds?.instances ?? {}).length > 0;
  if (kind.startsWith('redis.')) return !!t.elasticache;
  if (kind.startsWith('ecs.')) return !!t.ecs;
  // The drain and restore invert health checks only for health-routed records; weighted ones they shift.
  if (kind === 'route53.drain' || kind === 'route53.restore') return healthRoutedRecords(t).length > 0;
  if (kind.startsWith('route53.')) return !!t.route53;
  return false;
}

const bundled = (name: string) => readFileSync(join(distRoot, 'src/sandbox/worlds', name, 'topology.yaml'), 'utf8');
const TOPOLOGIES: Record<string, string> = {
  demo: bundled('demo'),
  latency: bundled('latency'),
  'active-passive': bundled('active-passive'),
  'active-passive, read replica clusters only': clusterOnlyTopology(bundled('active-passive')),
};

describe('mr iam-policy covers what each step kind can send', () => {
  const byKind = stepOperations();

  test('the source scan found every registered step kind, and the mutations the failovers rely on', () => {
    assert.deepEqual([...byKind.keys()].sort(), [...stepKinds].sort());
    const all = new Set([...byKind.values()].flatMap((s) => [...s]));
    for (const op of [
      'rds CreateDBCluster',
      'rds CreateDBInstance',
      'rds PromoteReadReplicaDBCluster',
      'ecs UpdateService',
      'route53 ChangeResourceRecordSets',
    ])
      assert.ok(all.has(op), op);
    assert.deepEqual([...byKind.get('rds.create-replica-cluster')!].sort(), ['rds CreateDBCluster', 'rds CreateDBInstance']);
  });

  for (const [name, text] of Object.entries(TOPOLOGIES)) {
    test(`${name}: every action a used step kind needs is in the failover policy`, () => {
      const topology = parseTopology(text, name);
      const doc = policyDocument({ topology, account: '123456789012', scalableTargets: true }, 'failover');
      const granted = new Set(doc.Statement.filter((s) => s.Resource.length > 0).flatMap((s) => s.Action));
      const missing: string[] = [];
      let checked = 0;
      for (const [kind, ops] of byKind) {
        if (!uses(kind, topology)) continue;
        for (const op of ops) {
          checked++;
          for (const action of [OPERATION_ACTIONS[op], TAG_ON_CREATE_ACTIONS[op]])
            if (action && !granted.has(action)) missing.push(`${kind}: ${op} needs ${action}`);
        }
      }
      assert.ok(checked > 0, `${name} uses no step kind that mutates`);
      assert.deepEqual(missing, []);
    });
  }

  test('the cluster return trip: CreateDBCluster and CreateDBInstance on what rds.create-replica-cluster builds, nothing wider', () => {
    const topology = parseTopology(TOPOLOGIES['active-passive, read replica clusters only'], 'clusters');
    const doc = policyDocument({ topology, account: '123456789012' }, 'failover');
    const on = (action: string) => doc.Statement.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);
    const arn = (region: string, type: string, id: string) => `arn:aws:rds:${region}:123456789012:${type}:${id}`;
    // The rebuilt replica cluster in us-east-1 and its source in eu-west-1 (failback-cluster's first step).
    assert.ok(on('rds:CreateDBCluster').includes(arn('us-east-1', 'cluster', 'orders-use1-r')));
    assert.ok(on('rds:CreateDBCluster').includes(arn('eu-west-1', 'cluster', 'orders-euw1')));
    assert.ok(on('rds:AddTagsToResource').includes(arn('us-east-1', 'cluster', 'orders-use1-r')));
    assert.ok(on('rds:CreateDBInstance').includes(arn('us-east-1', 'db', 'orders-use1-r-instance-1')));
    assert.ok(on('rds:CreateDBInstance').includes(arn('us-east-1', 'cluster', 'orders-use1-r')));
    for (const action of ['rds:CreateDBCluster', 'rds:CreateDBInstance']) assert.ok(!on(action).some((r) => r.includes('*')), `${action} is scoped`);
  });
});
