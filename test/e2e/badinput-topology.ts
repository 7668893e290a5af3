// Generated bad topology files: every field with a wrong type, unknown keys at each level, regions
// that do not exist or are not declared, missing resources, huge values, broken YAML and binary
// junk. Each case breaks ONE thing, so mr must name exactly that one thing.
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { demoTopology } from '../helpers/paths.js';
import type { BadInputCase } from './badinput-run.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A command that would mutate if the topology were good: proves nothing is sent when it is not. */
const MUTATING = ['traffic', 'shift', '--to', 'eu-west-1', '--yes'];

export function demoDoc(): Doc {
  return parse(readFileSync(demoTopology, 'utf8')) as Doc;
}

function topo(name: string, edit: (d: Doc) => void, names: RegExp): BadInputCase {
  const d = demoDoc();
  edit(d);
  return { name: `topology: ${name}`, files: { 'topology.yaml': stringify(d) }, config: 'topology.yaml', args: MUTATING, names };
}

function raw(name: string, text: string | Buffer, names: RegExp): BadInputCase {
  return { name: `topology: ${name}`, files: { 'topology.yaml': text }, config: 'topology.yaml', args: MUTATING, names };
}

/** A small seeded generator, so the junk is the same on every run and a failure can be replayed. */
export function junk(seed: number, length: number): Buffer {
  let s = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** Every map keyed by region, so a region can be renamed or dropped everywhere at once (one problem, not ten). */
function regionMaps(d: Doc): Doc[] {
  return [
    ...(d.route53?.records ?? []).map((r: Doc) => r.setIdentifiers),
    d.route53?.healthChecks,
    d.aurora?.clusters,
    d.elasticache?.replicationGroups,
    d.ecs,
  ].filter(Boolean);
}

function renameRegion(d: Doc, from: string, to: string): void {
  d.regions = d.regions.map((r: string) => (r === from ? to : r));
  for (const m of regionMaps(d)) {
    m[to] = m[from];
    delete m[from];
  }
}

function keepRegions(d: Doc, keep: string[]): void {
  d.regions = keep;
  for (const m of regionMaps(d)) for (const k of Object.keys(m)) if (!keep.includes(k)) delete m[k];
}

const svc = (d: Doc) => d.ecs['eu-west-1'].services[0];
const rec = (d: Doc) => d.route53.records[0];

export function topologyCases(): BadInputCase[] {
  const cases: BadInputCase[] = [
    // Wrong types and values, field by field.
    topo('version is a string', (d) => (d.version = '1'), /version/),
    topo('version 2', (d) => (d.version = 2), /version/),
    topo('name is a number', (d) => (d.name = 42), /name/),
    topo('name with spaces', (d) => (d.name = 'Demo Name!'), /name/),
    topo('regions is a string', (d) => (d.regions = 'us-east-1'), /regions/),
    topo('one region', (d) => keepRegions(d, ['us-east-1']), /regions/),
    topo('no regions listed', (d) => keepRegions(d, []), /regions/),
    topo('a region twice', (d) => (d.regions = ['us-east-1', 'us-east-1', 'eu-west-1', 'us-west-2']), /regions/),
    topo('a region is a number', (d) => (d.regions = ['us-east-1', 42, 'us-west-2']), /regions/),
    topo('timeouts is a string', (d) => (d.timeouts = 'fast'), /timeouts/),
    topo('read timeout is a word', (d) => (d.timeouts.read = 'forever'), /timeouts\.read/),
    topo('read timeout is negative', (d) => (d.timeouts.read = -5), /timeouts\.read/),
    topo('poll is a fraction', (d) => (d.timeouts.poll = 1.5), /timeouts\.poll/),
    topo('verify in hours', (d) => (d.timeouts.verify = '10h'), /timeouts\.verify/),
    topo('route53 is a list', (d) => (d.route53 = []), /route53/),
    topo('hosted zone id is a number', (d) => (d.route53.hostedZoneId = 123), /hostedZoneId/),
    topo('hosted zone id is empty', (d) => (d.route53.hostedZoneId = ''), /hostedZoneId/),
    topo('records is a map', (d) => (d.route53.records = {}), /records/),
    topo('no records', (d) => (d.route53.records = []), /records/),
    topo('record name empty', (d) => (rec(d).name = ''), /records\[0\]\.name/),
    topo('record type MX', (d) => (rec(d).type = 'MX'), /records\[0\]\.type/),
    topo('set identifiers are a list', (d) => (rec(d).setIdentifiers = ['use1']), /setIdentifiers/),
    topo('set identifier missing for a region', (d) => delete rec(d).setIdentifiers['eu-west-1'], /setIdentifiers.*eu-west-1|eu-west-1.*setIdentifiers/),
    topo('set identifier empty', (d) => (rec(d).setIdentifiers['eu-west-1'] = ''), /setIdentifiers/),
    topo('set identifier too long', (d) => (rec(d).setIdentifiers['eu-west-1'] = 'x'.repeat(200)), /setIdentifiers/),
    topo('health checks is a string', (d) => (d.route53.healthChecks = 'hc'), /healthChecks/),
    topo('health check missing for a region', (d) => delete d.route53.healthChecks['us-west-2'], /healthChecks.*us-west-2|us-west-2.*healthChecks/),
    topo('global cluster id is a number', (d) => (d.aurora.globalClusterId = 7), /globalClusterId/),
    topo('aurora cluster missing for a region', (d) => delete d.aurora.clusters['us-west-2'], /aurora\.clusters/),
    topo('max lag is a word', (d) => (d.aurora.maxLagMs = 'lots'), /maxLagMs/),
    topo('max lag 0', (d) => (d.aurora.maxLagMs = 0), /maxLagMs/),
    topo('max lag negative', (d) => (d.aurora.maxLagMs = -1), /maxLagMs/),
    topo('max lag a fraction', (d) => (d.aurora.maxLagMs = 1.5), /maxLagMs/),
    topo('datastore id is a list', (d) => (d.elasticache.globalReplicationGroupId = []), /globalReplicationGroupId/),
    topo('replication group missing for a region', (d) => delete d.elasticache.replicationGroups['eu-west-1'], /replicationGroups/),
    topo('ecs is a list', (d) => (d.ecs = []), /ecs/),
    topo('ecs cluster is a number', (d) => (d.ecs['eu-west-1'].cluster = 5), /ecs\.eu-west-1\.cluster/),
    topo('ecs with no services', (d) => (d.ecs['eu-west-1'].services = []), /services/),
    topo('capacity negative', (d) => (svc(d).capacity = -1), /capacity/),
    topo('capacity a word', (d) => (svc(d).capacity = 'six'), /capacity/),
    topo('capacity a fraction', (d) => (svc(d).capacity = 2.5), /capacity/),
    topo('capacity above the bound', (d) => (svc(d).capacity = 10001), /capacity/),
    topo('service name empty', (d) => (svc(d).name = ''), /services\[0\]\.name/),
    // Unknown keys, one level at a time.
    topo('unknown top-level key', (d) => (d.regoins = ['us-east-1']), /regoins/),
    topo('unknown timeouts key', (d) => (d.timeouts.reed = '3s'), /reed/),
    topo('unknown route53 key', (d) => (d.route53.zone = 'demo'), /route53\.zone/),
    topo('unknown record key', (d) => (rec(d).ttl = 60), /ttl/),
    topo('unknown aurora key', (d) => (d.aurora.writer = 'us-east-1'), /aurora\.writer/),
    topo('unknown elasticache key', (d) => (d.elasticache.engine = 'valkey'), /elasticache\.engine/),
    topo('unknown ecs region key', (d) => (d.ecs['eu-west-1'].desired = 3), /desired/),
    topo('unknown ecs service key', (d) => (svc(d).min = 1), /min/),
    // Regions that do not exist, or are not the topology's.
    topo('a region that does not exist', (d) => renameRegion(d, 'eu-west-1', 'mars-1'), /mars-1/),
    topo('a region in capitals', (d) => renameRegion(d, 'eu-west-1', 'EU-WEST-1'), /EU-WEST-1/),
    topo('set identifier for an undeclared region', (d) => (rec(d).setIdentifiers['ap-south-1'] = 'aps1'), /ap-south-1/),
    topo('health check for an undeclared region', (d) => (d.route53.healthChecks['ap-south-1'] = 'hc'), /ap-south-1/),
    topo('aurora cluster in an undeclared region', (d) => (d.aurora.clusters['ap-south-1'] = 'c'), /ap-south-1/),
    topo('replication group in an undeclared region', (d) => (d.elasticache.replicationGroups['ap-south-1'] = 'g'), /ap-south-1/),
    topo('ecs in an undeclared region', (d) => (d.ecs['ap-south-1'] = { cluster: 'c', services: [{ name: 'api', capacity: 1 }] }), /ap-south-1/),
    // Missing pieces.
    topo('no version', (d) => delete d.version, /version/),
    topo('no name', (d) => delete d.name, /name/),
    topo('no regions', (d) => delete d.regions, /regions/),
    topo('route53 without its zone', (d) => delete d.route53.hostedZoneId, /hostedZoneId/),
    topo('route53 without records', (d) => delete d.route53.records, /records/),
    topo('aurora without clusters', (d) => delete d.aurora.clusters, /clusters/),
    topo('elasticache without replication groups', (d) => delete d.elasticache.replicationGroups, /replicationGroups/),
    topo('ecs region without cluster', (d) => delete d.ecs['eu-west-1'].cluster, /cluster/),
    topo('ecs service without capacity', (d) => delete svc(d).capacity, /capacity/),
    // Huge values.
    topo('a 100,000-character name', (d) => (d.name = 'a'.repeat(100_000)), /name/),
    topo(
      'twenty regions',
      (d) => (d.regions = Array.from({ length: 20 }, (_, i) => `us-east-${i % 10}`).map((r, i) => (i < 10 ? r : r.replace('us-east', 'eu-west')))),
      /regions/,
    ),
    topo('capacity of a trillion', (d) => (svc(d).capacity = 1e12), /capacity/),
    topo('max lag of infinity', (d) => (d.aurora.maxLagMs = Number.POSITIVE_INFINITY), /maxLagMs/),
    topo('read timeout beyond a safe integer', (d) => (d.timeouts.read = 2 ** 60), /timeouts\.read/),
    // Broken YAML.
    raw('an unclosed list', 'version: 1\nname: demo\nregions: [us-east-1, eu-west-1\n', /YAML/),
    raw('a tab for indentation', 'version: 1\nname: demo\nregions:\n\t- us-east-1\n', /YAML/),
    raw('a duplicate key', 'version: 1\nname: demo\nname: other\nregions: [us-east-1, eu-west-1]\n', /YAML/),
    raw('an unclosed quote', 'version: 1\nname: "demo\nregions: [us-east-1, eu-west-1]\n', /YAML/),
    raw('a key inside a value', 'version: 1\nname: demo: other\nregions: [us-east-1, eu-west-1]\n', /YAML/),
    raw('an undefined alias', 'version: 1\nname: *nope\nregions: [us-east-1, eu-west-1]\n', /YAML|nope/),
    raw('two documents', 'version: 1\nname: demo\n---\nversion: 1\nname: other\n', /YAML|document/),
    raw('an empty file', '', /empty/),
    raw('only comments', '# nothing here\n# at all\n', /empty/),
    raw('only a document marker', '---\n', /empty/),
    raw('a bare word', 'hello\n', /map/),
    raw('a list at the top', '- us-east-1\n- eu-west-1\n', /map/),
    raw('an alias bomb', aliasBomb(), /alias|YAML/i),
    raw('deep nesting', `version: 1\nname: demo\nregions: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /regions|YAML/),
    // Binary junk.
    ...[1, 2, 3, 4, 5, 6].map((seed) => raw(`random bytes #${seed}`, junk(seed, 64 + seed * 200), /topology|YAML|map|expected/)),
    raw('a megabyte of random bytes', junk(99, 1_000_000), /topology|YAML|map|expected|large|bytes/),
    raw('NUL bytes', Buffer.alloc(512), /topology|YAML|map|expected/),
    raw('a PNG header', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), junk(7, 300)]), /topology|YAML|map|expected/),
    raw('a gzip stream', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), junk(8, 300)]), /topology|YAML|map|expected/),
    raw('UTF-16 text', Buffer.from('\ufeffversion: 1\nname: demo\n', 'utf16le'), /topology|YAML|map|expected/),
  ];
  // Files that are not there or not files.
  cases.push({ name: 'topology: no such file', args: MUTATING, config: 'missing.yaml', names: /missing\.yaml.*no such file/ });
  cases.push({ name: 'topology: a directory', files: { 'dir/keep': '' }, args: MUTATING, config: 'dir', names: /directory/ });
  return cases;
}

/** Each level refers to the one below ten times: a few lines that expand to a billion nodes. */
function aliasBomb(): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}
