// `mr check`: readiness for a failover to each region (or one), as ARC Region switch evaluates its
// plans: the resources exist and are in a state to take over, the tasks could start there, and the
// caller may do it. Reads only. The kinds are one table; a new resource kind is one more row.
import type { Aws, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { gather } from '../inspect/gather.js';
import { auroraKind, datastoreKind, ecsKind, route53Kind } from './infra.js';
import { imagesKind, secretsKind } from './tasks.js';
import { permissionsKind } from './permissions.js';
import { routedKind } from './routed.js';
import { replicasKind } from './replicas.js';
import { capacityKind } from './capacity.js';
import type { ReadinessContext, ReadinessFinding, ReadinessKind, ReadinessReport } from './types.js';

export const READINESS_KINDS: ReadinessKind[] = [
  auroraKind,
  replicasKind,
  datastoreKind,
  route53Kind,
  routedKind,
  ecsKind,
  capacityKind,
  imagesKind,
  secretsKind,
  permissionsKind,
];

export interface CheckOptions {
  timeoutMs: number;
  /** Only this region as the failover target; default every region of the topology. */
  target?: Region;
  now?: () => Date;
}

export async function checkReadiness(topology: Topology, aws: Aws, opts: CheckOptions): Promise<ReadinessReport> {
  await aws.preload?.(['sts', 'iam', 'ecr', 'secretsmanager', 'application-autoscaling']);
  const [state, identity] = await Promise.all([
    gather(topology, aws, { timeoutMs: opts.timeoutMs, now: opts.now }),
    aws
      .sts()
      .callerIdentity()
      .catch((e: Error) => e),
  ]);
  const memos = new Map<string, Promise<unknown>>();
  const ctx: ReadinessContext = {
    topology,
    state,
    aws,
    account: identity instanceof Error ? '' : identity.account,
    callerArn: identity instanceof Error ? '' : identity.arn,
    timeoutMs: opts.timeoutMs,
    memo: <T>(key: string, read: () => Promise<T>) => {
      if (!memos.has(key)) memos.set(key, read());
      return memos.get(key) as Promise<T>;
    },
  };
  const kinds = READINESS_KINDS.filter((k) => k.applies(topology));
  const targets = opts.target ? [opts.target] : topology.regions;
  const results = await Promise.all(
    targets.map(async (region) => {
      const findings: ReadinessFinding[] = [];
      if (identity instanceof Error) {
        findings.push({
          target: region,
          resource: 'caller identity',
          problem: `could not check: ${identity.message}`,
          fix: 'check the credentials (sts:GetCallerIdentity)',
          kind: 'could-not-check',
        });
      }
      for (const kind of kinds) {
        if (kind === permissionsKind && identity instanceof Error) continue;
        findings.push(...(await kind.check(ctx, region)));
      }
      return { region, ready: findings.length === 0, findings };
    }),
  );
  return {
    version: 1,
    topology: topology.name,
    checkedAt: (opts.now?.() ?? new Date()).toISOString(),
    account: ctx.account,
    caller: ctx.callerArn,
    targets: results,
    ready: results.every((r) => r.ready),
  };
}
