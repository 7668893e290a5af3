// aurora.switchover and aurora.failover verify that the global writer endpoint names the new writer, resolving
// it with node:dns against the sandbox's DNS responder (found through the control endpoint): verified when it
// does, verified with a warning naming both names when it never does (dns-lag), nothing resolved (and the
// plan says so) when the global cluster has no global writer endpoint.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stepImpls } from '../../src/steps/index.js';
import type { StepKind } from '../../src/engine/types.js';
import type { StartSandboxOptions } from '../../src/sandbox/server.js';
import { harness, recorder, type Harness } from './steps-harness.js';

const GLOBAL = 'demo-global.global-c0ffee.global.rds.amazonaws.com';
const USE1 = 'demo-use1.cluster-c0ffee.us-east-1.rds.amazonaws.com';
const EUW1 = 'demo-euw1.cluster-c0ffee.eu-west-1.rds.amazonaws.com';

async function within(opts: StartSandboxOptions, fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await harness(opts);
  try {
    await fn(h);
  } finally {
    await h.stop();
  }
}

async function run(h: Harness, kind: StepKind, params: Record<string, unknown>) {
  const impl = stepImpls[kind];
  const step = await impl.plan('db', params, h.plan);
  assert.deepEqual(
    step.checks.filter((c) => !c.passed).map((c) => c.message),
    [],
  );
  const rec = recorder(h.plan);
  await impl.apply(step, rec.ctx);
  await impl.verify(step, rec.ctx);
  return { step, rec };
}

describe('the global writer endpoint after the data cut', () => {
  test('switchover: the plan says what verify checks; verify waits until the name follows the new writer, no warning', async () => {
    await within({}, async (h) => {
      const { step, rec } = await run(h, 'aurora.switchover', { target: 'eu-west-1' });
      const check = step.checks.find((c) => c.name === 'global writer endpoint');
      assert.match(check?.message ?? '', new RegExp(`verify resolves ${GLOBAL.replace(/\./g, '\\.')} until it names ${EUW1.replace(/\./g, '\\.')}`));
      assert.equal(step.data.writerEndpoint, GLOBAL);
      assert.deepEqual(rec.warnings, []);
      assert.deepEqual(rec.notes, [
        `the global writer endpoint ${GLOBAL} names the new writer ${EUW1} (resolved with the DNS server at 127.0.0.1:${h.sandbox.dns.port})`,
      ]);
      assert.ok(
        rec.waits.some((w) => w.what === `the global writer endpoint ${GLOBAL} to name ${EUW1}`),
        rec.waits.map((w) => w.what).join('\n'),
      );
      assert.deepEqual((await h.aws.dns!().resolveCname(GLOBAL)).names, [EUW1]);
    });
  });

  test('failover with dns-lag: the data moves, verify ends with a warning naming the old and the new writer', async () => {
    await within({}, async (h) => {
      h.topology.timeouts.writerEndpointMs = 1000;
      h.sandbox.control.addFault({ kind: 'dns-lag', ms: 24 * 3600_000 });
      const started = Date.now();
      const { rec } = await run(h, 'aurora.failover', { target: 'eu-west-1' });
      const gc = (h.sandbox.control.snapshot().services.aurora as { globalClusters: { writer: string }[] }).globalClusters[0];
      assert.equal(gc.writer, 'demo-euw1', 'the failover itself succeeded');
      assert.equal(rec.warnings.length, 1);
      assert.deepEqual(rec.notes, []);
      assert.match(rec.warnings[0], new RegExp(`${GLOBAL} still names ${USE1}, not the new writer ${EUW1}, 1s after the switch`));
      assert.match(rec.warnings[0], /resolved with the DNS server at 127\.0\.0\.1:\d+/);
      assert.ok(Date.now() - started >= 1000, 'it waited the bound before warning');
    });
  });

  test('no global writer endpoint: the plan says so, verify resolves nothing', async () => {
    await within({ worldOverrides: (w) => void ((w.aurora!.globalClusters[0] as Record<string, unknown>).writerEndpoint = false) }, async (h) => {
      const { step, rec } = await run(h, 'aurora.switchover', { target: 'eu-west-1' });
      assert.equal(
        step.checks.find((c) => c.name === 'global writer endpoint')?.message,
        'demo-global has no global writer endpoint: nothing to resolve after the switch',
      );
      assert.equal(step.data.writerEndpoint, undefined);
      assert.deepEqual(rec.warnings, []);
      assert.deepEqual(rec.notes, []);
      assert.deepEqual(
        rec.waits.map((w) => w.what),
        ['Aurora demo-global to have its writer in eu-west-1 and be available'],
      );
    });
  });
});
