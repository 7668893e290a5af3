// The bundle keeps the registrations of only the modeled errors mr names (scripts/bundle.mjs,
// named-errors-only). Both kinds, end to end through bin/mr.js against the sandbox: a named one still
// arrives as its own class, an unnamed one as the service's base exception named by its wire code,
// message and all, and either is reported as one line without a stack.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distRoot } from '../helpers/paths.js';
import { openWorld } from './playbook-harness.js';

const bundleText = () =>
  readdirSync(join(distRoot, 'bundle'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(distRoot, 'bundle', f), 'utf8'))
    .join('\n');

type ClusterView = { ok: boolean; error?: string };

async function statusWithClusterError(code: string, status: number): Promise<{ exit: number | null; view: ClusterView; stderr: string }> {
  const w = await openWorld();
  try {
    w.sandbox.control.addFault({ kind: 'error', service: 'rds', operation: 'DescribeDBClusters', code, status, count: 100 });
    const r = await w.mr(['--json', 'status']);
    const doc = JSON.parse(r.stdout) as { aurora: { clusters: Record<string, ClusterView> } };
    return { exit: r.code, view: doc.aurora.clusters['eu-west-1']!, stderr: r.stderr };
  } finally {
    await w.close();
  }
}

describe('modeled errors in the bundle', () => {
  test('the bundle registers an error mr names (DBClusterNotFoundFault) and leaves out one it does not (StorageQuotaExceededFault)', () => {
    const text = bundleText();
    assert.match(text, /registerError\(DBClusterNotFoundFault\$,\s*DBClusterNotFoundFault\)/);
    assert.doesNotMatch(text, /registerError\(StorageQuotaExceededFault\$/);
  });

  test('a named error arrives under its shape name', async () => {
    const r = await statusWithClusterError('DBClusterNotFoundFault', 404);
    assert.equal(r.exit, 1, r.stderr);
    assert.equal(r.view.ok, false);
    assert.match(r.view.error!, /DBClusterNotFoundFault/);
  });

  test('an error left out arrives under its wire code with its message, as one line', async () => {
    const r = await statusWithClusterError('StorageQuotaExceeded', 400);
    assert.equal(r.exit, 1, r.stderr);
    assert.equal(r.view.ok, false);
    assert.match(r.view.error!, /StorageQuotaExceeded/);
    assert.doesNotMatch(r.view.error!, /\n/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
