// The Route 53 service module (restXml, API 2013-04-01): each operation is declared once, with the
// method and path that name it. IDs arrive bare in paths (the SDK strips /hostedzone/ and /change/)
// and leave prefixed in bodies.
import { SandboxAwsError, type Operation, type SandboxRequest, type SandboxResponse, type ServiceModule } from '../../contract.js';
import type { CoreServiceContext } from '../../runtime.js';
import type { WorldFile } from '../../world-schema.js';
import { changeRecordSets, getChange } from './changes.js';
import { createHealthCheck, getHealthCheck, getHealthCheckStatus, getLastFailureReason, listHealthChecks, updateHealthCheck } from './health-checks.js';
import { listRecordSets } from './listing.js';
import type { Route53State } from './model.js';
import { initRoute53 } from './state.js';
import { testDnsAnswer } from './test-dns-answer.js';
import { errorResponse } from './xml-out.js';
import { createHostedZone, getHostedZone, listHostedZones, listHostedZonesByName } from './zones.js';

const V = '/2013-04-01';

interface Route53Operation extends Operation<Route53State> {
  method: 'GET' | 'POST';
  path: RegExp;
}

type Answer = (state: Route53State, ctx: CoreServiceContext, id: string, req: SandboxRequest) => SandboxResponse;

function op(method: 'GET' | 'POST', path: RegExp, mutating: boolean, answer: Answer): Route53Operation {
  return {
    method,
    path,
    mutating,
    // The core's context is a CoreServiceContext (runtime.ts); Route 53's health checks need its outage history.
    handle: (req, state, ctx) => answer(state, ctx as CoreServiceContext, pathId(path, req), req),
  };
}

function pathId(path: RegExp, req: SandboxRequest): string {
  const m = path.exec(req.path);
  return m?.[1] === undefined ? '' : decodeURIComponent(m[1]);
}

const OPERATIONS: Record<string, Route53Operation> = {
  ListHostedZones: op('GET', /^\/2013-04-01\/hostedzone\/?$/, false, (s, _c, _id, req) => listHostedZones(s, req.query)),
  CreateHostedZone: op('POST', /^\/2013-04-01\/hostedzone\/?$/, true, (s, c, _id, req) => createHostedZone(s, c, req.body)),
  ListHostedZonesByName: op('GET', /^\/2013-04-01\/hostedzonesbyname\/?$/, false, (s, _c, _id, req) => listHostedZonesByName(s, req.query)),
  GetHostedZone: op('GET', /^\/2013-04-01\/hostedzone\/([^/]+)\/?$/, false, (s, _c, id) => getHostedZone(s, id)),
  ListResourceRecordSets: op('GET', /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/, false, (s, _c, id, req) => listRecordSets(s, id, req.query)),
  // The JS SDK posts to .../rrset, botocore and the AWS CLI to .../rrset/ (AWS-FACTS 2.1): accept both.
  ChangeResourceRecordSets: op('POST', /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/, true, (s, c, id, req) => changeRecordSets(s, c, id, req.body)),
  GetChange: op('GET', /^\/2013-04-01\/change\/([^/]+)\/?$/, false, (s, c, id) => getChange(s, c, id)),
  ListHealthChecks: op('GET', /^\/2013-04-01\/healthcheck\/?$/, false, (s, _c, _id, req) => listHealthChecks(s, req.query)),
  CreateHealthCheck: op('POST', /^\/2013-04-01\/healthcheck\/?$/, true, (s, c, _id, req) => createHealthCheck(s, c, req.body)),
  GetHealthCheck: op('GET', /^\/2013-04-01\/healthcheck\/([^/]+)\/?$/, false, (s, _c, id) => getHealthCheck(s, id)),
  UpdateHealthCheck: op('POST', /^\/2013-04-01\/healthcheck\/([^/]+)\/?$/, true, (s, _c, id, req) => updateHealthCheck(s, id, req.body)),
  GetHealthCheckStatus: op('GET', /^\/2013-04-01\/healthcheck\/([^/]+)\/status\/?$/, false, (s, c, id) => getHealthCheckStatus(s, c, id)),
  TestDNSAnswer: op('GET', /^\/2013-04-01\/testdnsanswer\/?$/, false, (s, c, _id, req) => testDnsAnswer(s, c, req.query)),
  GetHealthCheckLastFailureReason: op('GET', /^\/2013-04-01\/healthcheck\/([^/]+)\/lastfailurereason\/?$/, false, (s, c, id) => getLastFailureReason(s, c, id)),
};

function operationName(req: SandboxRequest): string {
  for (const [name, o] of Object.entries(OPERATIONS)) if (o.method === req.method && o.path.test(req.path)) return name;
  return 'Unknown';
}

export const route53Service: ServiceModule<Route53State> = {
  signingName: 'route53',
  stateKey: 'route53',
  global: true,
  init: (section, ctx) => initRoute53(section as WorldFile['route53'], ctx),
  operation: operationName,
  operations: OPERATIONS,
  unknownOperation: (req) =>
    new SandboxAwsError(
      'UnknownOperationException',
      `The sandbox's Route 53 does not implement ${req.method} ${req.path} (it answers ${V} hostedzone, hostedzonesbyname, rrset, change, healthcheck and testdnsanswer operations)`,
      404,
    ),
  renderError: (err, req) => errorResponse(err, req.requestId),
};
