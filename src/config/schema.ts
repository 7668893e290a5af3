// The topology file: which regions, and which resources in each. The one source of truth for
// its shape; `mr config schema` prints it as JSON Schema.
import { z } from 'zod';
import { parseDuration } from '../util/duration.js';

const regionName = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region name such as us-east-1');

/** A map keyed by region name. Keys are checked against `regions` in refine() below. */
const perRegion = <T extends z.ZodType>(value: T) => z.record(z.string(), value);
/** One identifier, or a list of them (the first is the original, later ones are names for a rebuild). */
const idList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

// The file's short form (one unit, no hours); util/duration parses it, and more.
const duration = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+(ms|s|m)$/, 'a duration such as 500ms, 5s or 2m')])
  .describe('milliseconds as a number, or a string such as 500ms, 5s, 2m');

/** Milliseconds of a duration the schema above accepted. */
const ms = (d: number | string): number => parseDuration(d) ?? 0;

// Routing policies mr moves (Route 53 developer guide, "Choosing a routing policy",
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy.html): weighted records are moved by
// their weights (route53.shift); latency and failover records by their health checks (route53.drain/restore),
// since Route 53 answers them with the nearest healthy region, or PRIMARY while it is healthy
// ("How Amazon Route 53 chooses records when health checking is configured",
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html).
export const recordSchema = z.strictObject({
  kind: z
    .enum(['weighted', 'latency', 'failover'])
    .default('weighted')
    .describe('weighted (default): moved by weight; latency or failover: moved by health check'),
  name: z.string().min(1).describe('record name; a trailing dot is added if missing'),
  type: z.enum(['A', 'AAAA', 'CNAME', 'TXT']).default('A'),
  setIdentifiers: perRegion(z.string().min(1).max(128)).describe(
    'the SetIdentifier of this record in each region: every region for weighted, two or more for latency, exactly two (primary and secondary) for failover',
  ),
  primary: regionName.optional().describe('failover records: the region of the PRIMARY record; the other region holds the SECONDARY'),
});

/** A plain CNAME that applications use for the data tier, pointed at the new primary by route53.point. */
export const followSchema = z.strictObject({
  name: z.string().min(1).describe('the CNAME record, e.g. db.<zone>'),
  follows: z
    .enum(['aurora', 'elasticache', 'rds', 'rds-cluster'])
    .describe(
      "aurora: the writer cluster's endpoint; elasticache: the primary replication group's primary endpoint; rds: the target's DB instance endpoint (its replica, which keeps its endpoint when promoted); rds-cluster: the cluster endpoint of the target's rds.clusters replica cluster (kept when promoted)",
    ),
});

