// Builds every SDK client from one configuration, one client per (service, region), created on first use.
// Each @aws-sdk package is loaded with import() only when its service is first called, so importing this
// file (and `mr --help`) loads none of them.
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { STSClient } from '@aws-sdk/client-sts';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { IAMClient } from '@aws-sdk/client-iam';
import { ecrAdapter } from './ecr.js';
import { secretsManagerAdapter } from './secrets.js';
import { iamAdapter } from './iam.js';
import { discoveryAdapter } from './discovery.js';
import type { FinalizeHandler } from '@smithy/types';
import { autoScalingAdapter, autoScalingMutations } from './application-autoscaling.js';
import { cloudWatchAdapter } from './cloudwatch.js';
import { type CallPath, type Loaded, makeConnection } from './connection.js';
import { ecsAdapter, ecsMutations } from './ecs.js';
import { Pacer, ROUTE53_RATE } from './pacer.js';
import { elastiCacheAdapter, elastiCacheMutations } from './elasticache.js';
import { rdsAdapter, rdsMutations } from './rds.js';
import { newRoute53Shared, route53Adapter, route53Mutations } from './route53.js';
import { sandboxAdapter, sandboxMutations } from './sandbox-control.js';
import { zoneNames } from './route53-zones.js';
import { dnsAdapter } from './dns.js';
import { stsAdapter } from './sts.js';
import type { Aws, AwsOptions, AwsService, Region } from './types.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 4000;
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Route 53's control plane lives in us-east-1 whatever region mr is working on. */
export const ROUTE53_REGION = 'us-east-1';
const DEFAULT_STS_REGION = 'us-east-1';
const IAM_REGION = 'us-east-1';

/** The SDK must never write to the terminal; src/io owns it. */
const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * On Node 20 every client constructor would print a NodeVersionSupportWarning (about SDK releases after
 * January 2027) to stderr, outside src/io and in the middle of an operator's output. The SDK's own switch
 * turns it off; an explicit value in the environment is left alone.
 */
function quietSdkWarnings(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** "mr/0.1.0 run/abc" -> [["mr","0.1.0"],["run","abc"]]: one user agent pair per word, so the SDK keeps the slashes. */
export function userAgentPairs(suffix: string | undefined): [string, string?][] {
  if (suffix === undefined) return [];
  return suffix
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => {
      const slash = word.indexOf('/');
      return slash < 0 ? [word] : [word.slice(0, slash), word.slice(slash + 1)];
    });
}

/** The configuration every client shares; only the region differs. Exported so a unit test can check it. */
export function clientConfig(opts: AwsOptions, region: Region, path: CallPath = 'read') {
  const requestTimeout = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    region,
    // Mutations are sent once. The SDK's standard retry mode retries a timeout, a connection reset or
    // a 5xx for every operation, idempotent or not (AWS SDKs and Tools reference guide,
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html; AWS-FACTS §10), so
    // an accepted FailoverGlobalCluster whose answer was lost would be sent again and refused. An
    // unknown outcome is for the caller to reconcile by reading the resource; reads keep the retries.
    maxAttempts: path === 'mutate' ? 1 : (opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    // Standard, not adaptive: after one Throttling answer the adaptive mode's client-side limiter spaced
    // the retries of a client ~1.8 s apart, so `mr status` under Route 53's normal 5 req/s limit took
    // 4.4 s, passed its 3 s read bound and reported Route 53 unreachable. Standard backoff keeps it at
    // 1.8 s median, 2.2 s worst (bench 5). The installed @smithy/core has the 2026 retry defaults (its
    // `Retry` class in @smithy/core/retry; AWS SDK reference guide, feature-retry-behavior:
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html): full-jitter backoff
    // from a 1,000 ms base for throttling and 50 ms for other errors, capped at 20 s; a retry costs 14 of
    // 500 quota tokens, a throttling retry 5 (test/integration/aws-retry-defaults measures all four).
    retryMode: 'standard',
    // Without an explicit endpoint the SDK itself honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>
    // (checked in @smithy/core endpoints getEndpointUrlConfig); an explicit one wins over the env.
    ...(opts.endpointUrl !== undefined ? { endpoint: opts.endpointUrl } : {}),
    // Static credentials (the sandbox) replace the provider chain; otherwise the SDK's default chain runs and
    // receives `profile` from this config (credential-provider-node reads init.profile before AWS_PROFILE).
    ...(opts.credentials !== undefined ? { credentials: opts.credentials } : opts.profile !== undefined ? { profile: opts.profile } : {}),
    requestHandler: {
      requestTimeout,
      // Without this the node handler only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
      connectionTimeout: Math.min(requestTimeout, 3000),
      logger: silentLogger,
    },
    customUserAgent: userAgentPairs(opts.userAgentSuffix),
    logger: silentLogger,
  };
}

type SharedConfig = ReturnType<typeof clientConfig>;

interface Destroyable {
  destroy(): void;
  middlewareStack: { remove(name: string): boolean };
}

