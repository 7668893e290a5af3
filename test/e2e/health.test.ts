import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { demoTopology } from '../helpers/paths.js';
import { withSandbox, type SandboxHandle } from '../helpers/sandbox.js';
import { runMr } from '../helpers/run-mr.js';

interface SnapHealthCheck {
  id: string;
  watches: string;
  config: {
    type: string;
    fqdn: string;
    port: number;
    resourcePath: string;
    requestInterval: number;
    failureThreshold: number;
    inverted: boolean;
    disabled: boolean;
  };
}

let sb: SandboxHandle;
const mr = (args: string[]) => runMr(['--endpoint-url', sb.endpoint, '--config', demoTopology, ...args]);

before(async () => {
  sb = await withSandbox();
});
after(() => sb.stop());
beforeEach(() => sb.control.reset());

describe('mr health', () => {
  test('every health check: its configuration as the sandbox has it, each checker, exit 0', async () => {
    const checks = (sb.control.snapshot().services.route53 as { healthChecks: SnapHealthCheck[] }).healthChecks;
    const res = await mr(['health']);
    assert.equal(res.code, 0, res.stderr);
    for (const hc of checks) {
      const c = hc.config;
      assert.match(res.stdout, new RegExp(`^${hc.watches} {2}health check ${hc.id} {2}healthy {2}8/8 checkers healthy$`, 'm'));
      assert.match(res.stdout, new RegExp(`^ {2}type ${c.type} {2}target ${c.fqdn.replace(/\./g, '\\.')}:${c.port}${c.resourcePath}$`, 'm'));
    }
    assert.match(res.stdout, /^ {2}interval 10s {2}failure threshold 3 {2}inverted no {2}disabled no/m);

    const doc = JSON.parse((await mr(['health', '--json'])).stdout);
    assert.equal(doc.healthy, true);
    assert.deepEqual(
      doc.healthChecks.map((h: { region: string }) => h.region),
      ['us-east-1', 'eu-west-1', 'us-west-2'],
    );
    for (const h of doc.healthChecks) {
      const want = checks.find((c) => c.watches === h.region)!;
      assert.equal(h.value.id, want.id);
      for (const key of ['type', 'fqdn', 'port', 'resourcePath', 'requestInterval', 'failureThreshold', 'inverted', 'disabled'] as const) {
        assert.equal(h.value.config[key], want.config[key], `${h.region} ${key}`);
      }
      assert.equal(h.value.checkers.length, 8);
      assert.ok(h.value.checkers.every((c: { healthy: boolean; status: string }) => c.healthy && c.status.startsWith('Success')));
    }
  });

  test("one region's check, failing: exit 1, failing checkers and the last failure reasons", async () => {
    sb.control.setFaults({ unhealthyApps: ['eu-west-1'] });
    sb.control.advance(120_000);
    const res = await mr(['health', 'eu-west-1']);
    assert.equal(res.code, 1, res.stderr);
    assert.doesNotMatch(res.stdout, /us-east-1 {2}health check/);
    assert.match(res.stdout, /^eu-west-1 {2}health check \S+ {2}FAILING {2}\d\/8 checkers healthy$/m);
    const failures = res.stdout.slice(res.stdout.indexOf('last failures'));
    assert.match(failures, /Failure: /);
    assert.doesNotMatch(failures, /\(none reported\)/);

    const doc = JSON.parse((await mr(['health', 'eu-west-1', '--json'])).stdout);
    assert.equal(doc.healthy, false);
    assert.equal(doc.healthChecks.length, 1);
    const hc = doc.healthChecks[0].value;
    assert.ok(hc.lastFailures.length > 0);
    assert.ok(hc.checkers.filter((c: { healthy: boolean }) => !c.healthy).length > 6);
    // Each failure reason is shown once, with how many checkers gave it (7 of 8 fail here).
    const reasons = failures.split('\n').flatMap((l) => /(Failure: .*?)\s+\d{4}-\d\d-\d\dT/.exec(l)?.[1] ?? []);
    assert.ok(reasons.length > 0, failures);
    assert.equal(new Set(reasons).size, reasons.length, `a reason repeated:\n${failures}`);
    assert.match(failures, /^ {2}\d checkers {2,}Failure: /m);
  });

  test('a region not in the topology is bad input (exit 2)', async () => {
    const res = await mr(['health', 'mars-1']);
    assert.equal(res.code, 2);
    assert.equal(res.stderr, 'error: region "mars-1" is not in the topology (us-east-1, eu-west-1, us-west-2)\n');
  });
});
