// Starting a sandbox in tests and pointing real SDK clients (or raw fetch) at it.
import { startSandbox, type SandboxHandle, type StartSandboxOptions } from '../../src/sandbox/server.js';

export type { SandboxHandle, StartSandboxOptions } from '../../src/sandbox/server.js';

/** Tests run simulated minutes in well under a second by default. */
export const TEST_TIME_SCALE = 600;

/**
 * Start a sandbox on an ephemeral port (time scale 600 unless given). With `fn`, run it and stop the
 * sandbox afterwards, whatever happens; without, the caller stops it (e.g. in after()).
 */
export async function withSandbox(opts?: StartSandboxOptions): Promise<SandboxHandle>;
export async function withSandbox<T>(opts: StartSandboxOptions, fn: (sb: SandboxHandle) => Promise<T>): Promise<T>;
export async function withSandbox<T>(opts: StartSandboxOptions = {}, fn?: (sb: SandboxHandle) => Promise<T>): Promise<SandboxHandle | T> {
  const sb = await startSandbox({ timeScale: TEST_TIME_SCALE, port: 0, ...opts });
  if (!fn) return sb;
  try {
    return await fn(sb);
  } finally {
    await sb.stop();
  }
}

export interface SdkTestConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

/** Config for `new XClient(sdkConfig(sb.endpoint, 'eu-west-1'))`. */
export function sdkConfig(endpoint: string, region: string, maxAttempts?: number): SdkTestConfig {
  const config: SdkTestConfig = { region, endpoint, credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' } };
  if (maxAttempts !== undefined) config.maxAttempts = maxAttempts;
  return config;
}

/** An Authorization header with the credential scope the sandbox routes on (the signature is not checked). */
export function fakeAuthorization(service: string, region: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDSANDBOX/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

/** A raw request scoped to a service and region, for what the SDK would hide (paths, headers, resets). */
export function rawRequest(
  endpoint: string,
  opts: { service: string; region: string; method?: string; path?: string; body?: string; headers?: Record<string, string> },
): Promise<Response> {
  return fetch(`${endpoint}${opts.path ?? '/'}`, {
    method: opts.method ?? 'GET',
    headers: { authorization: fakeAuthorization(opts.service, opts.region), ...opts.headers },
    body: opts.body,
  });
}
