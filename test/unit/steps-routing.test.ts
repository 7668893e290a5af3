// route53.drain / route53.restore / route53.point planning from given states: which check is inverted
// (control or own), the safety refusals (last healthy region, unhealthy SECONDARY, minServingRegions),
// the application gate of a restore, records of other policies left alone, and the CNAME a point moves.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HealthCheckInfo, HealthCheckObservation, RecordSet } from '../../src/aws/types.js';
import { topologySchema, type Topology } from '../../src/config/schema.js';
import type { PlannedStep } from '../../src/engine/types.js';
import { stepImpls } from '../../src/steps/index.js';
import { fakeAws } from '../helpers/fake-aws.js';

const ZONE = 'Z1';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
const short: Record<string, string> = { 'us-east-1': 'use1', 'eu-west-1': 'euw1', 'ap-southeast-1': 'apse1' };

function latencyTopology(extra: Record<string, unknown> = {}): Topology {
  return topologySchema.parse({
    version: 1,
    name: 't',
    regions: REGIONS,
    route53: {
      hostedZoneId: ZONE,
      records: [{ kind: 'latency', name: 'api.example.com', type: 'A', setIdentifiers: Object.fromEntries(REGIONS.map((r) => [r, `api-${short[r]}`])) }],
      healthChecks: Object.fromEntries(REGIONS.map((r) => [r, `app-${short[r]}`])),
      controlHealthChecks: Object.fromEntries(REGIONS.map((r) => [r, `ctl-${short[r]}`])),
      clientSubnets: { 'us-east-1': '192.0.2.1' },
      ...extra,
    },
    aurora: { globalClusterId: 'g', clusters: Object.fromEntries(REGIONS.map((r) => [r, `db-${short[r]}`])) },
  });
}

function failoverTopology(): Topology {
  return topologySchema.parse({
    version: 1,
    name: 't',
    regions: ['us-east-1', 'eu-west-1'],
    route53: {
      hostedZoneId: ZONE,
      records: [{ kind: 'failover', name: 'www.example.com', type: 'A', primary: 'us-east-1', setIdentifiers: { 'us-east-1': 'www-p', 'eu-west-1': 'www-s' } }],
      healthChecks: { 'us-east-1': 'app-use1', 'eu-west-1': 'app-euw1' },
    },
  });
}

interface FakeCheck {
  type: string;
  inverted: boolean;
  children?: string[];
  /** What the checkers see (raw, before Inverted). */
  up: boolean;
}

class World {
  records: RecordSet[] = [];
  checks: Record<string, FakeCheck> = {};

  static latency(): World {
    const w = new World();
    for (const r of REGIONS) {
      const s = short[r];
      w.checks[`app-${s}`] = { type: 'HTTPS', inverted: false, up: true };
      w.checks[`ctl-${s}`] = { type: 'HTTPS', inverted: false, up: true };
      w.checks[`calc-${s}`] = { type: 'CALCULATED', inverted: false, up: true, children: [`app-${s}`, `ctl-${s}`] };
      w.records.push({
        name: 'api.example.com.',
        type: 'A',
        setIdentifier: `api-${s}`,
        region: r,
        ttl: 60,
        values: [`192.0.2.${REGIONS.indexOf(r) + 10}`],
        healthCheckId: `calc-${s}`,
      });
    }
    return w;
  }

  static failover(): World {
    const w = new World();
    w.checks['app-use1'] = { type: 'HTTPS', inverted: false, up: true };
    w.checks['app-euw1'] = { type: 'HTTPS', inverted: false, up: true };
    w.records.push({
      name: 'www.example.com.',
      type: 'A',
      setIdentifier: 'www-p',
      failover: 'PRIMARY',
      ttl: 60,
      values: ['192.0.2.10'],
      healthCheckId: 'app-use1',
    });
    w.records.push({
      name: 'www.example.com.',
      type: 'A',
      setIdentifier: 'www-s',
      failover: 'SECONDARY',
      ttl: 60,
      values: ['198.51.100.10'],
      healthCheckId: 'app-euw1',
    });
    return w;
  }

  aws() {
    const w = this;
    const info = (id: string): HealthCheckInfo => {
      const c = w.checks[id];
      if (!c) throw new Error(`no check ${id}`);
      return { id, version: 3, config: { type: c.type, inverted: c.inverted, disabled: false, childHealthChecks: c.children } };
    };
    return fakeAws({
      route53: () => ({
        readRecords: async (_z: string, name: string, type: string) => w.records.filter((r) => r.name === name && r.type === type).map((r) => ({ ...r })),
        getHealthCheck: async (id: string) => info(id),
        getHealthCheckStatus: async (id: string): Promise<HealthCheckObservation[]> => {
          if (w.checks[id].type === 'CALCULATED') throw new Error('GetHealthCheckStatus on a CALCULATED check');
          return Array.from({ length: 8 }, () => ({ checkerRegion: 'us-east-1', status: w.checks[id].up ? 'Success' : 'Failure', healthy: w.checks[id].up }));
        },
      }),
      rds: (region: string) => ({
        readDbCluster: async (id: string) => ({ id, arn: `arn:${id}`, region, status: 'available', endpoint: `${id}.cluster-x.${region}.rds.amazonaws.com` }),
      }),
    });
  }
}

