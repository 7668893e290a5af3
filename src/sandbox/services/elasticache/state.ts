// ElastiCache Global Datastores as clock-driven state: a failover is stored with its simulated start and
// end, and the roles swap once the clock passes the end (settled lazily on every request).
import { z } from 'zod';
import type { ServiceContext } from '../../contract.js';
import { parseSection, sectionError } from '../section.js';

const sectionSchema = z.object({
  globalDatastores: z
    .array(
      z.object({
        id: z.string().min(1),
        engine: z.string().default('valkey'),
        engineVersion: z.string().optional(),
        cacheNodeType: z.string().default('cache.r7g.large'),
        description: z.string().optional(),
        members: z
          .array(
            z.object({
              region: z.string(),
              replicationGroupId: z.string().min(1),
              primary: z.boolean().optional(),
              // Steady replication lag while it is a secondary (ms); false: no lag datapoints in CloudWatch.
              lagMs: z.number().nonnegative().optional(),
              publishesLag: z.boolean().optional(),
            }),
          )
          .min(1),
      }),
    )
    .default([]),
});

export interface DatastoreMemberState {
  region: string;
  replicationGroupId: string;
  lagMs?: number;
  publishesLag?: boolean;
}

export interface DatastoreFailover {
  from: string;
  to: string;
  startedAt: number;
  endsAt: number;
}

export interface DatastoreState {
  id: string;
  engine: string;
  engineVersion: string;
  cacheNodeType: string;
  description: string;
  members: DatastoreMemberState[];
  primary: string; // replication group id
  failover?: DatastoreFailover;
}

export interface ElastiCacheState {
  globalDatastores: DatastoreState[];
}

export function initElastiCache(section: unknown, ctx: ServiceContext): ElastiCacheState {
  const parsed = parseSection(sectionSchema, section, 'elasticache');
  return {
    globalDatastores: parsed.globalDatastores.map((d, i) => {
      const primaries = d.members.filter((m) => m.primary);
      if (primaries.length !== 1) throw sectionError(`elasticache.globalDatastores[${i}]`, `exactly one member must be primary`);
      for (const m of d.members) {
        if (!ctx.regions.includes(m.region)) throw sectionError(`elasticache.globalDatastores[${i}]`, `region ${m.region} is not in the world's regions`);
      }
      return {
        id: d.id,
        engine: d.engine,
        engineVersion: d.engineVersion ?? (d.engine === 'valkey' ? '8.0' : '7.1'),
        cacheNodeType: d.cacheNodeType,
        description: d.description ?? `Global datastore ${d.id}`,
        members: d.members.map((m) => ({
          region: m.region,
          replicationGroupId: m.replicationGroupId,
          ...(m.lagMs !== undefined ? { lagMs: m.lagMs } : {}),
          ...(m.publishesLag !== undefined ? { publishesLag: m.publishesLag } : {}),
        })),
        primary: primaries[0].replicationGroupId,
      };
    }),
  };
}

export function settleDatastores(state: ElastiCacheState, ctx: ServiceContext): void {
  const now = ctx.now();
  for (const d of state.globalDatastores) {
    if (d.failover && now >= d.failover.endsAt) {
      d.primary = d.failover.to;
      delete d.failover;
    }
  }
}

/** ⚠ API status strings are lowercase by analogy with the documented `creating`. */
export function datastoreStatus(d: DatastoreState): 'available' | 'modifying' {
  return d.failover ? 'modifying' : 'available';
}

export function memberRole(d: DatastoreState, replicationGroupId: string): 'PRIMARY' | 'SECONDARY' {
  return d.primary === replicationGroupId ? 'PRIMARY' : 'SECONDARY';
}