/**
 * The SDK's logger middleware ("loggerMiddleware", which every client's constructor adds through
 * getLoggerPlugin) copies each input and output through the schema's sensitive-data filter for
 * logger.info, even when the logger drops it; mr's logger drops everything (src/io owns the terminal),
 * so the middleware only costs CPU (7 ms of the demo's `mr status` in a CPU profile). Removing it by name
 * is the middleware stack's public API; should a later SDK rename it, nothing is removed and all still works.
 */
function withoutSdkLogging<C extends Destroyable>(client: C): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/**
 * Every attempt (the SDK's retries included) waits for its turn, as close to the wire as the stack
 * allows: inside the retry middleware (retryMiddleware, finalizeRequest/high in @smithy/core retry)
 * and after signing (httpSigningMiddleware, placed after retryMiddleware in @smithy/core), so the
 * first call's signing cost is not between its turn and its arrival. A SigV4 signature stays valid
 * for 5 minutes, far longer than any wait in the queue. The request timeout starts in the HTTP
 * handler, after the wait.
 */
function paced(client: Route53Client, pacer: Pacer): Route53Client {
  client.middlewareStack.addRelativeTo(
    <Output extends object>(next: FinalizeHandler<object, Output>): FinalizeHandler<object, Output> =>
      async (args) => {
        await pacer.take();
        return next(args);
      },
    { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'mrRoute53Pacing', override: true },
  );
  return client;
}

/**
 * Where this process's Route 53 calls go, as the key of what is kept about its zones: the endpoint
 * override, else the one the SDK takes from the environment (AWS_ENDPOINT_URL_ROUTE_53 before
 * AWS_ENDPOINT_URL, https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html; as
 * @smithy/core's getEndpointUrlConfig reads them), else AWS through the profile (whose config file
 * may name an endpoint_url of its own).
 */
export function route53Endpoint(opts: AwsOptions, env: NodeJS.ProcessEnv = process.env): string {
  return opts.endpointUrl || env.AWS_ENDPOINT_URL_ROUTE_53 || env.AWS_ENDPOINT_URL || `aws profile=${opts.profile ?? env.AWS_PROFILE ?? 'default'}`;
}

