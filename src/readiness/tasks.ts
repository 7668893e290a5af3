// Readiness of what the target region's ECS tasks need to start: their container images in the
// target region's ECR registry (ECR cross-region replication copies them there:
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html) and a replica in the target
// region of each Secrets Manager secret they read (multi-Region secrets:
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html).
import type { Region } from '../aws/types.js';
import type { TaskDefinitionInfo } from '../aws/readiness-types.js';
import type { ReadinessContext, ReadinessFinding, ReadinessKind } from './types.js';

/** <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag | @digest]; other registries are not ECR's. */
export function parseEcrImage(image: string): { account: string; region: Region; repository: string; tag?: string; digest?: string } | undefined {
  const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]+))?$/.exec(image);
  if (!m) return undefined;
  return { account: m[1]!, region: m[2]!, repository: m[3]!, ...(m[5] ? { digest: m[5] } : { tag: m[4] ?? 'latest' }) };
}

/**
 * A secret reference (valueFrom): a Secrets Manager ARN, optionally followed by
 * :json-key:version-stage:version-id (ECS developer guide, "Pass Secrets Manager secrets through
 * Amazon ECS environment variables"). The name is without the six-character suffix Secrets Manager adds.
 */
export function parseSecretRef(valueFrom: string): { region: Region; account: string; arn: string; name: string } | undefined {
  const m = /^(arn:aws[\w-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:([^:]+))(?::.*)?$/.exec(valueFrom);
  if (!m) return undefined;
  return { arn: m[1]!, region: m[2]!, account: m[3]!, name: m[4]!.replace(/-[A-Za-z0-9]{6}$/, '') };
}

interface TaskDefinitions {
  list: { service: string; td: TaskDefinitionInfo }[];
  failures: Omit<ReadinessFinding, 'target'>[];
}

/** The target's task definitions, read once for both kinds. */
function taskDefinitions(ctx: ReadinessContext, target: Region): Promise<TaskDefinitions> {
  return ctx.memo(`task-definitions:${target}`, () => readTaskDefinitions(ctx, target));
}

async function readTaskDefinitions(ctx: ReadinessContext, target: Region): Promise<TaskDefinitions> {
  const ecs = ctx.state.ecs?.[target];
  const out: { service: string; td: TaskDefinitionInfo }[] = [];
  const failures: Omit<ReadinessFinding, 'target'>[] = [];
  const add = (f: Omit<ReadinessFinding, 'target'>) => failures.push(f);
  if (!ecs?.ok) return { list: out, failures };
  await Promise.all(
    ecs.value.services.map(async (s) => {
      if (!s.taskDefinition) return;
      try {
        out.push({ service: `${ecs.value.cluster}/${s.name}`, td: await ctx.aws.ecs(target).describeTaskDefinition(s.taskDefinition) });
      } catch (e) {
        add({
          resource: `task definition of ${ecs.value.cluster}/${s.name} (${target})`,
          problem: `could not check: ${(e as Error).message}`,
          fix: 'allow ecs:DescribeTaskDefinition (mr iam-policy --for read)',
          kind: 'could-not-check',
        });
      }
    }),
  );
  return { list: out.sort((a, b) => a.service.localeCompare(b.service)), failures };
}

function problemOf(e: unknown): string {
  return `could not check: ${(e as Error).message}`;
}

export const imagesKind: ReadinessKind = {
  name: 'images',
  applies: (t) => t.ecs !== undefined,
  async check(ctx, target) {
    const out: ReadinessFinding[] = [];
    const add = (f: Omit<ReadinessFinding, 'target'>) => out.push({ target, ...f });
    const seen = new Set<string>();
    const tds = await taskDefinitions(ctx, target);
    tds.failures.forEach(add);
    for (const { service, td } of tds.list) {
      for (const c of td.containers) {
        const img = parseEcrImage(c.image);
        if (!img || seen.has(c.image)) continue;
        seen.add(c.image);
        const ref = img.digest ? `${img.repository}@${img.digest}` : `${img.repository}:${img.tag}`;
        if (img.region !== target) {
          add({
            resource: `image ${ref} (${service})`,
            problem: `is pulled from ${img.region}'s registry, so the task cannot start there while ${img.region} is down`,
            fix: `point the task definition at the replica in ${target}`,
            kind: 'not-ready',
          });
        }
        try {
          const presence = await ctx.aws.ecr(target).imagePresence(img.repository, img);
          if (presence === 'no-repository')
            add({
              resource: `image ${ref} (${service})`,
              problem: `repository ${img.repository} does not exist in ${target}`,
              fix: `replicate ${img.repository} to ${target} (ECR replication rule)`,
              kind: 'not-ready',
            });
          if (presence === 'no-image')
            add({
              resource: `image ${ref} (${service})`,
              problem: `is missing from ${target}'s ECR registry`,
              fix: `replicate or push ${ref} to ${target}`,
              kind: 'not-ready',
            });
        } catch (e) {
          add({
            resource: `image ${ref} (${service})`,
            problem: problemOf(e),
            fix: 'allow ecr:DescribeImages (mr iam-policy --for read)',
            kind: 'could-not-check',
          });
        }
      }
    }
    return out;
  },
};

export const secretsKind: ReadinessKind = {
  name: 'secrets',
  applies: (t) => t.ecs !== undefined,
  async check(ctx, target) {
    const out: ReadinessFinding[] = [];
    const add = (f: Omit<ReadinessFinding, 'target'>) => out.push({ target, ...f });
    const seen = new Set<string>();
    for (const { service, td } of (await taskDefinitions(ctx, target)).list) {
      for (const ref of td.containers.flatMap((c) => c.secrets)) {
        const s = parseSecretRef(ref);
        if (!s || seen.has(s.name)) continue;
        seen.add(s.name);
        if (s.region !== target) {
          add({
            resource: `secret ${s.name} (${service})`,
            problem: `is read from ${s.region}, so the task cannot start there while ${s.region} is down`,
            fix: `point the task definition at the replica in ${target}`,
            kind: 'not-ready',
          });
        }
        try {
          // A replica keeps the primary's ARN but for the region.
          const here = await ctx.aws.secretsManager(target).describeSecret(s.arn.replace(`:secretsmanager:${s.region}:`, `:secretsmanager:${target}:`));
          if (!here)
            add({
              resource: `secret ${s.name} (${service})`,
              problem: `has no replica in ${target}`,
              fix: `replicate it to ${target} (aws secretsmanager replicate-secret-to-regions)`,
              kind: 'not-ready',
            });
        } catch (e) {
          add({
            resource: `secret ${s.name} (${service})`,
            problem: problemOf(e),
            fix: 'allow secretsmanager:DescribeSecret (mr iam-policy --for read)',
            kind: 'could-not-check',
          });
        }
      }
    }
    return out;
  },
};
