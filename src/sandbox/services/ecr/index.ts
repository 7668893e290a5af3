// ECR (awsJson 1.1, AmazonEC2ContainerRegistry_V20150921.*): the reads `mr check` makes to see that a
// task definition's images exist in a region's registry: DescribeRepositories, DescribeImages and the
// registry's replication configuration (DescribeRegistry). Shapes and error names follow the SDK model
// (node_modules/@aws-sdk/client-ecr/dist-types/models/models_0.d.ts, errors.d.ts). Registries are
// regional: a repository exists only in the regions the world lists it in (replication is what puts
// it in the others, https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SandboxAwsError, type Operation, type ServiceContext, type ServiceModule } from '../../contract.js';
import { epochSeconds, jsonBody, jsonError, jsonResponse, jsonTarget, optString, optStrings, unknownOperation } from '../../protocol/json.js';
import { parseSection, sectionError } from '../section.js';
import { isRemoved, removedImageKey } from '../removed.js';

const PREFIX = 'AmazonEC2ContainerRegistry_V20150921';

const sectionSchema = z
  .object({
    repositories: z.array(z.object({ region: z.string(), name: z.string().min(2), images: z.array(z.string().min(1)).default([]) }).strict()).default([]),
    /** Per source region: the registry's replication rules (DescribeRegistry). */
    replication: z.array(z.object({ region: z.string(), destinations: z.array(z.string()).min(1), prefix: z.string().optional() }).strict()).default([]),
  })
  .strict();

export interface EcrState {
  repositories: { region: string; name: string; images: string[]; createdAt: number }[];
  replication: { region: string; destinations: string[]; prefix?: string }[];
}

type Body = Record<string, unknown>;

/** The same image has the same digest in every region it is replicated to. */
export function imageDigest(repository: string, tag: string): string {
  return `sha256:${createHash('sha256').update(`${repository}:${tag}`).digest('hex')}`;
}

const repoArn = (ctx: ServiceContext, region: string, name: string) => `arn:aws:ecr:${region}:${ctx.account}:repository/${name}`;

function findRepo(state: EcrState, ctx: ServiceContext, region: string, name: string) {
  const r = state.repositories.find((x) => x.region === region && x.name === name);
  if (!r)
    throw new SandboxAwsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${ctx.account}'`);
  return r;
}

function describeRepositories(b: Body, state: EcrState, ctx: ServiceContext, region: string) {
  const names = optStrings(b, 'repositoryNames');
  const here = state.repositories.filter((r) => r.region === region);
  const picked = names ? names.map((n) => findRepo(state, ctx, region, n)) : here;
  return {
    repositories: picked.map((r) => ({
      repositoryArn: repoArn(ctx, region, r.name),
      registryId: ctx.account,
      repositoryName: r.name,
      repositoryUri: `${ctx.account}.dkr.ecr.${region}.amazonaws.com/${r.name}`,
      createdAt: epochSeconds(r.createdAt),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'AES256' },
    })),
  };
}

function describeImages(b: Body, state: EcrState, ctx: ServiceContext, region: string) {
  const name = optString(b, 'repositoryName');
  if (!name) throw new SandboxAwsError('InvalidParameterException', 'repositoryName must not be empty');
  const repo = findRepo(state, ctx, region, name);
  const present = repo.images.filter((tag) => !isRemoved(ctx, removedImageKey(region, name, tag)));
  const ids = b.imageIds;
  let tags = present;
  if (ids !== undefined) {
    if (!Array.isArray(ids)) throw new SandboxAwsError('SerializationException', 'Expected a list for imageIds');
    tags = [];
    for (const id of ids as { imageTag?: unknown; imageDigest?: unknown }[]) {
      const tag = present.find((t) => t === id.imageTag || imageDigest(name, t) === id.imageDigest);
      if (!tag) {
        throw new SandboxAwsError(
          'ImageNotFoundException',
          `The image with imageId {imageDigest:'${String(id.imageDigest ?? 'null')}', imageTag:'${String(id.imageTag ?? 'null')}'} does not exist within the repository with name '${name}' in the registry with id '${ctx.account}'`,
        );
      }
      tags.push(tag);
    }
  }
  return {
    imageDetails: tags.map((tag) => ({
      registryId: ctx.account,
      repositoryName: name,
      imageDigest: imageDigest(name, tag),
      imageTags: [tag],
      imageSizeInBytes: 52_428_800,
      imagePushedAt: epochSeconds(repo.createdAt),
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    })),
  };
}

function describeRegistry(_b: Body, state: EcrState, ctx: ServiceContext, region: string) {
  const rules = state.replication
    .filter((r) => r.region === region)
    .map((r) => ({
      destinations: r.destinations.map((d) => ({ region: d, registryId: ctx.account })),
      ...(r.prefix ? { repositoryFilters: [{ filter: r.prefix, filterType: 'PREFIX_MATCH' }] } : {}),
    }));
  return { registryId: ctx.account, replicationConfiguration: { rules } };
}

type Answer = (b: Body, state: EcrState, ctx: ServiceContext, region: string) => unknown;
const op = (answer: Answer): Operation<EcrState> => ({
  mutating: false,
  handle: (req, state, ctx) => jsonResponse('1.1', answer(jsonBody(req), state, ctx, req.region)),
});

export const ecrService: ServiceModule<EcrState> = {
  signingName: 'ecr',
  stateKey: 'ecr',
  init(section, ctx) {
    const parsed = parseSection(sectionSchema, section, 'ecr');
    const check = (r: string, at: string) => {
      if (!ctx.regions.includes(r)) throw sectionError(at, `region ${r} is not in the world's regions`);
    };
    parsed.repositories.forEach((r, i) => check(r.region, `ecr.repositories[${i}].region`));
    parsed.replication.forEach((r, i) => [r.region, ...r.destinations].forEach((x) => check(x, `ecr.replication[${i}]`)));
    const now = ctx.now();
    return { repositories: parsed.repositories.map((r) => ({ ...r, createdAt: now })), replication: parsed.replication };
  },
  operation: (req) => jsonTarget(req, PREFIX) || 'Unknown',
  operations: {
    DescribeRepositories: op(describeRepositories),
    DescribeImages: op(describeImages),
    DescribeRegistry: op(describeRegistry),
  },
  unknownOperation: (req) => unknownOperation(req),
  renderError: (err) => jsonError(err, '1.1'),
};