export function createAws(opts: AwsOptions = {}): Aws {
  const cache = new Map<string, Promise<Loaded<unknown, Destroyable>>>();
  const readMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // Giving up on a mutation AWS may already have accepted is worse than waiting, so mutations get longer.
  const timeouts = { readMs, mutationMs: Math.max(readMs * 3, 15_000) };
  // One bucket for every Route 53 call of this process (reads, mutations, the lock, polls), see pacer.ts.
  const route53Pacer = new Pacer({ rate: opts.route53Rate?.rate ?? ROUTE53_RATE, burst: opts.route53Rate?.burst });
  const route53Shared = newRoute53Shared(zoneNames(opts.cacheDir, route53Endpoint(opts)));

  function connect<Sdk, Client extends Destroyable>(
    service: string,
    region: Region,
    load: () => Promise<Sdk>,
    make: (sdk: Sdk, config: SharedConfig) => Client,
  ) {
    // One client per (service, region, path): the mutating path's client never retries.
    const loader = (path: CallPath): Promise<Loaded<Sdk, Client>> => {
      const key = `${service}:${region}:${path}`;
      let entry = cache.get(key) as Promise<Loaded<Sdk, Client>> | undefined;
      if (entry === undefined) {
        entry = load().then((sdk) => {
          quietSdkWarnings();
          return { sdk, client: withoutSdkLogging(make(sdk, clientConfig(opts, region, path))) };
        });
        // A failed load must not poison the cache: the next call tries again.
        entry.catch(() => cache.delete(key));
        cache.set(key, entry as Promise<Loaded<unknown, Destroyable>>);
      }
      return entry;
    };
    return makeConnection<Sdk, Client>(service, region, loader, timeouts);
  }

  // The same import() calls the clients make, so a preloaded package is simply found in the module cache.
  const packages: Record<AwsService, () => Promise<unknown>> = {
    route53: () => import('@aws-sdk/client-route-53'),
    rds: () => import('@aws-sdk/client-rds'),
    elasticache: () => import('@aws-sdk/client-elasticache'),
    ecs: () => import('@aws-sdk/client-ecs'),
    sts: () => import('@aws-sdk/client-sts'),
    cloudwatch: () => import('@aws-sdk/client-cloudwatch'),
    'application-autoscaling': () => import('@aws-sdk/client-application-auto-scaling'),
    ecr: () => import('@aws-sdk/client-ecr'),
    secretsmanager: () => import('@aws-sdk/client-secrets-manager'),
    iam: () => import('@aws-sdk/client-iam'),
  };

  const route53Conn = () =>
    connect(
      'route53',
      ROUTE53_REGION,
      () => import('@aws-sdk/client-route-53'),
      (sdk, cfg): Route53Client => paced(new sdk.Route53Client(cfg), route53Pacer),
    );
  const rdsConn = (region: Region) =>
    connect(
      'rds',
      region,
      () => import('@aws-sdk/client-rds'),
      (sdk, cfg): RDSClient => new sdk.RDSClient(cfg),
    );
  const elastiCacheConn = (region: Region) =>
    connect(
      'elasticache',
      region,
      () => import('@aws-sdk/client-elasticache'),
      (sdk, cfg): ElastiCacheClient => new sdk.ElastiCacheClient(cfg),
    );
  const ecsConn = (region: Region) =>
    connect(
      'ecs',
      region,
      () => import('@aws-sdk/client-ecs'),
      (sdk, cfg): ECSClient => new sdk.ECSClient(cfg),
    );
  const autoScalingConn = (region: Region) =>
    connect(
      'application-autoscaling',
      region,
      () => import('@aws-sdk/client-application-auto-scaling'),
      (sdk, cfg): ApplicationAutoScalingClient => new sdk.ApplicationAutoScalingClient(cfg),
    );

  const sandboxTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const dns = dnsAdapter({ server: opts.dnsServer, endpointUrl: opts.endpointUrl, timeoutMs: readMs });
  return {
    mutating: (sink) => ({
      route53: () => route53Mutations(route53Conn(), sink, route53Shared),
      rds: (region) => rdsMutations(rdsConn(region), sink),
      elasticache: (region) => elastiCacheMutations(elastiCacheConn(region), sink),
      ecs: (region) => ecsMutations(ecsConn(region), sink),
      applicationAutoScaling: (region) => autoScalingMutations(autoScalingConn(region), sink),
      sandbox: () => sandboxMutations(opts.endpointUrl, sandboxTimeoutMs, sink),
    }),
    // Not AWS: the control endpoint of a sandbox behind the endpoint override (sandbox-control.ts).
    sandbox: () => sandboxAdapter(opts.endpointUrl, sandboxTimeoutMs),
    dns: () => dns,
    async preload(services) {
      await Promise.all([...new Set(services)].map((s) => packages[s]().catch(() => undefined)));
    },
    route53: () => route53Adapter(route53Conn(), route53Shared),
    route53QueueMs: (calls) => route53Pacer.delayMs(Math.max(0, calls - 1)),
    rds: (region) => rdsAdapter(rdsConn(region)),
    elasticache: (region) => elastiCacheAdapter(elastiCacheConn(region)),
    ecs: (region) => ecsAdapter(ecsConn(region)),
    applicationAutoScaling: (region) => autoScalingAdapter(autoScalingConn(region)),
    sts: (region) =>
      stsAdapter(
        connect(
          'sts',
          region ?? DEFAULT_STS_REGION,
          () => import('@aws-sdk/client-sts'),
          (sdk, cfg): STSClient => new sdk.STSClient(cfg),
        ),
      ),
    cloudwatch: (region) =>
      cloudWatchAdapter(
        connect(
          'cloudwatch',
          region,
          () => import('@aws-sdk/client-cloudwatch'),
          (sdk, cfg): CloudWatchClient => new sdk.CloudWatchClient(cfg),
        ),
      ),
    ecr: (region) =>
      ecrAdapter(
        connect(
          'ecr',
          region,
          () => import('@aws-sdk/client-ecr'),
          (sdk, cfg): ECRClient => new sdk.ECRClient(cfg),
        ),
      ),
    secretsManager: (region) =>
      secretsManagerAdapter(
        connect(
          'secretsmanager',
          region,
          () => import('@aws-sdk/client-secrets-manager'),
          (sdk, cfg): SecretsManagerClient => new sdk.SecretsManagerClient(cfg),
        ),
      ),
    // IAM is global; its endpoint is signed for us-east-1 (IAM API reference, "Making query requests").
    iam: () =>
      iamAdapter(
        connect(
          'iam',
          IAM_REGION,
          () => import('@aws-sdk/client-iam'),
          (sdk, cfg): IAMClient => new sdk.IAMClient(cfg),
        ),
      ),
    discovery: () =>
      discoveryAdapter({
        route53: connect(
          'route53',
          ROUTE53_REGION,
          () => import('@aws-sdk/client-route-53'),
          (sdk, cfg): Route53Client => paced(new sdk.Route53Client(cfg), route53Pacer),
        ),
        rds: (r) =>
          connect(
            'rds',
            r,
            () => import('@aws-sdk/client-rds'),
            (sdk, cfg): RDSClient => new sdk.RDSClient(cfg),
          ),
        elasticache: (r) =>
          connect(
            'elasticache',
            r,
            () => import('@aws-sdk/client-elasticache'),
            (sdk, cfg): ElastiCacheClient => new sdk.ElastiCacheClient(cfg),
          ),
        ecs: (r) =>
          connect(
            'ecs',
            r,
            () => import('@aws-sdk/client-ecs'),
            (sdk, cfg): ECSClient => new sdk.ECSClient(cfg),
          ),
      }),
    destroy() {
      // Clients still being created are destroyed as soon as they exist.
      for (const entry of cache.values())
        entry.then(
          ({ client }) => client.destroy(),
          () => undefined,
        );
      cache.clear();
    },
  };
}