export const topologySchema = z
  .strictObject({
    version: z.literal(1),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
      .describe('names the topology; one run at a time per name'),
    regions: z.array(regionName).min(2, 'at least two regions').max(16),
    timeouts: z
      .strictObject({
        read: duration.default('4s').describe('a region whose reads take longer is shown as unreachable'),
        verify: duration.default('15m').describe('how long a step may wait for its change to converge'),
        poll: duration.default('2s').describe('how often convergence is polled'),
        approval: duration.default('10m').describe('how long an approval prompt waits for an answer before giving up (and releasing the lock)'),
        // AWS states no time for the global writer endpoint to follow a switchover or failover (Aurora user
        // guide, aurora-global-database-connecting.html); its DNS TTL is 5 s (src/steps/aurora-writer-endpoint.ts).
        writerEndpoint: duration
          .default('60s')
          .describe('how long verify waits for the Aurora global writer endpoint to name the new writer before warning that it does not'),
        // How long each operation typically takes: a wait polls sparsely until near this, densely around
        // it, then backs off (src/engine/poll-schedule.ts). Without one, a wait polls every `poll`.
        expected: z
          .strictObject({
            // "Changes generally propagate to all Route 53 name servers within 60 seconds" (API reference,
            // GetChange; AWS-FACTS 2.x): the INSYNC wait of one change batch.
            route53Sync: duration.default('60s'),
            // AWS gives no figure precise enough to plan polls on (AWS-FACTS 3.x "in the order of minutes",
            // 4.x "not stated"); the safer reading is none, i.e. poll every interval, unless set here.
            auroraSwitchover: duration.optional(),
            auroraFailover: duration.optional(),
            redisFailover: duration.optional(),
            ecsStart: duration.optional(),
          })
          .prefault({})
          .describe('typical duration of each operation mr waits on; spaces the polls'),
      })
      // Milliseconds once, at load: code reads readMs/verifyMs/pollMs/approvalMs/writerEndpointMs; the written values stay as written.
      .transform((t) => ({
        ...t,
        readMs: ms(t.read),
        verifyMs: ms(t.verify),
        pollMs: ms(t.poll),
        approvalMs: ms(t.approval),
        writerEndpointMs: ms(t.writerEndpoint),
      }))
      .prefault({}),
    requireApproval: z
      .enum(['any', 'destructive', 'never'])
      .default('any')
      .describe(
        'which plans ask before applying: any change (default), only disruptive or data-loss changes, or never (as --yes); --require-approval overrides',
      ),
    cutLagMarginMs: z
      .number()
      .int()
      .positive()
      .max(86_400_000)
      .default(30_000)
      .describe(
        'an unplanned cut (aurora.failover, rds.promote-replica) whose replication lag, read just before the cut, exceeds the data at risk the operator approved by more than this asks again (refused under --yes)',
      ),
    route53: z
      .strictObject({
        hostedZoneId: z.string().min(1),
        records: z.array(recordSchema).min(1),
        healthChecks: perRegion(z.string().min(1)).describe("the health check id watching each region's application (an endpoint check, not a CALCULATED one)"),
        controlHealthChecks: perRegion(z.string().min(1))
          .optional()
          .describe(
            "per region, the control check of a CALCULATED parent (the records' health check) over the application check and this one: route53.drain inverts it; without one, drain inverts the records' own check",
          ),
        minServingRegions: z.number().int().min(1).max(16).default(1).describe('route53.drain refuses to leave fewer regions serving a latency record'),
        clientSubnets: perRegion(z.ipv4().or(z.ipv6()))
          .optional()
          .describe('an address of a client near each region (EDNS0 client subnet for TestDNSAnswer): verifies latency answers per region'),
        names: z.array(followSchema).optional().describe('CNAMEs that follow the data tier (route53.point)'),
        lockRecord: z.string().optional().describe('TXT record name that holds the run lock; default _mr-lock.<topology name>.<zone>'),
        // Route 53 quotas: "Five requests per second per AWS account"; AWS can raise it on request
        // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests).
        rateLimit: z
          .strictObject({
            rate: z.number().positive().max(1000).default(5).describe('Route 53 requests per second this account allows'),
            burst: z.number().int().positive().max(1000).optional().describe('requests that may start together; default the rate'),
          })
          .optional()
          .describe('pace every Route 53 call of one mr process to this; default 5 req/s, burst 5'),
      })
      .optional(),
    aurora: z
      .strictObject({
        globalClusterId: z.string().min(1),
        clusters: perRegion(z.string().min(1)).describe('the member DB cluster identifier in each region'),
        maxLagMs: z.number().int().positive().default(1000).describe('refuse a planned switchover when the target lags more'),
      })
      .optional(),
    // RDS DB instances with cross-region read replicas (RDS user guide, "Working with DB instance read
    // replicas", USER_ReadRepl.html). Roles are read live: which instance is the primary and which a replica
    // of which is what DescribeDBInstances says, not what this file says.
    // Aurora DB clusters that replicate across regions without a global database (Aurora MySQL cross-Region
    // read replicas, "Replicating Amazon Aurora MySQL DB clusters across AWS Regions",
    // AuroraMySQL.Replication.CrossRegion.html): DescribeDBClusters' ReplicationSourceIdentifier says which is which.
    rds: z
      .strictObject({
        instances: perRegion(idList)
          .default({})
          .describe(
            'the DB instance identifier in each region; a list when a replica is rebuilt there under a new name (the first is the original; rds.create-replica uses the first that does not exist)',
          ),
        clusters: perRegion(idList)
          .optional()
          .describe(
            'the DB cluster identifier in each region, for Aurora clusters replicating across regions without a global database (a cross-region read replica cluster, ReplicationSourceIdentifier); rds.promote-replica-cluster promotes it',
          ),
        maxLagMs: z.number().int().positive().default(60_000).describe('ReplicaLag above this is a finding, and refuses a planned switch back'),
        // CreateDBCluster KmsKeyId: "If you create a read replica of an encrypted DB cluster in another Amazon Web
        // Services Region, make sure to set KmsKeyId to a KMS key identifier that is valid in the destination" (API reference).
        kmsKeyIds: perRegion(z.string().min(1))
          .optional()
          .describe(
            'the KMS key (key id, key ARN, alias name or alias ARN) in each region that a read replica cluster rds.create-replica-cluster builds there is encrypted with; needed when the source cluster is encrypted',
          ),
      })
      .optional(),
    elasticache: z
      .strictObject({
        globalReplicationGroupId: z.string().min(1),
        replicationGroups: perRegion(z.string().min(1)),
      })
      .optional(),
    ecs: perRegion(
      z.strictObject({
        cluster: z.string().min(1),
        services: z
          .array(
            z.strictObject({
              name: z.string().min(1),
              capacity: z.number().int().min(0).max(10000).describe('desired count when this region takes the traffic'),
              baseline: z
                .strictObject({
                  desired: z.number().int().min(0).max(10000),
                  min: z.number().int().min(0).max(10000),
                  max: z.number().int().min(0).max(10000),
                })
                .refine((b) => b.min <= b.desired && b.desired <= b.max, { message: 'expected min <= desired <= max' })
                .optional()
                .describe("the standby's desired count and Application Auto Scaling bounds, put back by ecs.scale baseline: true (playbooks/standby.yaml)"),
              writer: z
                .boolean()
                .optional()
                .describe('it writes to the primary database: an unplanned failover scales it to 0 in the old primary region (ecs.fence)'),
            }),
          )
          .min(1),
      }),
    ).optional(),
  })
  .superRefine((t, ctx) => {
    const known = new Set(t.regions);
    const check = (map: Record<string, unknown> | undefined, path: (string | number)[], required: boolean) => {
      if (!map) return;
      for (const key of Object.keys(map)) {
        if (!known.has(key)) ctx.addIssue({ code: 'custom', path: [...path, key], message: `region "${key}" is not in regions (${t.regions.join(', ')})` });
      }
      if (required) {
        for (const r of t.regions) {
          if (!(r in map)) ctx.addIssue({ code: 'custom', path, message: `missing an entry for region "${r}"` });
        }
      }
    };
    // Below these floors a timeout is a typo (5 for 5s), not a setting: every read would time out,
    // polls would hammer the APIs (Route 53 allows 5 requests/s per account), and no change converges in under 10 s.
    const floors: [keyof typeof t.timeouts, number, string][] = [
      ['read', 100, '100ms'],
      ['poll', 100, '100ms'],
      ['verify', 10_000, '10s'],
      ['approval', 1000, '1s'],
    ];
    for (const [key, min, shown] of floors) {
      const v = t.timeouts?.[key];
      // A value that is not a duration at all is reported by its own rule; only real durations are compared.
      const d = duration.safeParse(v);
      if (v !== undefined && d.success && ms(d.data) < min)
        ctx.addIssue({ code: 'custom', path: ['timeouts', key], message: `at least ${shown} (got ${String(t.timeouts[key])})` });
    }
    if (new Set(t.regions).size !== t.regions.length) ctx.addIssue({ code: 'custom', path: ['regions'], message: 'regions must not repeat' });
    t.route53?.records.forEach((r, i) => {
      const path = ['route53', 'records', i];
      check(r.setIdentifiers, [...path, 'setIdentifiers'], r.kind === 'weighted');
      const count = Object.keys(r.setIdentifiers).length;
      if (r.kind === 'latency' && count < 2)
        ctx.addIssue({ code: 'custom', path: [...path, 'setIdentifiers'], message: 'a latency record needs the set identifiers of two or more regions' });
      if (r.kind === 'failover') {
        if (count !== 2)
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'setIdentifiers'],
            message: 'a failover record has exactly two set identifiers: its primary and its secondary region',
          });
        if (r.primary === undefined) ctx.addIssue({ code: 'custom', path: [...path, 'primary'], message: 'a failover record names its primary region' });
        else if (!(r.primary in r.setIdentifiers))
          ctx.addIssue({ code: 'custom', path: [...path, 'primary'], message: `"${r.primary}" has no entry in setIdentifiers` });
      } else if (r.primary !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'primary'], message: 'only failover records have a primary region' });
    });
    check(t.route53?.controlHealthChecks, ['route53', 'controlHealthChecks'], false);
    check(t.route53?.clientSubnets, ['route53', 'clientSubnets'], false);
    if (t.route53 && t.regions.length >= 2 && t.route53.minServingRegions > t.regions.length) {
      ctx.addIssue({ code: 'custom', path: ['route53', 'minServingRegions'], message: `at most the number of regions (${t.regions.length})` });
    }
    check(t.route53?.healthChecks, ['route53', 'healthChecks'], true);
    check(t.aurora?.clusters, ['aurora', 'clusters'], true);
    check(t.elasticache?.replicationGroups, ['elasticache', 'replicationGroups'], true);
    // A topology with only clusters has no instances to list; one that lists instances lists every region.
    if (t.rds && (Object.keys(t.rds.instances).length > 0 || !t.rds.clusters)) check(t.rds.instances, ['rds', 'instances'], true);
    check(t.rds?.clusters, ['rds', 'clusters'], true);
    check(t.ecs, ['ecs'], false);
  });

export type Topology = z.output<typeof topologySchema>;
export type TopologyRecord = z.output<typeof recordSchema>;
export type TopologyFollow = z.output<typeof followSchema>;

// Re-exported for existing importers; new code imports them from records.ts (no zod).
export { healthRoutedRecords, weightedRecords } from './records.js';
