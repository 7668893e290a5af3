// Read the live state of a topology: every region and service at once, each read bounded, into a
// plain ObservedState. Reads only; no SDK types (everything comes through the Aws adapters).
import { lagMetricFor } from '../aws/aurora-engine.js';
import type { Aws, AwsService, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { healthRoutedRecords, weightedRecords } from '../config/records.js';
import { firstAnswer, observe } from './observe.js';
import { readHealthCheck, readHealthChecks } from './health.js';
import { gatherRds } from './rds.js';
import type { RoutedView, AuroraState, EcsRegionState, ElastiCacheState, Observed, ObservedState, RecordView, Route53State } from './types.js';

export interface GatherOptions {
  /** Bound on each read; a region that takes longer is reported unreachable. */
  timeoutMs: number;
  /** How long to wait on one region before also asking the next, for reads any region can answer. Default a quarter of timeoutMs. */
  hedgeMs?: number;
  /** Also read each health check's last failure reasons. */
  lastFailures?: boolean;
  now?: () => Date;
  /**
   * Called once the SDK is loaded, in the same tick as the Route 53 record reads: reads started here
   * (the run lock's, for status) join their batch, and their time bound does not include loading.
   */
  alongside?: () => void;
}

/** Route 53 returns names fully qualified and lowercase. */
export function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

const byRegion = <T>(regions: Region[], values: T[]): Record<Region, T> => Object.fromEntries(regions.map((r, i) => [r, values[i]]));

/** Each weighted record's sets, in topology order (a failed read still names its record). */
export function readWeighted(t: Topology, aws: Aws, timeoutMs: number): Promise<Route53State['records']> {
  const r53 = t.route53;
  if (!r53) return Promise.resolve([]);
  return Promise.all(
    weightedRecords(t).map(async (rec) => ({
      name: fqdn(rec.name),
      type: rec.type,
      ...(await observe(async (): Promise<RecordView> => {
        const name = fqdn(rec.name);
        const sets = await aws.route53().readRecords(r53.hostedZoneId, name, rec.type, Object.keys(rec.setIdentifiers).length);
        return {
          name,
          type: rec.type,
          sets: t.regions.map((region) => {
            const setIdentifier = rec.setIdentifiers[region];
            const found = sets.find((s) => fqdn(s.name) === name && s.type === rec.type && s.setIdentifier === setIdentifier);
            return found
              ? { region, setIdentifier, found: true, weight: found.weight, healthCheckId: found.healthCheckId }
              : { region, setIdentifier, found: false };
          }),
        };
      }, timeoutMs)),
    })),
  );
}

async function gatherRoute53(t: Topology, aws: Aws, o: GatherOptions): Promise<Route53State | undefined> {
  const r53 = t.route53;
  if (!r53) return undefined;
  // Route 53 calls wait their turn under the process's pacing (src/aws/pacer.ts): the bound is the
  // read bound after the last of this batch's calls would leave the queue, not from when it was asked.
  const weighted = weightedRecords(t);
  const timeoutMs = o.timeoutMs + (aws.route53QueueMs?.(weighted.length) ?? 0);
  const records = readWeighted(t, aws, timeoutMs);
  const healthChecks = readHealthChecks(t, aws, { timeoutMs, lastFailures: o.lastFailures });
  // Latency and failover records and control checks: read only when the topology has them, so a
  // weighted-only topology makes the same calls as before.
  const routedRecs = healthRoutedRecords(t);
  const routed = Promise.all(
    routedRecs.map(async (rec) => ({
      name: fqdn(rec.name),
      type: rec.type,
      ...(await observe(async (): Promise<RoutedView> => {
        const name = fqdn(rec.name);
        const sets = await aws.route53().readRecords(r53.hostedZoneId, name, rec.type, Object.keys(rec.setIdentifiers).length);
        return {
          name,
          type: rec.type,
          kind: rec.kind === 'failover' ? 'failover' : 'latency',
          sets: Object.entries(rec.setIdentifiers).map(([region, setIdentifier]) => {
            const found = sets.find((s) => s.setIdentifier === setIdentifier);
            return found
              ? { region, setIdentifier, found: true, failover: found.failover, healthCheckId: found.healthCheckId }
              : { region, setIdentifier, found: false };
          }),
        };
      }, timeoutMs)),
    })),
  );
  const controls = Object.entries(r53.controlHealthChecks ?? {});
  const controlChecks = Promise.all(controls.map(([, id]) => readHealthCheck(aws, id, { timeoutMs })));
  const out: Route53State = { hostedZoneId: r53.hostedZoneId, records: await records, healthChecks: await healthChecks };
  if (routedRecs.length) out.routed = await routed;
  const controlViews = await controlChecks;
  if (controls.length) out.controlChecks = Object.fromEntries(controls.map(([region], i) => [region, controlViews[i]]));
  return out;
}

async function gatherAurora(t: Topology, aws: Aws, o: GatherOptions, hedgeMs: number): Promise<AuroraState | undefined> {
  const a = t.aurora;
  if (!a) return undefined;
  // ⚠ AWS-FACTS 3.4: DescribeGlobalClusters is assumed answerable in any member region; we ask them
  // in topology order and take the first answer, so a dead primary region does not hide the cluster.
  const global = firstAnswer(t.regions, (r) => aws.rds(r).readGlobalCluster(a.globalClusterId), { timeoutMs: o.timeoutMs, hedgeMs });
  const reads = t.regions.map((r) => aws.rds(r).readDbCluster(a.clusters[r]));
  reads.forEach((p) => p.catch(() => undefined)); // observed below; no unhandled rejection meanwhile
  const clusters = Promise.all(reads.map((p) => observe(() => p, o.timeoutMs)));
  // Lag is read in every region at once rather than after learning the writer, and the writer simply
  // has no datapoint (⚠ AWS-FACTS 3.5: published in the secondary's region). Engine and version decide
  // which metric AWS publishes (src/aws/aurora-engine.ts), so both are asked for at once and the cluster's
  // own read, when it answers, picks one: no region's lag waits for its cluster before it is sent.
  const lag = Promise.all(
    t.regions.map((r, i) =>
      observe(async () => {
        const [c, lags] = await Promise.all([reads[i], aws.cloudwatch(r).auroraReplicationLags(a.clusters[r])]);
        return lags[lagMetricFor(c.engine, c.engineVersion)];
      }, o.timeoutMs),
    ),
  );
  // The global writer endpoint as applications resolve it (src/aws/dns.ts): does it name the writer? Its
  // name comes with the global cluster, so the lookup starts once that read answers.
  const resolved = global.then((g) => {
    const name = g.ok ? g.value.writerEndpoint : undefined;
    const dns = aws.dns?.();
    if (!name || !dns) return undefined;
    return observe(async () => {
      const r = await dns.resolveCname(name);
      if (r.error) throw new Error(r.error);
      return { name, names: r.names, via: r.via };
    }, o.timeoutMs);
  });
  const writerEndpoint = await resolved;
  return {
    globalClusterId: a.globalClusterId,
    maxLagMs: a.maxLagMs,
    global: await global,
    clusters: byRegion(t.regions, await clusters),
    lagMs: byRegion(t.regions, await lag),
    ...(writerEndpoint ? { writerEndpoint } : {}),
  };
}

async function gatherElastiCache(t: Topology, aws: Aws, o: GatherOptions, hedgeMs: number): Promise<ElastiCacheState | undefined> {
  const e = t.elasticache;
  if (!e) return undefined;
  // ⚠ AWS-FACTS 4.2: DescribeGlobalReplicationGroups is assumed answerable from any member region.
  const datastore = firstAnswer(t.regions, (r) => aws.elasticache(r).readGlobalDatastore(e.globalReplicationGroupId), { timeoutMs: o.timeoutMs, hedgeMs });
  const groups = Promise.all(t.regions.map((r) => observe(() => aws.elasticache(r).readReplicationGroup(e.replicationGroups[r]), o.timeoutMs)));
  return { globalReplicationGroupId: e.globalReplicationGroupId, datastore: await datastore, replicationGroups: byRegion(t.regions, await groups) };
}

/** DescribeServices takes at most 10 services per call. */
const ECS_BATCH = 10;

async function gatherEcs(t: Topology, aws: Aws, o: GatherOptions): Promise<Record<Region, Observed<EcsRegionState>> | undefined> {
  const ecs = t.ecs;
  if (!ecs) return undefined;
  const regions = t.regions.filter((r) => ecs[r] !== undefined);
  const results = await Promise.all(
    regions.map((r) =>
      observe(async (): Promise<EcsRegionState> => {
        const { cluster, services } = ecs[r];
        const names = services.map((s) => s.name);
        const batches: string[][] = [];
        for (let i = 0; i < names.length; i += ECS_BATCH) batches.push(names.slice(i, i + ECS_BATCH));
        const found = (await Promise.all(batches.map((b) => aws.ecs(r).describeServices(cluster, b)))).flat();
        return {
          cluster,
          services: services.map((s) => {
            const info = found.find((f) => f.name === s.name) ?? {
              cluster,
              name: s.name,
              status: 'MISSING',
              desired: 0,
              running: 0,
              pending: 0,
              deployments: 0,
            };
            return { ...info, capacity: s.capacity };
          }),
        };
      }, o.timeoutMs),
    ),
  );
  return byRegion(regions, results);
}

/** Regions with a read whose endpoint did not answer, with the first such reason. */
function unreachableRegions(s: Omit<ObservedState, 'unreachable'>): Record<Region, string> {
  const out: Record<Region, string> = {};
  const note = (region: Region, service: string, o: Observed<unknown> | undefined) => {
    if (o && !o.ok && o.unreachable && out[region] === undefined) out[region] = `${service}: ${o.error}`;
  };
  for (const r of s.regions) {
    note(r, 'ecs', s.ecs?.[r]);
    note(r, 'rds', s.aurora?.clusters[r]);
    note(r, 'cloudwatch', s.aurora?.lagMs[r]);
    note(r, 'elasticache', s.elasticache?.replicationGroups[r]);
    note(r, 'rds', s.rds?.regions[r]);
  }
  return out;
}

export async function gather(topology: Topology, aws: Aws, opts: GatherOptions): Promise<ObservedState> {
  // Load the SDK packages first: otherwise a cold load (about a second on a busy machine) counts
  // against the read bound and the hedge, and a healthy first region gets a second region asked too.
  const services: AwsService[] = [];
  if (topology.route53) services.push('route53');
  if (topology.aurora || topology.rds) services.push('rds', 'cloudwatch');
  if (topology.elasticache) services.push('elasticache');
  if (topology.ecs) services.push('ecs');
  await aws.preload?.(services);
  const hedgeMs = opts.hedgeMs ?? Math.max(50, Math.floor(opts.timeoutMs / 4));
  const observedAt = (opts.now?.() ?? new Date()).toISOString();
  opts.alongside?.();
  const [route53, aurora, elasticache, ecs, rds] = await Promise.all([
    gatherRoute53(topology, aws, opts),
    gatherAurora(topology, aws, opts, hedgeMs),
    gatherElastiCache(topology, aws, opts, hedgeMs),
    gatherEcs(topology, aws, opts),
    gatherRds(topology, aws, opts.timeoutMs),
  ]);
  const state: Omit<ObservedState, 'unreachable'> = {
    version: 1,
    topology: topology.name,
    observedAt,
    regions: [...topology.regions],
    route53,
    aurora,
    elasticache,
    ecs,
    ...(rds ? { rds } : {}),
  };
  return { ...state, unreachable: unreachableRegions(state) };
}
