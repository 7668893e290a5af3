// Health check operations: create, list, get, update (with HealthCheckVersion optimistic
// concurrency), status and last failure reason.
import { randomUUID } from 'node:crypto';
import { SandboxAwsError, type SandboxResponse } from '../../contract.js';
import type { CoreServiceContext } from '../../runtime.js';
import { el, wrap } from '../../protocol/xml.js';
import { lastFailures, observe } from './health-status.js';
import type { HealthCheckConfig, HealthCheckState, Route53State } from './model.js';
import { bool, child, int, members, parseRoot, text } from './xml-in.js';
import { healthCheckXml, observationsXml, xmlResponse } from './xml-out.js';
import { invalidInput, maxItems } from './zones.js';
import { calculatedConfig } from './state.js';

const ENDPOINT_TYPES = ['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'];
const ALL_TYPES = [...ENDPOINT_TYPES, 'CALCULATED', 'CLOUDWATCH_METRIC', 'RECOVERY_CONTROL'];

export function findCheck(state: Route53State, id: string): HealthCheckState {
  const check = state.healthChecks.find((h) => h.id === id);
  if (!check) throw new SandboxAwsError('NoSuchHealthCheck', `No health check exists with the specified ID ${id}`, 404);
  return check;
}

function strings(node: Record<string, unknown> | undefined, wrapper: string, member: string): string[] | undefined {
  const w = node?.[wrapper];
  if (w === undefined) return undefined;
  return members(w, member).map(String);
}

