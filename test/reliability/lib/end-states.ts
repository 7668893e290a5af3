// Where a run left each bundled world, read as a client sees it (straight to the sandbox): what the crash
// and fault matrices compare with an uninterrupted run. Only the surviving regions are read when one is down.
import { isDeepStrictEqual } from 'node:util';
import type { Region } from '../../../src/aws/types.js';
import type { RWorld } from './world.js';

/** '' when `read` finds `want`, else where the world is. */
export const sameAs =
  (read: (w: RWorld) => Promise<unknown>, want: () => unknown) =>
  async (w: RWorld): Promise<string> => {
    const got = await read(w);
    return isDeepStrictEqual(got, want()) ? '' : `world is ${JSON.stringify(got)}, an uninterrupted run left ${JSON.stringify(want())}`;
  };

const LATENCY_ZONE = 'Z0MRLATENCY00001';
const LATENCY_CONTROL_CHECKS = {
  'us-east-1': '7a7e0000-0000-4000-8000-0000000b0001',
  'eu-west-1': '7a7e0000-0000-4000-8000-0000000b0002',
  'ap-southeast-1': '7a7e0000-0000-4000-8000-0000000b0003',
};

/** The latency world: Aurora's writer, the datastore primary, DNS for a client near us-east-1, the db name, the control checks. */
export async function latencyState(w: RWorld) {
  const gc = await w.aws.rds('eu-west-1').readGlobalCluster('lat-global');
  const ds = await w.aws.elasticache('eu-west-1').readGlobalDatastore('ldgnf-lat-sessions');
  const r53 = w.aws.route53();
  const inverted: Record<string, boolean> = {};
  for (const [region, id] of Object.entries(LATENCY_CONTROL_CHECKS)) inverted[region] = (await r53.getHealthCheck(id)).config.inverted;
  const ecs = await w.aws.ecs('eu-west-1').describeServices('lat-euw1', ['api', 'worker']);
  return {
    writer: gc.members.find((m) => m.isWriter)?.region,
    cachePrimary: ds.members.find((m) => m.role === 'PRIMARY')?.region,
    ecs: ecs.map((s) => `${s.name} ${s.desired}/${s.running}`).join(', '),
    nearUse1: (await r53.testDnsAnswer(LATENCY_ZONE, 'api.latency.example.com', 'A', { clientSubnet: '192.0.2.44' })).data,
    db: (await r53.testDnsAnswer(LATENCY_ZONE, 'db.latency.example.com', 'CNAME')).data,
    inverted,
  };
}

export const LATENCY_FAILED_OVER = {
  writer: 'eu-west-1',
  cachePrimary: 'eu-west-1',
  ecs: 'api 4/4, worker 2/2',
  nearUse1: ['198.51.100.10'],
  db: ['lat-euw1.cluster-c0ffee.eu-west-1.rds.amazonaws.com'],
  inverted: { 'us-east-1': true, 'eu-west-1': false, 'ap-southeast-1': true },
};

const AP_ZONE = 'Z0MRACTPASS00001';
const AP_INSTANCES: Record<string, string[]> = { 'us-east-1': ['ap-db-use1', 'ap-db-use1-r'], 'eu-west-1': ['ap-db-euw1', 'ap-db-euw1-r'] };
const AP_CLUSTERS: Record<string, string> = { 'us-east-1': 'ap-use1', 'eu-west-1': 'ap-euw1' };

/** The active-passive world: each instance's role, ECS, the datastore primary, and what Route 53 answers. */
export async function activePassiveState(w: RWorld, down: Region[] = []) {
  const out: Record<string, unknown> = {};
  for (const [region, ids] of Object.entries(AP_INSTANCES)) {
    if (down.includes(region)) continue;
    for (const id of ids) {
      const i = await w.aws
        .rds(region)
        .readDbInstance(id)
        .catch(() => undefined);
      if (i) out[id] = `${i.status}, ${i.source ? `replica of ${i.source.id}` : 'standalone'}`;
    }
    const ecs = await w.aws.ecs(region).describeServices(AP_CLUSTERS[region], ['api', 'worker']);
    out[`ecs ${region}`] = ecs.map((s) => `${s.name} ${s.desired}/${s.running}`).join(', ');
  }
  const up = Object.keys(AP_INSTANCES).find((r) => !down.includes(r))!;
  const ds = await w.aws.elasticache(up).readGlobalDatastore('ldgnf-ap-sessions');
  out.cachePrimary = ds.members.find((m) => m.role === 'PRIMARY')?.region;
  const r53 = w.aws.route53();
  out.dns = {
    api: (await r53.testDnsAnswer(AP_ZONE, 'api.active-passive.example.com', 'A')).data,
    db: (await r53.testDnsAnswer(AP_ZONE, 'db.active-passive.example.com', 'CNAME')).data,
    cache: (await r53.testDnsAnswer(AP_ZONE, 'cache.active-passive.example.com', 'CNAME')).data,
  };
  return out;
}

/** Calls the sandbox logged to a region's endpoints (Route 53 is global and answers for every region). */
export function regionalCalls(w: RWorld, region: Region): string[] {
  return w.sandbox.control
    .calls()
    .filter((c) => c.region === region && c.service !== 'route53')
    .map((c) => `${c.service} ${c.operation}`);
}
