// What route53.drain and route53.restore share: the topology's latency and failover records as read,
// the health check that takes each region out of DNS (its "lever"), which regions serve now, and what
// Route 53 answers (TestDNSAnswer).
//
// AWS, Route 53 developer guide:
// - "How Amazon Route 53 chooses records when health checking is configured"
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
//   A record with an unhealthy health check is skipped; a record without one is always healthy; when every
//   record of the group is unhealthy, Route 53 treats them all as healthy. A failover PRIMARY answers while
//   healthy, else the SECONDARY ("Failover routing", routing-policy-failover.html).
// - "Creating and updating health checks", calculated health checks: a CALCULATED check is healthy when at
//   least HealthThreshold of its ChildHealthChecks are (health-checks-creating-values.html#health-checks-creating-values-calculated;
//   API reference, HealthCheckConfig.HealthThreshold). Inverting a child that is healthy makes it count as
//   unhealthy ("Inverting health checks", health-checks-invert.html), so a parent over [application, control]
//   with threshold 2 goes unhealthy when the control child is inverted: the manual override AWS describes.
// - GetHealthCheckStatus cannot be used on CALCULATED checks (API reference; AWS-FACTS 2.2): the parent is
//   judged here from its children, and the answer itself is read with TestDNSAnswer.
import type { DnsAnswer, HealthCheckInfo, ReadAws, RecordSet, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { healthRoutedRecords } from '../config/records.js';
import { stepUsageError, type Check, type PlanContext, type StepContext } from './contract.js';
import { gatePasses, judgeCheck, type VerdictConfig } from './health-verdict.js';
import { route53Call } from './route53-down.js';
import { fqdn } from './route53-shift-plan.js';
import { optional, region, stepParams, type ParamEnv } from './params.js';

/** One latency or failover record group of the topology, as read. */
export interface RoutedRecord {
  key: string; // "api.example.com. A"
  name: string;
  type: string;
  kind: 'latency' | 'failover';
  primary?: Region;
  /** Each region's record exactly as read. */
  sets: Record<Region, RecordSet>;
  /** Other record sets of the same name and type (other policies, other identifiers): left alone. */
  leftAlone: string[];
  /**
   * What each region's record answers: its values, or for an alias to a record in the same zone that
   * record's values (Route 53 answers an alias with its target's records: "Choosing between alias and
   * non-alias records", resource-record-sets-choosing-alias-non-alias.html).
   */
  answers: Record<Region, string[]>;
}

/** The health check mr inverts to take a region out of DNS, as read at plan time. */
export interface Lever {
  region: Region;
  checkId: string;
  /** control: the control child of a CALCULATED parent; own: the records' own health check. */
  mode: 'control' | 'own';
  version: number;
  inverted: boolean;
  disabled: boolean;
}

export type RoutingData = {
  zoneId: string;
  /** The regions this step takes out of DNS (drain) or puts back (restore). */
  regions: Region[];
  records: RoutedRecord[];
  levers: Record<Region, Lever>;
  /** Each region's application check, for the restore gate and the serving judgement. */
  appChecks: Record<Region, string>;
  clientSubnets: Record<Region, string>;
};

export const routingParams = (env: ParamEnv) =>
  stepParams(
    { region: optional(region(env)), except: optional(region(env)) },
    { oneOf: ['region', 'except'], oneOfHint: 'a region, or every region except one' },
  );

/** The regions named by `region`, or every region of the topology's routed records but `except`. */
export function targetRegions(topology: Topology, p: { region?: Region; except?: Region }): Region[] {
  if (p.region !== undefined) return [p.region];
  const inRecords = new Set(healthRoutedRecords(topology).flatMap((r) => Object.keys(r.setIdentifiers)));
  return topology.regions.filter((r) => r !== p.except && inRecords.has(r));
}

const policyOf = (r: RecordSet): string =>
  r.weight !== undefined
    ? 'weighted'
    : r.region !== undefined
      ? 'latency'
      : r.failover !== undefined
        ? 'failover'
        : r.extra?.GeoLocation
          ? 'geolocation'
          : r.extra?.GeoProximityLocation
            ? 'geoproximity'
            : r.extra?.CidrRoutingConfig
              ? 'IP-based'
              : r.extra?.MultiValueAnswer
                ? 'multivalue'
                : 'simple';

export interface ReadRouting {
  data: RoutingData;
  checks: Check[];
  /** Configuration of every check read, by id. */
  configs: Record<string, HealthCheckInfo>;
}

/** Read the routed records and every region's lever; problems become failed checks. */
export async function readRouting(kind: string, id: string, p: { region?: Region; except?: Region }, ctx: PlanContext): Promise<ReadRouting> {
  const { topology, aws } = ctx;
  const r53cfg = topology.route53;
  if (!r53cfg) throw stepUsageError(kind, id, 'the topology has no route53 section');
  const r53 = aws.route53();
  const routed = healthRoutedRecords(topology);
  const regions = targetRegions(topology, p);
  const reads = await Promise.all(
    routed.map((rec) => route53Call(() => r53.readRecords(r53cfg.hostedZoneId, fqdn(rec.name), rec.type, Object.keys(rec.setIdentifiers).length + 2))),
  );
  const missing: string[] = [];
  const records: RoutedRecord[] = routed.map((rec, i) => {
    const name = fqdn(rec.name);
    const key = `${name} ${rec.type}`;
    const sets: Record<Region, RecordSet> = {};
    for (const [region, setId] of Object.entries(rec.setIdentifiers)) {
      const found = reads[i].find((r) => r.setIdentifier === setId);
      const want = rec.kind === 'latency' ? found?.region !== undefined : found?.failover === (region === rec.primary ? 'PRIMARY' : 'SECONDARY');
      if (!found) missing.push(`${key} has no record with SetIdentifier ${setId} (${region})`);
      else if (!want)
        missing.push(
          `${key} ${setId} (${region}) is not a ${rec.kind === 'latency' ? 'latency' : region === rec.primary ? 'failover PRIMARY' : 'failover SECONDARY'} record`,
        );
      else sets[region] = found;
    }
    const named = new Set(Object.values(rec.setIdentifiers));
    const leftAlone = reads[i]
      .filter((r) => !named.has(r.setIdentifier ?? ''))
      .map((r) => `${key}${r.setIdentifier ? ` ${r.setIdentifier}` : ''} (${policyOf(r)})`);
    return {
      key,
      name,
      type: rec.type,
      kind: rec.kind === 'failover' ? 'failover' : 'latency',
      ...(rec.primary ? { primary: rec.primary } : {}),
      sets,
      leftAlone,
      answers: {},
    };
  });
  for (const rec of records) {
    for (const [region, set] of Object.entries(rec.sets)) {
      const alias = set.aliasTarget;
      if (!alias) rec.answers[region] = set.values ?? [];
      else if (alias.hostedZoneId.replace(/^\/hostedzone\//, '') === r53cfg.hostedZoneId) {
        const target = await route53Call(() => r53.readRecords(r53cfg.hostedZoneId, fqdn(alias.dnsName), rec.type, 1));
        rec.answers[region] = target.find((t) => t.setIdentifier === undefined)?.values ?? [];
      } else rec.answers[region] = [];
    }
  }
  const checks: Check[] = [
    {
      name: 'latency and failover records found',
      passed: missing.length === 0,
      message: missing.length ? missing.join('; ') : `${records.length} latency/failover record groups read in zone ${r53cfg.hostedZoneId}`,
    },
  ];

  // Every region of a routed record gets its lever read: the serving judgement needs the others too.
  const allRegions = topology.regions.filter((r) => records.some((rec) => rec.sets[r]));
  const levers: Record<Region, Lever> = {};
  const configs: Record<string, HealthCheckInfo> = {};
  const read = async (checkId: string) => (configs[checkId] ??= await route53Call(() => r53.getHealthCheck(checkId)));
  const appChecks: Record<Region, string> = {};
  for (const region of allRegions) {
    const app = r53cfg.healthChecks[region];
    if (app) appChecks[region] = app;
    const control = r53cfg.controlHealthChecks?.[region];
    const recordChecks = [...new Set(records.filter((r) => r.sets[region]).map((r) => r.sets[region].healthCheckId))];
    if (recordChecks.includes(undefined)) {
      const names = records.filter((r) => r.sets[region] && !r.sets[region].healthCheckId).map((r) => r.key);
      checks.push({
        name: `${region} records have a health check`,
        passed: false,
        message: `${names.join(', ')} in ${region} has no health check: Route 53 always answers it, so it cannot be taken out of DNS`,
      });
      continue;
    }
    if (control) {
      const info = await read(control);
      for (const parentId of recordChecks as string[]) {
        const parent = await read(parentId);
        const ok = parent.config.type === 'CALCULATED' && (parent.config.childHealthChecks ?? []).includes(control);
        if (!ok) {
          const names = records.filter((r) => r.sets[region]?.healthCheckId === parentId).map((r) => r.key);
          checks.push({
            name: `${region} control check governs its records`,
            passed: false,
            message: `${names.join(', ')} in ${region}: health check ${parentId} is not a CALCULATED check over control check ${control}, so inverting the control check would not take the region out of DNS`,
          });
        }
      }
      levers[region] = { region, checkId: control, mode: 'control', version: info.version, inverted: info.config.inverted, disabled: info.config.disabled };
    } else {
      if (recordChecks.length > 1) {
        checks.push({
          name: `${region} records share one health check`,
          passed: false,
          message: `the ${region} records use different health checks (${recordChecks.join(', ')}) and there is no control check to invert for all of them`,
        });
        continue;
      }
      const own = recordChecks[0] ?? app;
      if (!own) continue;
      const info = await read(own);
      levers[region] = { region, checkId: own, mode: 'own', version: info.version, inverted: info.config.inverted, disabled: info.config.disabled };
    }
  }
  for (const region of regions) {
    if (!levers[region] && records.some((r) => r.sets[region]))
      checks.push({ name: `${region} can be taken out of DNS`, passed: false, message: `no health check to invert for ${region}` });
  }
  return { data: { zoneId: r53cfg.hostedZoneId, regions, records, levers, appChecks, clientSubnets: r53cfg.clientSubnets ?? {} }, checks, configs };
}

/** Route 53's verdict on an endpoint check (never a CALCULATED one), on evidence. */
async function endpointHealthy(aws: ReadAws, checkId: string, config: VerdictConfig): Promise<boolean> {
  const observations = await route53Call(() => aws.route53().getHealthCheckStatus(checkId));
  return gatePasses(judgeCheck(config, observations));
}

/**
 * The regions that serve now: the application check healthy and the lever not taking it out. The
 * application check is judged as configured; with no observations it does not count (the safer
 * reading: a region is not relied on to serve on no evidence).
 */
export async function servingRegions(aws: ReadAws, data: RoutingData, configs: Record<string, HealthCheckInfo>): Promise<Set<Region>> {
  const out = new Set<Region>();
  for (const [region, lever] of Object.entries(data.levers)) {
    const app = data.appChecks[region] ?? lever.checkId;
    const appInfo = configs[app] ?? (await route53Call(() => aws.route53().getHealthCheck(app)));
    if (!(await endpointHealthy(aws, app, appInfo.config))) continue;
    if (lever.checkId !== app && !(await endpointHealthy(aws, lever.checkId, { inverted: lever.inverted, disabled: lever.disabled }))) continue;
    out.add(region);
  }
  return out;
}

/** Whether the region's application answers its check, before any inversion mr made. */
export async function applicationHealthy(aws: ReadAws, data: RoutingData, region: Region): Promise<{ healthy: boolean; checkId: string }> {
  const checkId = data.appChecks[region] ?? data.levers[region]?.checkId;
  const info = await route53Call(() => aws.route53().getHealthCheck(checkId));
  // In "own" mode the application check is the lever: judged raw, as it stands before mr inverted it.
  const own = data.levers[region]?.mode === 'own' && data.levers[region].checkId === checkId;
  return { healthy: await endpointHealthy(aws, checkId, { inverted: own ? false : info.config.inverted, disabled: info.config.disabled }), checkId };
}

const norm = (v: string) => v.toLowerCase().replace(/\.$/, '');

/** The region whose record answers `answer`, when the answer names one record's values. */
export function answeringRegion(rec: RoutedRecord, answer: DnsAnswer): Region | undefined {
  const got = new Set(answer.data.map(norm));
  for (const region of Object.keys(rec.sets)) {
    const values = rec.answers[region] ?? [];
    if (values.length > 0 && values.every((v) => got.has(norm(v)))) return region;
  }
  return undefined;
}

/** Ask Route 53 what a client near `near` gets for the record (no subnet: its default us-east-1 resolver). */
export async function askRoute53(aws: ReadAws, data: RoutingData, rec: RoutedRecord, near?: Region): Promise<{ region?: Region; answer: DnsAnswer }> {
  const subnet = near === undefined ? undefined : data.clientSubnets[near];
  const answer = await route53Call(() => aws.route53().testDnsAnswer(data.zoneId, rec.name, rec.type, subnet ? { clientSubnet: subnet } : {}));
  return { region: answeringRegion(rec, answer), answer };
}

/** The answer each record must give once the step is done; undefined where no answer shows it. */
export interface Expectation {
  rec: RoutedRecord;
  near?: Region;
  /** The answer must come from this region (restore), or must not come from any of `not` (drain). */
  from?: Region;
  not?: Region[];
  text: string;
}

/** Poll TestDNSAnswer until every expectation holds; reports "a client near X now gets Y". */
export async function waitForAnswers(ctx: StepContext, data: RoutingData, all: Expectation[]): Promise<void> {
  // An alias to another zone (a load balancer, say) answers values mr cannot tie to a region: not proven here.
  const unknown = all.filter((e) => Object.keys(e.rec.sets).some((r) => (e.rec.answers[r] ?? []).length === 0));
  if (unknown.length) ctx.report(`answers of ${[...new Set(unknown.map((e) => e.rec.key))].join(', ')} not checked: an alias outside the zone names no region`);
  const expectations = all.filter((e) => !unknown.includes(e));
  if (expectations.length === 0) return;
  await ctx.waitFor(
    `Route 53 to answer ${expectations.map((e) => e.text).join('; ')}`,
    async () => {
      const off: string[] = [];
      const seen: string[] = [];
      for (const e of expectations) {
        const { region, answer } = await askRoute53(ctx.aws, data, e.rec, e.near);
        const ok = region !== undefined && (e.from === undefined || region === e.from) && !(e.not ?? []).includes(region);
        const who = e.near ? `a client near ${e.near}` : `Route 53's default resolver`;
        const line = `${e.rec.key}: ${who} gets ${region ?? `${answer.data.join(',') || answer.responseCode}`}`;
        (ok ? seen : off).push(line);
      }
      return { done: off.length === 0, detail: off.length ? off.join('; ') : seen.join('; ') };
    },
    { intervalMs: Math.max(1000, ctx.topology.timeouts.pollMs) },
  );
}
