import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { demoTopology } from '../helpers/paths.js';
import { parseTopology } from '../../src/config/load.js';
import { judge, isHealthy, servingRegions } from '../../src/inspect/judge.js';
import { healthVerdict } from '../../src/inspect/verdict.js';
import { failoverTargets, holderOfEveryRole } from '../../src/inspect/roles.js';
import type { ObservedState, HealthCheckView, Observed } from '../../src/inspect/types.js';
import type { HealthCheckObservation } from '../../src/aws/types.js';

const topology = parseTopology(readFileSync(demoTopology, 'utf8'), 'demo.yaml');
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'];
const SHORT: Record<string, string> = { 'us-east-1': 'use1', 'eu-west-1': 'euw1', 'us-west-2': 'usw2' };
const CHECKERS = ['ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2', 'eu-west-1', 'sa-east-1', 'us-east-1', 'us-west-1', 'us-west-2'];
const ok = <T>(value: T): Observed<T> => ({ ok: true, value });
const down = (error = 'ECONNRESET: socket hang up'): Observed<never> => ({ ok: false, error, unreachable: true });

function checkers(healthy: number, failure = 'Failure: Connection timed out.'): HealthCheckObservation[] {
  return CHECKERS.map((r, i) => ({ checkerRegion: r, status: i < healthy ? 'Success: HTTP Status Code 200, OK' : failure, healthy: i < healthy }));
}

function hc(region: string, healthy = 8, extra: Partial<HealthCheckView['config']> = {}): HealthCheckView {
  const config = { type: 'HTTPS', fqdn: `api-${SHORT[region]}.demo.example.com`, port: 443, inverted: false, disabled: false, ...extra };
  const list = checkers(healthy);
  return { id: `hc-${region}`, config, checkers: list, lastFailures: [], healthyCheckers: healthy, healthy: healthVerdict(config, list) };
}

/** The demo world as gather would see it when all is well: us-east-1 serves and writes. */
function healthyState(): ObservedState {
  const arn = (r: string) => `arn:aws:rds:${r}:123456789012:cluster:demo-${SHORT[r]}`;
  return {
    version: 1,
    topology: 'demo',
    observedAt: '2030-01-01T00:00:00.000Z',
    regions: [...REGIONS],
    unreachable: {},
    route53: {
      hostedZoneId: 'Z0MRDEMO0000001',
      records: ['api.demo.example.com.', 'app.demo.example.com.'].map((name, i) => {
        const type = i === 0 ? 'A' : 'CNAME';
        return {
          name,
          type,
          ...ok({ name, type, sets: REGIONS.map((r) => ({ region: r, setIdentifier: SHORT[r], found: true, weight: r === 'us-east-1' ? 100 : 0 })) }),
        };
      }),
      healthChecks: Object.fromEntries(REGIONS.map((r) => [r, ok(hc(r))])),
    },
    aurora: {
      globalClusterId: 'demo-global',
      maxLagMs: 1000,
      global: ok({
        id: 'demo-global',
        arn: 'arn:aws:rds::123456789012:global-cluster:demo-global',
        status: 'available',
        readIn: 'us-east-1',
        members: REGIONS.map((r) => ({
          clusterArn: arn(r),
          clusterId: `demo-${SHORT[r]}`,
          region: r,
          isWriter: r === 'us-east-1',
          syncStatus: 'connected',
          readers: [],
        })),
      }),
      clusters: Object.fromEntries(REGIONS.map((r) => [r, ok({ id: `demo-${SHORT[r]}`, arn: arn(r), region: r, status: 'available' })])),
      lagMs: { 'us-east-1': ok(null), 'eu-west-1': ok(80), 'us-west-2': ok(120) },
    },
    elasticache: {
      globalReplicationGroupId: 'ldgnf-demo-sessions',
      datastore: ok({
        id: 'ldgnf-demo-sessions',
        status: 'available',
        readIn: 'us-east-1',
        members: REGIONS.map((r) => ({
          replicationGroupId: `demo-sessions-${SHORT[r]}`,
          region: r,
          role: r === 'us-east-1' ? 'PRIMARY' : 'SECONDARY',
          status: 'associated',
        })),
      }),
      replicationGroups: Object.fromEntries(REGIONS.map((r) => [r, ok({ id: `demo-sessions-${SHORT[r]}`, status: 'available' })])),
    },
    ecs: Object.fromEntries(
      REGIONS.map((r) => {
        const d = r === 'us-east-1' ? [6, 4] : [2, 1];
        const services = ['api', 'worker'].map((name, i) => ({
          cluster: `demo-${SHORT[r]}`,
          name,
          status: 'ACTIVE',
          desired: d[i],
          running: d[i],
          pending: 0,
          deployments: 1,
          capacity: i === 0 ? 6 : 4,
        }));
        return [r, ok({ cluster: `demo-${SHORT[r]}`, services })];
      }),
    ),
  };
}

