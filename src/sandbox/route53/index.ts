// The Route 53 service module (restXml, API 2013-04-01): routes method + path to an operation and
// dispatches. IDs arrive bare in paths (the SDK strips /hostedzone/ and /change/) and leave prefixed
// in bodies.
import { SandboxAwsError, type SandboxRequest, type SandboxResponse, type ServiceModule } from '../contract.js';
import type { CoreServiceContext } from '../runtime.js';
import type { WorldFile } from '../world-schema.js';
import { changeRecordSets, getChange } from './changes.js';
import { createHealthCheck, getHealthCheck, getHealthCheckStatus, getLastFailureReason, listHealthChecks, updateHealthCheck } from './health-checks.js';
import { listRecordSets } from './listing.js';
import { initRoute53, type Route53State } from './state.js';
import { errorResponse } from './xml-out.js';
import { createHostedZone, getHostedZone, listHostedZones, listHostedZonesByName } from './zones.js';

const V = '/2013-04-01';

const ROUTES: [method: string, pattern: RegExp, operation: string][] = [
  ['GET', /^\/2013-04-01\/hostedzone\/?$/, 'ListHostedZones'],
  ['POST', /^\/2013-04-01\/hostedzone\/?$/, 'CreateHostedZone'],
  ['GET', /^\/2013-04-01\/hostedzonesbyname\/?$/, 'ListHostedZonesByName'],
  ['GET', /^\/2013-04-01\/hostedzone\/([^/]+)\/?$/, 'GetHostedZone'],
  ['GET', /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/, 'ListResourceRecordSets'],
  // The JS SDK posts to .../rrset, botocore and the AWS CLI to .../rrset/ (AWS-FACTS 2.1): accept both.
  ['POST', /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/, 'ChangeResourceRecordSets'],
  ['GET', /^\/2013-04-01\/change\/([^/]+)\/?$/, 'GetChange'],
  ['GET', /^\/2013-04-01\/healthcheck\/?$/, 'ListHealthChecks'],
  ['POST', /^\/2013-04-01\/healthcheck\/?$/, 'CreateHealthCheck'],
  ['GET', /^\/2013-04-01\/healthcheck\/([^/]+)\/?$/, 'GetHealthCheck'],
  ['POST', /^\/2013-04-01\/healthcheck\/([^/]+)\/?$/, 'UpdateHealthCheck'],
  ['GET', /^\/2013-04-01\/healthcheck\/([^/]+)\/status\/?$/, 'GetHealthCheckStatus'],
  ['GET', /^\/2013-04-01\/healthcheck\/([^/]+)\/lastfailurereason\/?$/, 'GetHealthCheckLastFailureReason'],
];

const MUTATING = new Set(['CreateHostedZone', 'ChangeResourceRecordSets', 'CreateHealthCheck', 'UpdateHealthCheck']);

function route(req: SandboxRequest): { operation: string; id?: string } {
  for (const [method, pattern, operation] of ROUTES) {
    if (method !== req.method) continue;
    const m = pattern.exec(req.path);
    if (m) return { operation, id: m[1] === undefined ? undefined : decodeURIComponent(m[1]) };
  }
  return { operation: 'Unknown' };
}

export const route53Service: ServiceModule<Route53State> = {
  signingName: 'route53',
  stateKey: 'route53',
  init: (section, ctx) => initRoute53(section as WorldFile['route53'], ctx),
  operation: (req) => route(req).operation,
  mutating: (operation) => MUTATING.has(operation),
  handle(req, state, context, operation): SandboxResponse {
    const ctx = context as CoreServiceContext;
    const id = route(req).id ?? '';
    switch (operation) {
      case 'ListHostedZones':
        return listHostedZones(state, req.query);
      case 'ListHostedZonesByName':
        return listHostedZonesByName(state, req.query);
      case 'GetHostedZone':
        return getHostedZone(state, id);
      case 'CreateHostedZone':
        return createHostedZone(state, ctx, req.body);
      case 'ListResourceRecordSets':
        return listRecordSets(state, id, req.query);
      case 'ChangeResourceRecordSets':
        return changeRecordSets(state, ctx, id, req.body);
      case 'GetChange':
        return getChange(state, ctx, id);
      case 'CreateHealthCheck':
        return createHealthCheck(state, ctx, req.body);
      case 'ListHealthChecks':
        return listHealthChecks(state, req.query);
      case 'GetHealthCheck':
        return getHealthCheck(state, id);
      case 'UpdateHealthCheck':
        return updateHealthCheck(state, id, req.body);
      case 'GetHealthCheckStatus':
        return getHealthCheckStatus(state, ctx, id);
      case 'GetHealthCheckLastFailureReason':
        return getLastFailureReason(state, ctx, id);
      default:
        throw new SandboxAwsError('UnknownOperationException', `The sandbox's Route 53 does not implement ${req.method} ${req.path} (it answers ${V} hostedzone, hostedzonesbyname, rrset, change and healthcheck operations)`, 404);
    }
  },
  renderError: (err, req) => errorResponse(err, req.requestId),
};
