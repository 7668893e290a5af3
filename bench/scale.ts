// Benchmark 6: scale. `mr status` against worlds of regions x services per region x record names
// (3x2x2, 6x10x10, 6x40x20), each zone holding 10,000 other records, with the sandbox enforcing
// Route 53's 5 requests per second. Targets: exit 0 with no finding at every size, at most
// names + health checks + 2 Route 53 calls, and at 6x40x20 a wall time at most 2x the same world
// without the limit (the baseline, measured in the same run).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSandbox, type WorldFile } from '../src/sandbox/server.js';
import { timeMr } from './lib/proc.js';
import type { BenchResult, Figure } from './lib/report.js';
import { median, ms, ratio } from './lib/stats.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1'];
const ZONE = 'Z0MRDEMO0000001';
export const SIZES: [number, number, number][] = [
  [3, 2, 2],
  [6, 10, 10],
  [6, 40, 20],
];

// One distinct short name per region (use1, euw1, usw2, euc1, aps2, apn1): set identifiers and resource
// ids. (It used to keep only the first two letters, so us-east-1 and us-west-2 shared set identifier
// "us" and cluster "demo-us": a zone Route 53 would not hold, which status rightly reported.)
export const short = (r: string) => r.replace(/^(\w\w)\w*-(\w)\w*-(\d+)$/, '$1$2$3');
const hc = (i: number) => `6d0b1a8e-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;

/** Rewrites the demo world to the given size (regions, ECS services, weighted names). */
export function scaleWorld(w: WorldFile, regionCount: number, services: number, names: number): void {
  const regions = REGIONS.slice(0, regionCount);
  const z = w.route53!.zones[0];
  w.regions = regions;
  z.fillerRecords = 10_000;
  z.records = [];
  for (let n = 0; n < names; n++) {
    regions.forEach((r, i) =>
      z.records.push({
        name: `svc${String(n).padStart(2, '0')}.demo.example.com.`,
        type: 'A',
        setIdentifier: short(r),
        weight: i === 0 ? 100 : 0,
        ttl: 60,
        values: [`192.0.2.${i + 1}`],
        healthCheckId: hc(i),
      }),
    );
  }
  w.route53!.healthChecks = regions.map((r, i) => ({
    id: hc(i),
    watches: r,
    type: 'HTTPS',
    fqdn: `api-${short(r)}.demo.example.com`,
    port: 443,
    resourcePath: '/health',
    requestInterval: 10,
    failureThreshold: 3,
    inverted: false,
    disabled: false,
  }));
  const gc = w.aurora!.globalClusters[0];
  gc.members = regions.map((r, i) =>
    i === 0 ? { region: r, clusterId: `demo-${short(r)}`, writer: true } : { region: r, clusterId: `demo-${short(r)}`, lagMs: 80 },
  );
  const ds = w.elasticache!.globalDatastores[0];
  ds.members = regions.map((r, i) =>
    i === 0 ? { region: r, replicationGroupId: `demo-sessions-${short(r)}`, primary: true } : { region: r, replicationGroupId: `demo-sessions-${short(r)}` },
  );
  w.ecs!.clusters = regions.map((r, i) => ({
    region: r,
    name: `demo-${short(r)}`,
    services: Array.from({ length: services }, (_, s) => ({ name: `svc${s}`, desired: i === 0 ? 2 : 1 })),
  }));
}

export function scaleTopology(regionCount: number, services: number, names: number): string {
  const regions = REGIONS.slice(0, regionCount);
  const per = <T>(f: (r: string, i: number) => T) => Object.fromEntries(regions.map((r, i) => [r, f(r, i)]));
  return stringify({
    version: 1,
    name: 'scale',
    regions,
    timeouts: { read: '3s', verify: '15m', poll: '1s' },
    route53: {
      hostedZoneId: ZONE,
      records: Array.from({ length: names }, (_, n) => ({
        name: `svc${String(n).padStart(2, '0')}.demo.example.com.`,
        type: 'A',
        setIdentifiers: per((r) => short(r)),
      })),
      healthChecks: per((_r, i) => hc(i)),
    },
    aurora: { globalClusterId: 'demo-global', clusters: per((r) => `demo-${short(r)}`), maxLagMs: 1000 },
    elasticache: { globalReplicationGroupId: 'ldgnf-demo-sessions', replicationGroups: per((r) => `demo-sessions-${short(r)}`) },
    ecs: per((r, i) => ({
      cluster: `demo-${short(r)}`,
      services: Array.from({ length: services }, (_, s) => ({ name: `svc${s}`, capacity: i === 0 ? 2 : 1 })),
    })),
  });
}

interface Run {
  code: number | null;
  ms: number;
  route53: number;
  throttled: number;
  findings: number;
}

async function statusRuns(size: [number, number, number], limit: number, runs: number): Promise<Run[]> {
  const sb = await startSandbox({ port: 0, timeScale: 60, worldOverrides: (w) => scaleWorld(w, ...size) });
  const dir = await mkdtemp(join(tmpdir(), 'mr-bench-scale-'));
  try {
    const topology = join(dir, 'topology.yaml');
    await writeFile(topology, scaleTopology(...size));
    const out: Run[] = [];
    for (let i = 0; i < runs; i++) {
      sb.control.reset();
      sb.control.setFaults({ route53RateLimit: limit });
      const t = await timeMr(['--config', topology, '--endpoint-url', sb.endpoint, '--state-dir', dir, 'status', '--json']);
      const calls = sb.control.calls().filter((c) => c.service === 'route53');
      let findings = -1;
      try {
        findings = (JSON.parse(t.stdout) as { findings: unknown[] }).findings.length;
      } catch {
        // not JSON: counted as a failed run below
      }
      out.push({ code: t.code, ms: t.ms, route53: calls.length, throttled: calls.filter((c) => c.throttled).length, findings });
    }
    return out;
  } finally {
    await sb.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchScale(runs: number): Promise<BenchResult> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const size of SIZES) {
    const [r, s, n] = size;
    const label = `${r}x${s}x${n}`;
    const limited = await statusRuns(size, 5, runs);
    const bad = limited.filter((x) => x.code !== 0 || x.findings !== 0);
    const budget = n + r + 2;
    const calls = Math.max(...limited.map((x) => x.route53));
    figures.push({
      label: `${label} mr status at 5 req/s: exit 0, no finding`,
      value: `${limited.length - bad.length} of ${limited.length} runs`,
      baseline: `${median(limited.map((x) => x.throttled))} throttled`,
      ratio: '-',
      target: 'every run',
      met: bad.length === 0,
    });
    if (bad.length) notes.push(`${label}: exit codes ${bad.map((x) => x.code).join(',')}, findings ${bad.map((x) => x.findings).join(',')}`);
    figures.push({
      label: `${label} Route 53 calls`,
      value: `${calls} calls (max)`,
      baseline: `names + health checks + 2: ${budget}`,
      ratio: ratio(calls / budget),
      target: `<= ${budget}`,
      met: calls <= budget,
    });
    if (size === SIZES[SIZES.length - 1]) {
      const free = await statusRuns(size, 0, runs);
      const a = median(limited.map((x) => x.ms));
      const b = median(free.map((x) => x.ms));
      figures.push({
        label: `${label} wall at 5 req/s`,
        value: ms(a),
        baseline: `no limit: ${ms(b)}`,
        ratio: ratio(a / b),
        target: '<= 2.00x',
        met: a / b <= 2,
      });
    }
  }
  return {
    id: 6,
    title: "Scale under Route 53's limit",
    method: `sandbox at 5 req/s for Route 53, 10,000 other records in the zone, ${runs} runs per size (medians)`,
    figures,
    notes,
  };
}