const messages = (s: ObservedState) => judge(s, topology).map((f) => `${f.severity}: ${f.message}`);

describe('judge', () => {
  test('a healthy world has no findings', () => {
    const findings = judge(healthyState(), topology);
    assert.deepEqual(findings, []);
    assert.equal(isHealthy(findings), true);
    assert.deepEqual([...servingRegions(healthyState())], ['us-east-1']);
  });

  test('a failing health check names the region, the checker count and the reason; critical where traffic goes', () => {
    const s = healthyState();
    s.route53!.healthChecks['eu-west-1'] = ok(hc('eu-west-1', 1));
    s.route53!.healthChecks['us-east-1'] = ok(hc('us-east-1', 0));
    assert.deepEqual(messages(s), [
      'critical: us-east-1: health check failing, 0/8 checkers healthy: Failure: Connection timed out.',
      'warning: eu-west-1: health check failing, 1/8 checkers healthy: Failure: Connection timed out.',
    ]);
  });

  test('Route 53 rules: 2/8 healthy is healthy (> 18%), disabled counts as healthy, inverted flips', () => {
    assert.equal(hc('us-east-1', 2).healthy, true);
    assert.equal(hc('us-east-1', 1).healthy, false);
    assert.equal(hc('us-east-1', 0, { disabled: true }).healthy, true);
    assert.equal(hc('us-east-1', 8, { inverted: true }).healthy, false);
    assert.equal(healthVerdict({ inverted: false, disabled: false }, []), true);
    const s = healthyState();
    s.route53!.healthChecks['us-west-2'] = ok(hc('us-west-2', 2));
    s.route53!.healthChecks['eu-west-1'] = ok(hc('eu-west-1', 0, { disabled: true }));
    assert.deepEqual(messages(s), [
      'warning: eu-west-1: health check hc-eu-west-1 is disabled, so Route 53 treats it as healthy whatever the endpoint does',
      'info: us-west-2: 6/8 health checkers report failure: Failure: Connection timed out.',
    ]);
  });

  test('a lagging secondary and a member out of sync', () => {
    const s = healthyState();
    s.aurora!.lagMs['us-west-2'] = ok(2400);
    const g = s.aurora!.global;
    assert.ok(g.ok);
    g.value.members[1].syncStatus = 'pending-resync';
    assert.deepEqual(messages(s), [
      'warning: eu-west-1: aurora demo-euw1 is rebuilding (pending-resync), not in sync: not a failover or switchover target until it is',
      'warning: us-west-2: aurora replication lag 2400 ms is above the bound 1000 ms',
    ]);
    assert.equal(isHealthy(judge(s, topology)), false);
  });

  test('a lag at the bound is fine; a missing datapoint is only info', () => {
    const s = healthyState();
    s.aurora!.lagMs['eu-west-1'] = ok(1000);
    s.aurora!.lagMs['us-west-2'] = ok(null);
    assert.deepEqual(messages(s), ['info: us-west-2: no aurora replication lag datapoint for demo-usw2']);
    assert.equal(isHealthy(judge(s, topology)), true);
  });

  test('a switchover in progress names both regions', () => {
    const s = healthyState();
    const g = s.aurora!.global;
    assert.ok(g.ok);
    g.value.status = 'switching-over';
    g.value.failover = { status: 'switching-over', fromArn: g.value.members[0].clusterArn, toArn: g.value.members[1].clusterArn, dataLossAllowed: false };
    assert.deepEqual(messages(s), ['warning: aurora demo-global: switchover in progress from us-east-1 to eu-west-1 (switching-over)']);
  });

  test('a region down: one critical finding, and no noise from its unreadable resources', () => {
    const s = healthyState();
    const reason = 'ecs: ECONNRESET: socket hang up';
    s.unreachable['us-west-2'] = reason;
    s.ecs!['us-west-2'] = down();
    s.aurora!.clusters['us-west-2'] = down();
    s.aurora!.lagMs['us-west-2'] = down();
    s.elasticache!.replicationGroups['us-west-2'] = down();
    assert.deepEqual(messages(s), [`critical: us-west-2: unreachable: ${reason}`]);
  });

  test('Route 53 control plane unreachable is one finding that points to health-check failover', () => {
    const s = healthyState();
    s.route53!.records = s.route53!.records.map((r) => ({ name: r.name, type: r.type, ...down('TimeoutError: no answer within 3s') }));
    s.route53!.healthChecks['us-east-1'] = down('TimeoutError: no answer within 3s');
    assert.deepEqual(messages(s), [
      'critical: route 53 control plane (us-east-1) unreachable: TimeoutError: no answer within 3s; weights cannot change, health-check-driven failover still works',
    ]);
  });

  test('nothing answered anywhere: one finding naming the endpoint; one error code everywhere: one finding about credentials', () => {
    const everythingDown = (error: string, unreachable: boolean) => {
      const s = healthyState();
      const bad = (): Observed<never> => ({ ok: false, error, unreachable });
      s.route53!.records = s.route53!.records.map((r) => ({ name: r.name, type: r.type, ...bad() }));
      for (const r of REGIONS) {
        s.route53!.healthChecks[r] = bad();
        s.ecs![r] = bad();
        s.aurora!.clusters[r] = bad();
        s.aurora!.lagMs[r] = bad();
        s.elasticache!.replicationGroups[r] = bad();
      }
      s.aurora!.global = { ok: false, error: `no region answered (us-east-1: ${error})`, unreachable };
      s.elasticache!.datastore = { ok: false, error: `no region answered (us-east-1: ${error})`, unreachable };
      return s;
    };
    assert.deepEqual(
      judge(everythingDown('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1', true), topology, { endpoint: 'http://127.0.0.1:1' }).map(
        (f) => `${f.severity}: ${f.message}`,
      ),
      ['critical: nothing answered at http://127.0.0.1:1: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1; check the network, VPN, proxy and --endpoint-url'],
    );
    const creds = judge(everythingDown('CredentialsProviderError: Could not load credentials from any providers', false), topology);
    assert.equal(creds.length, 1);
    assert.match(creds[0]!.message, /^every call failed the same way in any region: CredentialsProviderError: .*check the credentials/);
    // One region answering is not "nothing answered": the usual findings.
    const partly = everythingDown('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1', true);
    partly.ecs!['us-east-1'] = healthyState().ecs!['us-east-1']!;
    assert.ok(judge(partly, topology).length > 1);
  });

  test('every weight zero, a missing weighted record', () => {
    const s = healthyState();
    const api = s.route53!.records[0];
    assert.ok(api.ok);
    api.value.sets[0].weight = 0;
    const app = s.route53!.records[1];
    assert.ok(app.ok);
    app.value.sets[2] = { region: 'us-west-2', setIdentifier: 'usw2', found: false };
    assert.deepEqual(messages(s), [
      'critical: api.demo.example.com. A: every weight is 0, so Route 53 answers with all records alike',
      'warning: us-west-2: app.demo.example.com. CNAME has no record with set identifier "usw2"',
    ]);
  });

  test('the datastore not available, a member not associated, no primary', () => {
    const s = healthyState();
    const d = s.elasticache!.datastore;
    assert.ok(d.ok);
    d.value.status = 'modifying';
    d.value.members[0].role = 'SECONDARY';
    d.value.members[2].status = 'associating';
    assert.deepEqual(messages(s), [
      'critical: global datastore ldgnf-demo-sessions has no primary',
      'warning: global datastore ldgnf-demo-sessions is modifying, not available',
      'warning: us-west-2: global datastore member demo-sessions-usw2 is associating',
    ]);
  });

  test('ECS: fewer running than desired, a missing service, a serving region below capacity', () => {
    const s = healthyState();
    const w = s.ecs!['us-west-2'];
    assert.ok(w.ok);
    w.value.services[0] = { ...w.value.services[0], running: 1, pending: 1 };
    w.value.services[1] = { ...w.value.services[1], status: 'MISSING' };
    const e = s.ecs!['us-east-1'];
    assert.ok(e.ok);
    e.value.services[1] = { ...e.value.services[1], desired: 2, running: 2 };
    assert.deepEqual(messages(s), [
      'critical: us-west-2: ecs demo-usw2/worker does not exist',
      'warning: us-east-1: ecs demo-use1/worker: desired 2 is below its capacity 4 while the region takes traffic',
      'warning: us-west-2: ecs demo-usw2/api: running 1 of 2 desired (1 pending)',
    ]);
  });

  test('the global cluster unreadable in every region is critical; traffic away from the writer is critical (issue 11 item 3: was info)', () => {
    const s = healthyState();
    s.aurora!.global = { ok: false, error: 'no region answered (us-east-1: ECONNRESET)', unreachable: true };
    assert.deepEqual(messages(s), ['critical: aurora demo-global: cannot read the global cluster: no region answered (us-east-1: ECONNRESET)']);
    const t = healthyState();
    for (const rec of t.route53!.records) if (rec.ok) rec.value.sets.forEach((x) => (x.weight = x.region === 'eu-west-1' ? 100 : 0));
    assert.deepEqual(messages(t), [
      'critical: traffic goes to eu-west-1, whose data tier is read-only there: the aurora writer is in us-east-1',
      'warning: eu-west-1: ecs demo-euw1/api: desired 2 is below its capacity 6 while the region takes traffic',
      'warning: eu-west-1: ecs demo-euw1/worker: desired 1 is below its capacity 4 while the region takes traffic',
    ]);
  });

  test('a half-moved system (issue 11 item 3): writer and cache primary in eu-west-1, all traffic on us-east-1 is critical; writer and cache apart is a warning', () => {
    const s = healthyState();
    const g = s.aurora!.global;
    if (g.ok) g.value.members.forEach((m) => (m.isWriter = m.region === 'eu-west-1'));
    const d = s.elasticache!.datastore;
    if (d.ok) d.value.members.forEach((m) => (m.role = m.region === 'eu-west-1' ? 'PRIMARY' : 'SECONDARY'));
    s.aurora!.lagMs = { 'us-east-1': ok(80), 'eu-west-1': ok(null), 'us-west-2': ok(120) };
    assert.deepEqual(messages(s), ['critical: traffic goes to us-east-1, whose data tier is read-only there: the aurora writer is in eu-west-1']);
    assert.equal(isHealthy(judge(s, topology)), false);
    // Only the cache moved: traffic and writer together, the cache primary elsewhere.
    const c = healthyState();
    const cd = c.elasticache!.datastore;
    if (cd.ok) cd.value.members.forEach((m) => (m.role = m.region === 'eu-west-1' ? 'PRIMARY' : 'SECONDARY'));
    assert.deepEqual(messages(c), ['warning: split: the aurora writer is in us-east-1 but the datastore primary is in eu-west-1; traffic goes to us-east-1']);
  });
});