function checkRange(value: number | undefined, min: number, max: number, at: string): void {
  if (value !== undefined && (value < min || value > max)) {
    throw invalidInput(
      `1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must have value ${value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  }
}

export function createHealthCheck(state: Route53State, ctx: CoreServiceContext, body: string): SandboxResponse {
  const root = parseRoot(body, 'CreateHealthCheckRequest');
  const callerReference = text(root, 'CallerReference');
  if (!callerReference)
    throw invalidInput("1 validation error detected: Value null at 'callerReference' failed to satisfy constraint: Member must not be null");
  const c = child(root, 'HealthCheckConfig');
  if (!c) throw invalidInput("1 validation error detected: Value null at 'healthCheckConfig' failed to satisfy constraint: Member must not be null");
  const type = text(c, 'Type');
  if (!type || !ALL_TYPES.includes(type))
    throw invalidInput(
      `1 validation error detected: Value '${type}' at 'healthCheckConfig.type' failed to satisfy constraint: Member must satisfy enum value set: [${ALL_TYPES.join(', ')}]`,
    );
  if (type === 'CALCULATED') return createCalculated(state, ctx, callerReference, c);
  if (!ENDPOINT_TYPES.includes(type))
    throw invalidInput(`The sandbox does not simulate ${type} health checks (it simulates ${ENDPOINT_TYPES.join(', ')} and CALCULATED)`);
  const fqdn = text(c, 'FullyQualifiedDomainName');
  const ipAddress = text(c, 'IPAddress');
  if (!fqdn && !ipAddress) throw invalidInput('Invalid health check: specify an IPAddress or a FullyQualifiedDomainName');
  const config: HealthCheckConfig = {
    type,
    ipAddress,
    port: int(c, 'Port', 'healthCheckConfig.port') ?? (type.startsWith('HTTPS') ? 443 : 80),
    resourcePath: text(c, 'ResourcePath'),
    fqdn,
    searchString: text(c, 'SearchString'),
    requestInterval: int(c, 'RequestInterval', 'healthCheckConfig.requestInterval') ?? 30,
    failureThreshold: int(c, 'FailureThreshold', 'healthCheckConfig.failureThreshold') ?? 3,
    measureLatency: bool(c, 'MeasureLatency') ?? false,
    inverted: bool(c, 'Inverted') ?? false,
    disabled: bool(c, 'Disabled') ?? false,
    enableSNI: bool(c, 'EnableSNI') ?? (type.startsWith('HTTPS') ? true : undefined),
    regions: strings(c, 'Regions', 'Region'),
  };
  if (config.requestInterval !== 10 && config.requestInterval !== 30) {
    throw invalidInput(
      `1 validation error detected: Value '${config.requestInterval}' at 'healthCheckConfig.requestInterval' failed to satisfy constraint: Member must be 10 or 30`,
    );
  }
  checkRange(config.failureThreshold, 1, 10, 'healthCheckConfig.failureThreshold');
  checkRange(config.port, 1, 65535, 'healthCheckConfig.port');
  // A check the world did not define watches the region its hostname names, if any.
  return addCheck(
    state,
    ctx,
    callerReference,
    config,
    ctx.regions.find((r) => fqdn?.includes(r)),
  );
}

function addCheck(
  state: Route53State,
  ctx: CoreServiceContext,
  callerReference: string,
  config: HealthCheckConfig,
  watches: string | undefined,
): SandboxResponse {
  const existing = state.healthChecks.find((h) => h.callerReference === callerReference);
  if (existing) {
    // The same request again is idempotent; a different one with the same reference is a conflict.
    if (JSON.stringify(existing.config) === JSON.stringify(JSON.parse(JSON.stringify(config))))
      return xmlResponse('CreateHealthCheckResponse', healthCheckXml(existing), 201, { location: location(existing.id) });
    throw new SandboxAwsError(
      'HealthCheckAlreadyExists',
      `A health check with the caller reference ${callerReference} already exists with a different configuration.`,
      409,
    );
  }
  const check: HealthCheckState = { id: randomUUID(), callerReference, version: 1, config, watches, createdAt: ctx.now() };
  state.healthChecks.push(check);
  return xmlResponse('CreateHealthCheckResponse', healthCheckXml(check), 201, { location: location(check.id) });
}

/**
 * Children must exist and be at most 256; HealthThreshold 0-256 (HealthCheckConfig, API reference).
 * ⚠ The exact error for an unknown child is unverified; the sandbox answers InvalidInput naming it.
 */
function checkChildren(state: Route53State, children: string[] | undefined, threshold: number | undefined, self?: string): void {
  checkRange(threshold, 0, 256, 'healthCheckConfig.healthThreshold');
  if (!children) return;
  if (children.length > 256)
    throw invalidInput(
      `1 validation error detected: Value at 'healthCheckConfig.childHealthChecks' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
  for (const id of children) {
    if (id === self) throw invalidInput(`A calculated health check cannot include itself as a child (${id})`);
    if (!state.healthChecks.some((h) => h.id === id)) throw invalidInput(`The child health check ${id} does not exist`);
  }
}

function createCalculated(state: Route53State, ctx: CoreServiceContext, callerReference: string, c: Record<string, unknown>): SandboxResponse {
  const children = strings(c, 'ChildHealthChecks', 'ChildHealthCheck') ?? [];
  const threshold = int(c, 'HealthThreshold', 'healthCheckConfig.healthThreshold');
  checkChildren(state, children, threshold);
  return addCheck(state, ctx, callerReference, calculatedConfig(children, threshold, bool(c, 'Inverted') ?? false, bool(c, 'Disabled') ?? false), undefined);
}

function location(id: string): string {
  return `https://route53.amazonaws.com/2013-04-01/healthcheck/${id}`;
}

export function listHealthChecks(state: Route53State, query: URLSearchParams): SandboxResponse {
  const max = maxItems(query, 100, 1000);
  const marker = query.get('marker');
  let start = 0;
  if (marker) {
    start = state.healthChecks.findIndex((h) => h.id === marker);
    if (start < 0) throw invalidInput(`Invalid marker: no health check with ID ${marker}`);
  }
  const page = state.healthChecks.slice(start, start + max);
  const next = state.healthChecks[start + max];
  const inner =
    wrap('HealthChecks', page.map(healthCheckXml).join('')) +
    el('Marker', marker ?? '') +
    el('IsTruncated', next !== undefined) +
    el('NextMarker', next?.id) +
    el('MaxItems', max);
  return xmlResponse('ListHealthChecksResponse', inner);
}

export function getHealthCheck(state: Route53State, id: string): SandboxResponse {
  return xmlResponse('GetHealthCheckResponse', healthCheckXml(findCheck(state, id)));
}

const RESETTABLE = ['FullyQualifiedDomainName', 'Regions', 'ResourcePath', 'ChildHealthChecks'];
const ENDPOINT_ONLY = ['IPAddress', 'Port', 'ResourcePath', 'FullyQualifiedDomainName', 'SearchString', 'FailureThreshold', 'EnableSNI', 'Regions'];

export function updateHealthCheck(state: Route53State, id: string, body: string): SandboxResponse {
  const check = findCheck(state, id);
  const root = parseRoot(body, 'UpdateHealthCheckRequest');
  const version = int(root, 'HealthCheckVersion', 'healthCheckVersion');
  if (version !== undefined && version !== check.version) {
    throw new SandboxAwsError(
      'HealthCheckVersionMismatch',
      `The value of HealthCheckVersion in the request (${version}) doesn't match the value of HealthCheckVersion in the health check (${check.version}).`,
      409,
    );
  }
  const calculated = check.config.type === 'CALCULATED';
  // Settings of the other kind of check are refused rather than stored where nothing reads them.
  // ⚠ AWS's exact error for these is unverified; InvalidInput is the error UpdateHealthCheck declares.
  const foreign = (calculated ? ENDPOINT_ONLY : ['HealthThreshold', 'ChildHealthChecks']).filter((k) => root[k] !== undefined);
  if (foreign.length) throw invalidInput(`${foreign.join(', ')} cannot be updated on a ${check.config.type} health check`);
  const next: HealthCheckConfig = { ...check.config };
  const set = <K extends keyof HealthCheckConfig>(key: K, value: HealthCheckConfig[K] | undefined) => {
    if (value !== undefined) next[key] = value;
  };
  set('ipAddress', text(root, 'IPAddress'));
  set('port', int(root, 'Port', 'port'));
  set('resourcePath', text(root, 'ResourcePath'));
  set('fqdn', text(root, 'FullyQualifiedDomainName'));
  set('searchString', text(root, 'SearchString'));
  set('failureThreshold', int(root, 'FailureThreshold', 'failureThreshold'));
  set('inverted', bool(root, 'Inverted'));
  set('disabled', bool(root, 'Disabled'));
  set('healthThreshold', int(root, 'HealthThreshold', 'healthThreshold'));
  set('childHealthChecks', strings(root, 'ChildHealthChecks', 'ChildHealthCheck'));
  set('enableSNI', bool(root, 'EnableSNI'));
  set('regions', strings(root, 'Regions', 'Region'));
  set('insufficientDataHealthStatus', text(root, 'InsufficientDataHealthStatus'));
  checkRange(next.failureThreshold, 1, 10, 'failureThreshold');
  checkRange(next.port, 1, 65535, 'port');
  for (const name of strings(root, 'ResetElements', 'ResettableElementName') ?? []) {
    if (!RESETTABLE.includes(name))
      throw invalidInput(
        `1 validation error detected: Value '${name}' at 'resetElements' failed to satisfy constraint: Member must satisfy enum value set: [${RESETTABLE.join(', ')}]`,
      );
    if (name === 'FullyQualifiedDomainName') delete next.fqdn;
    if (name === 'Regions') delete next.regions;
    if (name === 'ResourcePath') delete next.resourcePath;
    if (name === 'ChildHealthChecks') delete next.childHealthChecks;
  }
  if (calculated) checkChildren(state, next.childHealthChecks, next.healthThreshold, check.id);
  if (next.regions && next.regions.length > 0 && next.regions.length < 3) throw invalidInput('A health check must use at least 3 regions');
  check.config = next;
  check.version += 1;
  return xmlResponse('UpdateHealthCheckResponse', healthCheckXml(check));
}

/**
 * "You can't use GetHealthCheckStatus to get the status of a calculated health check" (API reference,
 * GetHealthCheckStatusRequest.HealthCheckId: use the console or CloudWatch). ⚠ The error AWS gives is
 * unverified; the sandbox answers InvalidInput, so a client that relies on it finds out here, not in
 * production. A calculated check's status shows in the answers of the records it governs (TestDNSAnswer).
 */
export function getHealthCheckStatus(state: Route53State, ctx: CoreServiceContext, id: string): SandboxResponse {
  const check = findCheck(state, id);
  if (check.config.type === 'CALCULATED')
    throw invalidInput(`GetHealthCheckStatus does not report calculated health checks (${id}): use the Route 53 console or CloudWatch`);
  return xmlResponse('GetHealthCheckStatusResponse', observationsXml(observe(check, ctx)));
}

export function getLastFailureReason(state: Route53State, ctx: CoreServiceContext, id: string): SandboxResponse {
  return xmlResponse('GetHealthCheckLastFailureReasonResponse', observationsXml(lastFailures(findCheck(state, id), ctx)));
}
