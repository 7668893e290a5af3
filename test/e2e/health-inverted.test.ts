// Inverted health checks (issue 10 item 1): the checkers report the raw result, Route 53 applies
// Inverted to its verdict (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-invert.html).
// mr status, mr health and the shift gate must agree with Route 53; and so must a client nobody here
// wrote: Debian's AWS CLI v2 at /usr/bin/aws, against `mr sandbox serve`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Route53Client, UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { sdkConfig } from '../helpers/sandbox.js';
import { demoTopology } from '../helpers/paths.js';
import { awsCliEnv, awsCliSkip, awsRoute53, serveSandbox } from '../helpers/aws-cli.js';
import { runMr } from '../helpers/run-mr.js';
import { inWorld, mr, mutating } from './steps-helpers.js';

const HC_EUW1 = '6d0b1a8e-0000-4000-8000-00000000e002';

interface HealthView {
  healthy: boolean;
  healthyCheckers: number;
  checkers: { healthy: boolean }[];
  verdict: { basis: string; inverted: boolean; rawHealthy: boolean };
}
const euw1 = (doc: { route53: { healthChecks: Record<string, { value: HealthView }> } }) => doc.route53.healthChecks['eu-west-1'].value;

describe('inverted health checks', () => {
  test('an inverted check on an answering endpoint: raw observations all success, every verdict unhealthy, the shift gate refuses', () =>
    inWorld(async (w) => {
      const r53 = new Route53Client(sdkConfig(w.sb.endpoint, 'us-east-1'));
      await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: HC_EUW1, Inverted: true }));
      r53.destroy();

      const status = await mr(w, ['status', '--json']);
      const st = euw1(JSON.parse(status.stdout));
      assert.equal(st.healthyCheckers, 8, 'the checkers report the raw result: the endpoint answers');
      assert.equal(st.healthy, false, 'Route 53 considers an inverted check unhealthy when its checkers say healthy');
      assert.notEqual(status.code, 0);

      const health = await mr(w, ['health', 'eu-west-1', '--json']);
      const hv = JSON.parse(health.stdout).healthChecks[0].value as HealthView;
      assert.deepEqual([hv.healthy, hv.verdict.rawHealthy, hv.verdict.inverted, hv.verdict.basis], [false, true, true, 'observed']);
      assert.ok(hv.checkers.every((c) => c.healthy));
      const text = await mr(w, ['health', 'eu-west-1']);
      assert.match(text.stdout, /^ {2}verdict {2}unhealthy: 8 of 8 checkers report success; inverted, so Route 53 considers it unhealthy$/m);

      const before = mutating(w).length;
      const shift = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes']);
      assert.equal(shift.code, 3, shift.stderr);
      assert.match(shift.stdout + shift.stderr, /eu-west-1 health check \S+: 8 of 8 checkers report success; inverted, so Route 53 considers it unhealthy/);
      assert.equal(mutating(w).length, before, 'no record change, no lock: nothing mutated');
    }));

  test('an inverted check on an endpoint that is down: Route 53 calls it healthy, and so do mr status and the gate', () =>
    inWorld(async (w) => {
      w.sb.control.setFaults({ unhealthyApps: ['eu-west-1'] });
      w.sb.control.advance(60_000);
      const r53 = new Route53Client(sdkConfig(w.sb.endpoint, 'us-east-1'));
      await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: HC_EUW1, Inverted: true }));
      r53.destroy();
      const st = euw1(JSON.parse((await mr(w, ['status', '--json'])).stdout));
      assert.equal(st.healthyCheckers, 1, 'raw: 7 of 8 checkers see the failure');
      assert.equal(st.healthy, true);
      const shift = await mr(w, ['traffic', 'shift', '--to', 'eu-west-1', '--yes', '--dry-run']);
      assert.equal(shift.code, 0, shift.stderr);
    }));
});

describe('Debian AWS CLI v2 against mr sandbox serve', () => {
  test(
    'after aws route53 update-health-check --inverted, aws get-health-check-status and mr status --json agree the region is unhealthy',
    { skip: awsCliSkip },
    async () => {
      const state = mkdtempSync(join(tmpdir(), 'mr-awscli-'));
      const served = await serveSandbox([], awsCliEnv(state));
      try {
        const endpoint = served.endpoint;
        const aws = awsRoute53(endpoint, awsCliEnv(state));
        await aws('update-health-check', '--health-check-id', HC_EUW1, '--inverted');
        const cfg = (await aws('get-health-check', '--health-check-id', HC_EUW1)).HealthCheck.HealthCheckConfig;
        const obs = (await aws('get-health-check-status', '--health-check-id', HC_EUW1)).HealthCheckObservations as { StatusReport: { Status: string } }[];
        // Route 53's rule, applied to what the AWS CLI shows: > 18% of checkers report success, then Inverted flips.
        const rawHealthy = obs.filter((o) => o.StatusReport.Status.startsWith('Success')).length / obs.length > 0.18;
        assert.equal(cfg.Inverted, true);
        assert.equal(rawHealthy, true, 'the observations are raw: the endpoint answers');
        const awsSaysHealthy = cfg.Inverted ? !rawHealthy : rawHealthy;

        const res = await runMr(['--endpoint-url', endpoint, '--config', demoTopology, 'status', '--json'], { env: { XDG_STATE_HOME: state } });
        const mrSaysHealthy = euw1(JSON.parse(res.stdout)).healthy;
        assert.deepEqual({ aws: awsSaysHealthy, mr: mrSaysHealthy }, { aws: false, mr: false });
      } finally {
        await served.stop();
      }
    },
  );
});
