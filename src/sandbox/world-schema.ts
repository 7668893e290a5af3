// The sandbox world file (src/sandbox/worlds/demo/world.yaml is the reference). The core validates the
// whole file so a typo fails at start with the file and the path, not as a confusing AWS error
// later. Service sections other than route53 are validated loosely (extra fields pass through)
// because their modules own their meaning.
import { z } from 'zod';

const regionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region name such as us-east-1');

export const RECORD_TYPES = [
  'SOA',
  'A',
  'TXT',
  'NS',
  'CNAME',
  'MX',
  'NAPTR',
  'PTR',
  'SRV',
  'SPF',
  'AAAA',
  'CAA',
  'DS',
  'TLSA',
  'SSHFP',
  'SVCB',
  'HTTPS',
] as const;

export const worldRecordSchema = z
  .object({
    name: z.string().min(1),
    type: z.enum(RECORD_TYPES),
    setIdentifier: z.string().min(1).max(128).optional(),
    weight: z.number().int().min(0).max(255).optional(),
    failover: z.enum(['PRIMARY', 'SECONDARY']).optional(),
    region: regionName.optional(),
    multiValueAnswer: z.boolean().optional(),
    ttl: z.number().int().min(0).max(2147483647).optional(),
    values: z.array(z.string().min(1)).min(1).optional(),
    alias: z
      .object({ hostedZoneId: z.string().min(1), dnsName: z.string().min(1), evaluateTargetHealth: z.boolean().default(false) })
      .strict()
      .optional(),
    healthCheckId: z.string().max(64).optional(),
  })
  .strict();

