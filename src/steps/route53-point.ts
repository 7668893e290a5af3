// route53.point: the CNAMEs applications use for the data tier (route53.names) follow it to the target
// region: UPSERT each to the endpoint read from the live resource, every other field (TTL first) as read,
// wait until Route 53 reports the change INSYNC, then check TestDNSAnswer names the new endpoint.
// ElastiCache Global Datastore has no global endpoint: AWS's guidance after a promotion is to point the
// application at the new primary's endpoint (ElastiCache user guide, "Promoting the secondary cluster to
// primary", Redis-Global-Datastores-Console.html). Aurora: the target member's cluster endpoint is the
// writer endpoint once it is the primary (Aurora user guide, aurora-global-database-connecting.html).
// UPSERT replaces the whole record set (API reference, ChangeResourceRecordSets); GetChange PENDING -> INSYNC.
import type { RecordSet, Region } from '../aws/types.js';
import type { TopologyFollow } from '../config/schema.js';
import { FailedError } from '../io/errors.js';
import { defineStep, stepUsageError, type Change, type Check, type PlanContext, type PlannedStep, type StepContext } from './contract.js';
import { region, stepParams, type ParamEnv } from './params.js';
import { route53Call } from './route53-down.js';
import { fqdn } from './route53-shift-plan.js';
import { liveClusters, liveInstances, promotedEarlier } from './rds-common.js';

interface Pointer {
  name: string;
  follows: TopologyFollow['follows'];
  record?: RecordSet;
  endpoint?: string;
}

type PointData = { zoneId: string; target: Region; pointers: Pointer[] };

const norm = (v: string) => v.toLowerCase().replace(/\.$/, '');

/** The endpoint of the target region's member: the one the CNAME must name once the data has moved. */
async function endpointOf(ctx: PlanContext, follows: Pointer['follows'], target: Region): Promise<string | undefined> {
  const t = ctx.topology;
  if (follows === 'aurora') return t.aurora ? (await ctx.aws.rds(target).readDbCluster(t.aurora.clusters[target])).endpoint : undefined;
  if (follows === 'rds') return t.rds ? (await rdsInstanceOf(ctx, target))?.endpoint : undefined;
  if (follows === 'rds-cluster') return t.rds?.clusters ? (await rdsClusterOf(ctx, target))?.endpoint : undefined;
  return t.elasticache ? (await ctx.aws.elasticache(target).readReplicationGroup(t.elasticache.replicationGroups[target])).endpoint : undefined;
}

/**
 * The target region's RDS instance the name follows: its read replica (a DB instance keeps its endpoint when
 * promoted, "Promoting a read replica to be a standalone DB instance", USER_ReadRepl.Promote.html), else the
 * newest of the topology's identifiers that exists there (a rebuilt replica comes after the original).
 */
async function rdsInstanceOf(ctx: PlanContext, target: Region) {
  const live = await liveInstances(ctx.aws.rds(target), ctx.topology.rds?.instances[target] ?? []);
  return live.find((i) => i.source) ?? live[live.length - 1];
}

/** The same for rds.clusters: a cluster's endpoint stays with it when it is promoted (PromoteReadReplicaDBCluster). */
async function rdsClusterOf(ctx: PlanContext, target: Region) {
  const live = await liveClusters(ctx.aws.rds(target), ctx.topology.rds?.clusters?.[target] ?? []);
  return live.find((c) => c.source) ?? live[live.length - 1];
}

/** Where the data's primary is now, read in the target region (the old primary's may be down). */
async function primaryRegion(ctx: PlanContext, follows: Pointer['follows'], target: Region): Promise<Region | undefined> {
  const t = ctx.topology;
  if (follows === 'aurora') return (await ctx.aws.rds(target).readGlobalCluster(t.aurora!.globalClusterId)).members.find((m) => m.isWriter)?.region;
  if (follows === 'rds') {
    const i = await rdsInstanceOf(ctx, target);
    return i && !i.source ? target : i?.source?.region;
  }
  if (follows === 'rds-cluster') {
    const c = await rdsClusterOf(ctx, target);
    return c && !c.source ? target : c?.source?.region;
  }
  return (await ctx.aws.elasticache(target).readGlobalDatastore(t.elasticache!.globalReplicationGroupId)).members.find((m) => m.role === 'PRIMARY')?.region;
}

async function waitInSync(ctx: StepContext, changeId: string, what: string): Promise<void> {
  if (changeId === '') return;
  const r53 = ctx.aws.route53();
  await ctx.waitFor(
    `Route 53 change ${changeId} (${what}) to reach INSYNC`,
    async () => {
      const c = await route53Call(() => r53.getChange(changeId));
      return { done: c.status === 'INSYNC', detail: `change ${changeId} ${c.status}` };
    },
    // Route 53 allows 5 requests a second per account: polled no more than once a second.
    { intervalMs: Math.max(1000, ctx.topology.timeouts.pollMs) },
  );
}

