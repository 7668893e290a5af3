// Reading the world file: YAML, then the schema, then the cross-references the schema cannot see.
// Every error names the file and the path inside it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../io/errors.js';
import { worldSchema, type WorldFile } from './world-schema.js';

export const DEMO_WORLD_PATH = fileURLToPath(new URL('./worlds/demo/world.yaml', import.meta.url));

const CORE_KEYS = new Set(['account', 'regions', 'durations', 'faults']);

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

function fail(file: string, problems: string[]): never {
  throw new UsageError(`Invalid sandbox world file ${file}:\n  ${problems.join('\n  ')}`, 'See src/sandbox/worlds/demo/world.yaml for the format.');
}

/** Parse and validate a world file's text. `sections` are the state keys of the loaded service modules. */
export function parseWorld(text: string, file: string, sections: readonly string[]): WorldFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    fail(file, [`not valid YAML: ${(e as Error).message.split('\n')[0]}`]);
  }
  return validateWorld(raw, file, sections);
}

/** Validate a parsed world (from YAML, or after a test's overrides); fills in defaults. */
export function validateWorld(raw: unknown, file: string, sections: readonly string[]): WorldFile {
  const parsed = worldSchema.safeParse(raw);
  if (!parsed.success)
    fail(
      file,
      parsed.error.issues.map((i: z.core.$ZodIssue) => `${pathText(i.path)}: ${i.message}`),
    );
  const world = parsed.data;
  const problems: string[] = [];
  for (const key of Object.keys(world)) {
    if (!CORE_KEYS.has(key) && !sections.includes(key)) problems.push(`${key}: unknown section (known: ${[...CORE_KEYS, ...sections].join(', ')})`);
  }
  problems.push(...crossCheck(world));
  if (problems.length) fail(file, problems);
  return world;
}

export function loadWorld(file: string, sections: readonly string[]): WorldFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read sandbox world file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseWorld(text, file, sections);
}

/** References between sections: regions named anywhere must be declared; health checks used by records must exist. */
export function crossCheck(world: WorldFile): string[] {
  const problems: string[] = [];
  const regions = new Set(world.regions);
  const region = (r: string, at: string) => {
    if (!regions.has(r)) problems.push(`${at}: region ${r} is not in regions (${world.regions.join(', ')})`);
  };
  world.faults.regionsDown.forEach((r, i) => region(r, `faults.regionsDown[${i}]`));
  world.faults.unhealthyApps.forEach((r, i) => region(r, `faults.unhealthyApps[${i}]`));
  const checks = new Set<string>();
  world.route53?.healthChecks.forEach((h, i) => {
    if (h.type !== 'CALCULATED' && h.watches !== undefined) region(h.watches, `route53.healthChecks[${i}].watches`);
    if (checks.has(h.id)) problems.push(`route53.healthChecks[${i}].id: duplicate id ${h.id}`);
    checks.add(h.id);
  });
  problems.push(...calculatedProblems(world));
  world.route53?.zones.forEach((z, zi) => {
    if (!z.name.endsWith('.')) problems.push(`route53.zones[${zi}].name: must end with a dot (${z.name}.)`);
    z.records.forEach((r, ri) => {
      const at = `route53.zones[${zi}].records[${ri}]`;
      if (r.healthCheckId && !checks.has(r.healthCheckId)) problems.push(`${at}.healthCheckId: no health check ${r.healthCheckId} in route53.healthChecks`);
      if (!r.alias && !r.values) problems.push(`${at}: needs values (or alias)`);
      if (r.alias && (r.values || r.ttl !== undefined)) problems.push(`${at}: alias records take no values or ttl`);
      if (r.values && r.ttl === undefined) problems.push(`${at}.ttl: required with values`);
      const routed = r.weight !== undefined || r.failover !== undefined || r.region !== undefined || r.multiValueAnswer !== undefined;
      if (routed && !r.setIdentifier) problems.push(`${at}.setIdentifier: required for weighted, failover, latency and multivalue records`);
      if (r.setIdentifier && !routed) problems.push(`${at}: setIdentifier given without a routing policy (weight, failover, region)`);
    });
  });
  const members = (list: unknown, at: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      (item as { members?: { region: string }[] }).members?.forEach((m, mi) => region(m.region, `${at}[${i}].members[${mi}].region`));
      const r = (item as { region?: string }).region;
      if (typeof r === 'string') region(r, `${at}[${i}].region`);
    });
  };
  members(world.aurora?.globalClusters, 'aurora.globalClusters');
  members(world.elasticache?.globalDatastores, 'elasticache.globalDatastores');
  members(world.ecs?.clusters, 'ecs.clusters');
  return problems;
}

/** A calculated check's children must exist, and no check may (through its children) include itself. */
function calculatedProblems(world: WorldFile): string[] {
  const problems: string[] = [];
  const byId = new Map((world.route53?.healthChecks ?? []).map((h) => [h.id, h]));
  const childrenOf = (id: string): string[] => {
    const h = byId.get(id);
    return h?.type === 'CALCULATED' ? h.childHealthChecks : [];
  };
  world.route53?.healthChecks.forEach((h, i) => {
    if (h.type !== 'CALCULATED') return;
    h.childHealthChecks.forEach((c, ci) => {
      if (!byId.has(c)) problems.push(`route53.healthChecks[${i}].childHealthChecks[${ci}]: no health check ${c} in route53.healthChecks`);
    });
    const seen = new Set<string>();
    const stack = [...h.childHealthChecks];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === h.id) {
        problems.push(`route53.healthChecks[${i}].childHealthChecks: ${h.id} includes itself through its children`);
        break;
      }
      if (!seen.has(id)) {
        seen.add(id);
        stack.push(...childrenOf(id));
      }
    }
  });
  return problems;
}