export const worldZoneSchema = z
  .object({
    id: z.string().regex(/^[A-Z0-9]+$/, 'expected a bare hosted zone id such as Z0MRDEMO0000001'),
    name: z.string().min(1),
    comment: z.string().optional(),
    privateZone: z.boolean().default(false),
    records: z.array(worldRecordSchema).default([]),
    /** Extra simple A records filler-NNNNN.<zone>, for benchmarks on big zones. */
    fillerRecords: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/**
 * An endpoint health check. `watches` names the region whose application it probes: it fails when that
 * region is down or its app unhealthy. Without `watches` it probes an endpoint that always answers: the
 * shape of a CONTROL check, which an operator inverts to force its CALCULATED parent unhealthy.
 */
export const worldEndpointCheckSchema = z
  .object({
    id: z.string().min(1).max(64),
    watches: regionName.optional(),
    type: z.enum(['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP']),
    fqdn: z.string().optional(),
    ipAddress: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    resourcePath: z.string().optional(),
    searchString: z.string().optional(),
    requestInterval: z.union([z.literal(10), z.literal(30)]).default(30),
    failureThreshold: z.number().int().min(1).max(10).default(3),
    inverted: z.boolean().default(false),
    disabled: z.boolean().default(false),
  })
  .strict();

/**
 * A CALCULATED health check: healthy when at least `healthThreshold` of `childHealthChecks` are
 * (HealthCheckConfig.HealthThreshold and ChildHealthChecks, Route 53 API reference: 0 to 256 children;
 * a threshold of 0 is always healthy, one above the number of children never).
 */
export const worldCalculatedCheckSchema = z
  .object({
    id: z.string().min(1).max(64),
    type: z.literal('CALCULATED'),
    childHealthChecks: z.array(z.string().min(1).max(64)).max(256),
    healthThreshold: z.number().int().min(0).max(256),
    inverted: z.boolean().default(false),
    disabled: z.boolean().default(false),
  })
  .strict();

export const worldHealthCheckSchema = z.discriminatedUnion('type', [worldEndpointCheckSchema, worldCalculatedCheckSchema]);

export const injectedErrorSchema = z
  .object({
    service: z.string().min(1),
    operation: z.string().min(1),
    code: z.string().min(1),
    message: z.string().default('Injected by the sandbox'),
    status: z.number().int().min(400).max(599).default(400),
    count: z.number().int().min(1).default(1),
  })
  .strict();

const faultFields = {
  regionsDown: z.array(regionName),
  unhealthyApps: z.array(regionName),
  route53ControlPlaneDown: z.boolean(),
  route53RateLimit: z.number().min(0),
  latencyMs: z.number().int().min(0),
  latency: z.record(z.string(), z.number().int().min(0)),
  errors: z.array(injectedErrorSchema),
  /** The next N accepted Route 53 change batches are stranded: answered PENDING, never applied, their id unknown to GetChange. */
  strandedChanges: z.number().int().min(0),
  /** The Aurora global writer endpoint's CNAME names the writer of this long ago (simulated ms; 0: none). */
  dnsLagMs: z.number().int().min(0),
  /** Things a fault has taken away in one region: image:<region>:<repository>:<tag>, secret-replica:<region>:<secret>. */
  removed: z.array(
    z.string().regex(/^(image:[a-z0-9-]+:[^:]+:[^:]+|secret-replica:[a-z0-9-]+:.+)$/, 'image:<region>:<repository>:<tag> or secret-replica:<region>:<secret>'),
  ),
};

/** Fault settings as written in the world file (every key optional there, with these defaults). */
export const faultSettingsSchema = z
  .object({
    regionsDown: faultFields.regionsDown.default([]),
    unhealthyApps: faultFields.unhealthyApps.default([]),
    route53ControlPlaneDown: faultFields.route53ControlPlaneDown.default(false),
    route53RateLimit: faultFields.route53RateLimit.default(0),
    latencyMs: faultFields.latencyMs.default(0),
    latency: faultFields.latency.default({}),
    errors: faultFields.errors.default([]),
    strandedChanges: faultFields.strandedChanges.default(0),
    dnsLagMs: faultFields.dnsLagMs.default(0),
    removed: faultFields.removed.default([]),
  })
  .strict();

/** PATCH /_sandbox/faults: only the given keys change (no defaults, so absent keys stay absent). */
export const faultPatchSchema = z.object(faultFields).partial().strict();

const durationsSchema = z
  .object({
    auroraSwitchover: z.number().min(0).default(60),
    auroraFailover: z.number().min(0).default(45),
    datastoreFailover: z.number().min(0).default(50),
    dnsPropagation: z.number().min(0).default(30),
    taskStart: z.number().min(0).default(20),
    healthCheckInterval: z.number().min(0).default(10),
    // "several minutes or longer" (RDS user guide, USER_ReadRepl.Promote.html).
    rdsPromote: z.number().min(0).default(240),
    // ⚠ Not stated by AWS (a snapshot copied across regions, then restored): 15 minutes.
    rdsCreateReplica: z.number().min(0).default(900),
    // Rebuilding a secondary after an unplanned Aurora failover: "a few minutes to several hours" (Aurora
    // user guide, aurora-global-database-disaster-recovery.html). Absent: twice auroraFailover.
    auroraRebuild: z.number().min(0).optional(),
  })
  .strict();

const memberRegion = z.looseObject({ region: regionName });

export const worldSchema = z
  .object({
    account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
    regions: z.array(regionName).min(1),
    durations: durationsSchema.default(durationsSchema.parse({})),
    route53: z
      .object({
        zones: z.array(worldZoneSchema).default([]),
        healthChecks: z.array(worldHealthCheckSchema).default([]),
      })
      .strict()
      .optional(),
    aurora: z.looseObject({ globalClusters: z.array(z.looseObject({ id: z.string().min(1), members: z.array(memberRegion).min(1) })) }).optional(),
    elasticache: z.looseObject({ globalDatastores: z.array(z.looseObject({ id: z.string().min(1), members: z.array(memberRegion).min(1) })) }).optional(),
    ecs: z.looseObject({ clusters: z.array(z.looseObject({ region: regionName, name: z.string().min(1) })) }).optional(),
    faults: faultSettingsSchema.default(faultSettingsSchema.parse({})),
  })
  // Loose so a service module can own a section the core does not know; world.ts rejects keys
  // that no module claims.
  .loose();

export type WorldFile = z.infer<typeof worldSchema>;
export type WorldRecord = z.infer<typeof worldRecordSchema>;
export type WorldZone = z.infer<typeof worldZoneSchema>;
export type WorldHealthCheck = z.infer<typeof worldHealthCheckSchema>;
export type WorldEndpointCheck = z.infer<typeof worldEndpointCheckSchema>;
export type WorldCalculatedCheck = z.infer<typeof worldCalculatedCheckSchema>;
export type FaultSettings = z.infer<typeof faultSettingsSchema>;
export type FaultPatch = z.infer<typeof faultPatchSchema>;
export type InjectedError = z.infer<typeof injectedErrorSchema>;