async function apply(step: PlannedStep<PointData>, ctx: StepContext): Promise<void> {
  const { zoneId, target } = step.data;
  const r53 = ctx.aws.route53();
  for (const p of step.data.pointers) {
    if (!p.record || !p.endpoint || norm(p.record.values?.[0] ?? '') === norm(p.endpoint)) continue;
    // Never point applications at a replica: the data must have moved first (the playbook's data stage).
    const now = await primaryRegion(ctx, p.follows, target);
    if (now !== target) throw new FailedError(`${p.name} not pointed at ${target}: the ${p.follows} primary is in ${now ?? 'no region'}, not ${target}`);
    const record: RecordSet = { ...p.record, values: [p.endpoint] };
    const comment = `mr run ${ctx.runId} step ${step.id}: ${p.name} follows ${p.follows} to ${target}`;
    ctx.report(`pointing ${p.name} at ${p.endpoint}`);
    const info = await route53Call(() =>
      ctx.mutating.route53().changeRecords(zoneId, [{ action: 'UPSERT', record }], comment, {
        // Answer lost: the record reading as written means the change was accepted (its id is lost with the answer).
        reconcile: async () => {
          const read = await r53.readRecords(zoneId, p.name, 'CNAME');
          const cur = read.find((r) => r.setIdentifier === undefined);
          return cur && norm(cur.values?.[0] ?? '') === norm(p.endpoint!) ? { changeId: '', status: 'PENDING' as const } : undefined;
        },
        resend: true,
      }),
    );
    await waitInSync(ctx, info.status === 'INSYNC' ? '' : info.changeId, p.name);
  }
}

async function verify(step: PlannedStep<PointData>, ctx: StepContext): Promise<void> {
  const { zoneId } = step.data;
  const r53 = ctx.aws.route53();
  const wanted = step.data.pointers.filter((p) => p.endpoint);
  await ctx.waitFor(
    `Route 53 to answer ${wanted.map((p) => `${p.name} with ${p.endpoint}`).join(', ')}`,
    async () => {
      const off: string[] = [];
      for (const p of wanted) {
        const a = await route53Call(() => r53.testDnsAnswer(zoneId, p.name, 'CNAME'));
        if (!a.data.map(norm).includes(norm(p.endpoint!))) off.push(`${p.name} answers ${a.data.join(',') || a.responseCode}`);
      }
      return { done: off.length === 0, detail: off.length ? off.join('; ') : `${wanted.map((p) => p.name).join(', ')} answer the new endpoints` };
    },
    { intervalMs: Math.max(1000, ctx.topology.timeouts.pollMs) },
  );
}

export const route53Point = defineStep({
  kind: 'route53.point',
  params: (env: ParamEnv) => stepParams({ target: region(env) }),
  async plan(id, p, ctx) {
    const r53cfg = ctx.topology.route53;
    const names = r53cfg?.names ?? [];
    if (names.length > 0 && !r53cfg) throw stepUsageError('route53.point', id, 'the topology has no route53 section');
    const checks: Check[] = [];
    const changes: Change[] = [];
    const pointers: Pointer[] = [];
    let deferred: string | undefined;
    const reads = await Promise.all(names.map((n) => route53Call(() => ctx.aws.route53().readRecords(r53cfg!.hostedZoneId, fqdn(n.name), 'CNAME', 1))));
    for (const [i, n] of names.entries()) {
      const name = fqdn(n.name);
      const record = reads[i].find((r) => r.setIdentifier === undefined);
      // The instance an earlier step of this run builds and promotes has no endpoint yet: read when reached.
      const pending =
        n.follows === 'rds'
          ? promotedEarlier(ctx.earlier, p.target)
          : n.follows === 'rds-cluster'
            ? promotedEarlier(ctx.earlier, p.target, 'rds.promote-replica-cluster')
            : undefined;
      if (pending && record) {
        deferred = `${name} follows ${pending.instanceId}, which step ${pending.step} promotes`;
        pointers.push({ name, follows: n.follows, record });
        const to = `the endpoint of ${pending.instanceId} (read when reached)`;
        changes.push({
          resource: `record ${name} CNAME`,
          attribute: 'value',
          from: record.values?.[0],
          to,
          toWhenReached: true,
          risk: 'disruptive',
          region: p.target,
        });
        continue;
      }
      const endpoint = await endpointOf(ctx, n.follows, p.target);
      const problem = !record
        ? `${name} has no simple CNAME record in zone ${r53cfg!.hostedZoneId}`
        : !endpoint
          ? `the topology has no ${n.follows} section, or ${p.target}'s ${n.follows} member has no endpoint`
          : undefined;
      if (problem) checks.push({ name: `${name} can follow ${n.follows}`, passed: false, message: problem });
      pointers.push({ name, follows: n.follows, record, endpoint });
      const from = record?.values?.[0];
      if (record && endpoint && norm(from ?? '') !== norm(endpoint))
        changes.push({ resource: `record ${name} CNAME`, attribute: 'value', from, to: endpoint, risk: 'disruptive', region: p.target });
    }
    return {
      title: names.length
        ? `Point ${names.map((n) => fqdn(n.name)).join(', ')} at ${p.target}'s data endpoints`
        : 'Point data names: the topology names none (route53.names)',
      region: 'us-east-1',
      changes,
      checks,
      noop: changes.length === 0,
      ...(deferred ? { deferred } : {}),
      data: { zoneId: r53cfg?.hostedZoneId ?? '', target: p.target, pointers },
      observed: { records: pointers.map((x) => ({ name: x.name, record: x.record ?? null, endpoint: x.endpoint ?? null })) },
    };
  },
  apply,
  verify,
});