const plan = (w: World, t: Topology, kind: 'route53.drain' | 'route53.restore' | 'route53.point', params: Record<string, unknown>) =>
  stepImpls[kind].plan('s1', params, { topology: t, aws: w.aws(), flags: { yes: true, allowDataLoss: false, dryRun: true } });
const failed = (step: PlannedStep) => step.checks.filter((c) => !c.passed).map((c) => c.message);

describe('route53.drain plan', () => {
  test("inverts the region's control check when every region serves, and says so", async () => {
    const step = await plan(World.latency(), latencyTopology(), 'route53.drain', { region: 'us-east-1' });
    assert.equal(step.noop, false);
    assert.deepEqual(
      step.changes.map((c) => [c.resource, c.from, c.to]),
      [['health check ctl-use1', false, true]],
    );
    assert.deepEqual(failed(step), []);
    assert.ok(
      step.checks.some((c) => /invert control check ctl-use1/.test(c.message)),
      step.checks.map((c) => c.message).join('\n'),
    );
    assert.match(step.title, /Take us-east-1 out of DNS for api\.example\.com\. A/);
  });

  test('already inverted: a no-op', async () => {
    const w = World.latency();
    w.checks['ctl-use1'].inverted = true;
    const step = await plan(w, latencyTopology(), 'route53.drain', { region: 'us-east-1' });
    assert.equal(step.noop, true);
    assert.deepEqual(step.changes, []);
  });

  test('refuses to drain the last healthy region of a record, naming the record', async () => {
    const w = World.latency();
    w.checks['app-euw1'].up = false;
    w.checks['ctl-apse1'].inverted = true; // already drained
    const step = await plan(w, latencyTopology(), 'route53.drain', { region: 'us-east-1' });
    assert.deepEqual(failed(step), [
      'record api.example.com. A: draining us-east-1 would leave no healthy region (Route 53 then answers with all of them alike)',
    ]);
  });

  test('minServingRegions: refuses to leave fewer regions serving', async () => {
    const t = latencyTopology({ minServingRegions: 2 });
    const one = await plan(World.latency(), t, 'route53.drain', { region: 'us-east-1' });
    assert.deepEqual(failed(one), []);
    const all = await plan(World.latency(), t, 'route53.drain', { except: 'eu-west-1' });
    assert.deepEqual(
      all.changes.map((c) => c.resource),
      ['health check ctl-use1', 'health check ctl-apse1'],
    );
    assert.deepEqual(failed(all), [
      'record api.example.com. A: draining us-east-1, ap-southeast-1 leaves 1 serving region(s) (eu-west-1), below route53.minServingRegions 2',
    ]);
  });

  test("a control check that is not a child of the records' CALCULATED check is refused", async () => {
    const w = World.latency();
    w.checks['calc-use1'].children = ['app-use1'];
    const step = await plan(w, latencyTopology(), 'route53.drain', { region: 'us-east-1' });
    assert.match(failed(step).join('\n'), /calc-use1 is not a CALCULATED check over control check ctl-use1/);
  });

  test('records of other policies under the same name are named as left alone', async () => {
    const w = World.latency();
    w.records.push({
      name: 'api.example.com.',
      type: 'A',
      setIdentifier: 'geo-eu',
      ttl: 60,
      values: ['192.0.2.99'],
      extra: { GeoLocation: { ContinentCode: 'EU' } },
    });
    const step = await plan(w, latencyTopology(), 'route53.drain', { region: 'us-east-1' });
    assert.ok(
      step.checks.some((c) => c.passed && c.message === 'left alone: api.example.com. A geo-eu (geolocation)'),
      step.checks.map((c) => c.message).join('\n'),
    );
  });

  test("failover: without a control check the PRIMARY's own check is inverted, and the plan says so", async () => {
    const step = await plan(World.failover(), failoverTopology(), 'route53.drain', { region: 'us-east-1' });
    assert.deepEqual(failed(step), []);
    assert.deepEqual(
      step.changes.map((c) => [c.resource, c.to]),
      [['health check app-use1', true]],
    );
    assert.ok(step.checks.some((c) => /invert us-east-1's own health check app-use1 \(no control check/.test(c.message)));
  });

  test('failover: refuses to drain the PRIMARY while the SECONDARY is unhealthy', async () => {
    const w = World.failover();
    w.checks['app-euw1'].up = false;
    const step = await plan(w, failoverTopology(), 'route53.drain', { region: 'us-east-1' });
    assert.deepEqual(failed(step), [
      'record www.example.com. A: its SECONDARY (eu-west-1) is not healthy, so draining the PRIMARY (us-east-1) would leave no healthy answer',
    ]);
  });

  test('a topology with no latency or failover record: a no-op', async () => {
    const t = topologySchema.parse({
      version: 1,
      name: 't',
      regions: ['us-east-1', 'eu-west-1'],
      route53: {
        hostedZoneId: ZONE,
        records: [{ name: 'a.example.com', setIdentifiers: { 'us-east-1': 'a', 'eu-west-1': 'b' } }],
        healthChecks: { 'us-east-1': 'x', 'eu-west-1': 'y' },
      },
    });
    const step = await plan(new World(), t, 'route53.drain', { region: 'us-east-1' });
    assert.equal(step.noop, true);
    assert.deepEqual(failed(step), []);
  });
});

describe('route53.restore plan', () => {
  test('un-inverts a drained region whose application is healthy; refuses while it is not', async () => {
    const w = World.latency();
    w.checks['ctl-euw1'].inverted = true;
    const ok = await plan(w, latencyTopology(), 'route53.restore', { region: 'eu-west-1' });
    assert.deepEqual(
      ok.changes.map((c) => [c.resource, c.from, c.to]),
      [['health check ctl-euw1', true, false]],
    );
    assert.deepEqual(failed(ok), []);
    w.checks['app-euw1'].up = false;
    const sick = await plan(w, latencyTopology(), 'route53.restore', { region: 'eu-west-1' });
    assert.deepEqual(failed(sick), ['eu-west-1 application check app-euw1 is not healthy: refusing to put eu-west-1 back into DNS']);
  });

  test('own check inverted: the gate judges what its checkers see, not the inverted verdict', async () => {
    const w = World.failover();
    w.checks['app-use1'].inverted = true;
    const step = await plan(w, failoverTopology(), 'route53.restore', { region: 'us-east-1' });
    assert.deepEqual(failed(step), []);
    assert.deepEqual(
      step.changes.map((c) => [c.resource, c.to]),
      [['health check app-use1', false]],
    );
  });

  test('not drained: a no-op', async () => {
    const step = await plan(World.latency(), latencyTopology(), 'route53.restore', { region: 'eu-west-1' });
    assert.equal(step.noop, true);
  });
});

describe('route53.point plan', () => {
  test("moves the CNAME to the target member's endpoint, TTL and everything else as read; no-op once there", async () => {
    const w = World.latency();
    w.records.push({ name: 'db.example.com.', type: 'CNAME', ttl: 42, values: ['db-use1.cluster-x.us-east-1.rds.amazonaws.com'] });
    const t = latencyTopology({ names: [{ name: 'db.example.com', follows: 'aurora' }] });
    const step = await plan(w, t, 'route53.point', { target: 'eu-west-1' });
    assert.deepEqual(
      step.changes.map((c) => [c.resource, c.from, c.to]),
      [['record db.example.com. CNAME', 'db-use1.cluster-x.us-east-1.rds.amazonaws.com', 'db-euw1.cluster-x.eu-west-1.rds.amazonaws.com']],
    );
    const data = step.data as { pointers: { record: RecordSet }[] };
    assert.equal(data.pointers[0].record.ttl, 42);
    w.records[w.records.length - 1].values = ['db-euw1.cluster-x.eu-west-1.rds.amazonaws.com.'];
    assert.equal((await plan(w, t, 'route53.point', { target: 'eu-west-1' })).noop, true);
  });

  test('a name with no simple CNAME is a failed check naming it', async () => {
    const t = latencyTopology({ names: [{ name: 'db.example.com', follows: 'aurora' }] });
    const step = await plan(World.latency(), t, 'route53.point', { target: 'eu-west-1' });
    assert.deepEqual(failed(step), ['db.example.com. has no simple CNAME record in zone Z1']);
  });
});

describe('topology record kinds', () => {
  const base = {
    version: 1,
    name: 't',
    regions: ['us-east-1', 'eu-west-1'],
    route53: { hostedZoneId: ZONE, healthChecks: { 'us-east-1': 'x', 'eu-west-1': 'y' } },
  };
  const problems = (records: unknown[]) => {
    const r = topologySchema.safeParse({ ...base, route53: { ...base.route53, records } });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  test('a failover record names its primary, one of its two regions', () => {
    assert.deepEqual(problems([{ kind: 'failover', name: 'w', setIdentifiers: { 'us-east-1': 'p', 'eu-west-1': 's' } }]), [
      'route53.records.0.primary: a failover record names its primary region',
    ]);
    assert.deepEqual(problems([{ kind: 'failover', name: 'w', primary: 'us-east-1', setIdentifiers: { 'us-east-1': 'p' } }]), [
      'route53.records.0.setIdentifiers: a failover record has exactly two set identifiers: its primary and its secondary region',
    ]);
  });
  test('a latency record needs two regions, and may leave out others; weighted records still need every region', () => {
    assert.deepEqual(problems([{ kind: 'latency', name: 'l', setIdentifiers: { 'us-east-1': 'a' } }]), [
      'route53.records.0.setIdentifiers: a latency record needs the set identifiers of two or more regions',
    ]);
    assert.deepEqual(problems([{ name: 'w', setIdentifiers: { 'us-east-1': 'a' } }]), [
      'route53.records.0.setIdentifiers: missing an entry for region "eu-west-1"',
    ]);
    assert.deepEqual(problems([{ kind: 'latency', name: 'l', setIdentifiers: { 'us-east-1': 'a', 'eu-west-1': 'b' } }]), []);
  });
});