describe('failover targets (issue 11 item 2)', () => {
  test('the current primary is marked and disabled; the default is the healthiest standby', () => {
    const s = healthyState();
    const { choices, default: first } = failoverTargets(s);
    assert.deepEqual(
      choices.map((c) => [c.region, c.disabled]),
      [
        ['us-east-1', 'current'],
        ['eu-west-1', undefined],
        ['us-west-2', undefined],
      ],
    );
    assert.equal(choices[0].note, 'healthy (8/8 checkers), Aurora writer, cache primary, serving traffic');
    assert.equal(first, 'eu-west-1');
    // eu-west-1 less healthy than us-west-2: us-west-2 is the default.
    s.route53!.healthChecks['eu-west-1'] = ok(hc('eu-west-1', 5));
    assert.equal(failoverTargets(s).default, 'us-west-2');
  });

  test('unreachable and rebuilding regions are shown but disabled; the current primary even when down', () => {
    const s = healthyState();
    s.unreachable['us-east-1'] = 'ecs: ECONNRESET';
    s.unreachable['us-west-2'] = 'ecs: ECONNRESET';
    const g = s.aurora!.global;
    if (g.ok) g.value.members.find((m) => m.region === 'eu-west-1')!.syncStatus = 'pending-resync';
    const { choices, default: first } = failoverTargets(s);
    assert.deepEqual(
      choices.map((c) => [c.region, c.disabled]),
      [
        ['us-east-1', 'current'],
        ['eu-west-1', 'rebuilding'],
        ['us-west-2', 'unreachable'],
      ],
    );
    assert.match(choices[1].note, /rebuilding \(Aurora pending-resync\)/);
    assert.match(choices[2].note, /^UNREACHABLE \(ecs: ECONNRESET\)/);
    assert.equal(first, undefined);
  });

  test('holderOfEveryRole: the region with writer, cache primary and all the traffic; none when split or unread', () => {
    assert.equal(holderOfEveryRole(healthyState()), 'us-east-1');
    const s = healthyState();
    const g = s.aurora!.global;
    if (g.ok) g.value.members.forEach((m) => (m.isWriter = m.region === 'eu-west-1'));
    assert.equal(holderOfEveryRole(s), undefined);
    const u = healthyState();
    u.elasticache!.datastore = down();
    assert.equal(holderOfEveryRole(u), undefined);
  });
});
