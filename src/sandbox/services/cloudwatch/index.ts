// CloudWatch GetMetricData for the replication lag metrics (Aurora global database, RDS ReplicaLag, Global
// Datastore), following the simulated lag.
// The installed client sends awsJson 1.0 (X-Amz-Target GraniteServiceVersion20100801.*, x-amzn-query-mode,
// query-compatible errors); awsQuery (Action=GetMetricData) is answered too.
import { SandboxAwsError, type SandboxRequest, type ServiceContext, type ServiceModule } from '../../contract.js';
import { el, esc, wrap } from '../../protocol/xml.js';
import { decodeQuery, invalidAction, queryAction, queryError, queryParams, queryResponse, xmlList } from '../../protocol/query.js';
import { epochSeconds, jsonBody, jsonError, jsonResponse, jsonTarget, unknownOperation } from '../../protocol/json.js';
import { auroraLagMetric } from '../rds/lag-metric.js';
import { auroraClusterRegion, auroraLagMs, type AuroraState } from '../rds/state.js';
import { REPLICA_LAG_METRIC, replicaLagSeconds } from '../rds/replica-lag.js';
import { BINLOG_LAG_METRIC, binlogLagSeconds } from '../rds/replica-clusters.js';
import type { RdsInstanceState } from '../rds/instances.js';
import { fromJson, fromQuery, type MetricDataInput, type MetricQuery } from './input.js';
import { DATASTORE_LAG_METRIC, datastoreLagSeconds } from '../elasticache/lag.js';
import type { ElastiCacheState } from '../elasticache/state.js';

const TARGET_PREFIX = 'GraniteServiceVersion20100801';
const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const LAG_METRICS = ['AuroraGlobalDBReplicationLag', 'AuroraGlobalDBRPOLag'];
/** awsQuery error Code -> the shape name the JSON __type carries (query-compatible service). */
const SHAPE_NAMES: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
};

interface Result {
  id: string;
  label: string;
  timestamps: number[]; // simulated epoch ms
  values: number[];
  statusCode: 'Complete' | 'PartialData';
}

const isJson = (req: SandboxRequest) => req.headers['x-amz-target'] !== undefined;

/**
 * The lag a metric query asks for at simulated time t, or undefined when there is no datapoint.
 * ⚠ AWS documents the metric as published in the SECONDARY's region and the exact dimension set is
 * unverified: we answer with the single dimension DBClusterIdentifier=<secondary>, only in that cluster's
 * region; the writer, an unknown cluster or another region give no datapoints.
 * ⚠ Only the metric AWS says to read for the cluster's engine and version has datapoints here
 * (AuroraGlobalDBRPOLag for Aurora PostgreSQL and Aurora MySQL 3.04+/2.12+, AuroraGlobalDBReplicationLag
 * for older Aurora MySQL; see rds/lag-metric.ts): AWS may publish both, but a client that reads the
 * other one then sees "no datapoint" (a refusal) rather than a number that means something else.
 */
function lagSource(q: MetricQuery, region: string, state: AuroraState | undefined, ctx: ServiceContext): ((t: number) => number | undefined) | undefined {
  if (q.namespace === 'AWS/RDS' && q.metricName === REPLICA_LAG_METRIC) {
    if (q.dimensions.length !== 1 || q.dimensions[0].name !== 'DBInstanceIdentifier') return undefined;
    const id = q.dimensions[0].value;
    const instances = ctx.peek<RdsInstanceState | undefined>('rds');
    return (t) => replicaLagSeconds(instances, region, id, t, ctx);
  }
  if (q.namespace === 'AWS/ElastiCache' && q.metricName === DATASTORE_LAG_METRIC) {
    // Node-level: CacheClusterId, optionally with CacheNodeId (one node per cluster here, 0001).
    const cluster = q.dimensions.find((d) => d.name === 'CacheClusterId');
    const node = q.dimensions.find((d) => d.name === 'CacheNodeId');
    if (!cluster || q.dimensions.length !== (node ? 2 : 1) || (node && node.value !== '0001')) return undefined;
    const caches = ctx.peek<ElastiCacheState | undefined>('elasticache');
    return (t) => datastoreLagSeconds(caches, region, cluster.value, t, ctx);
  }
  if (q.namespace === 'AWS/RDS' && q.metricName === BINLOG_LAG_METRIC) {
    if (q.dimensions.length !== 1 || q.dimensions[0].name !== 'DBClusterIdentifier') return undefined;
    const id = q.dimensions[0].value;
    const instances = ctx.peek<RdsInstanceState | undefined>('rds');
    return (t) => binlogLagSeconds(instances, region, id, t, ctx);
  }
  if (q.namespace !== 'AWS/RDS' || !q.metricName || !LAG_METRICS.includes(q.metricName)) return undefined;
  if (q.dimensions.length !== 1 || q.dimensions[0].name !== 'DBClusterIdentifier') return undefined;
  const clusterId = q.dimensions[0].value;
  if (auroraClusterRegion(state, clusterId) !== region) return undefined;
  if (auroraLagMetric(state, clusterId) !== q.metricName) return undefined;
  return (t) => auroraLagMs(state, clusterId, t, ctx);
}

function checkQuery(q: MetricQuery): number {
  if (q.expression !== undefined) throw new SandboxAwsError('InvalidParameterValue', `The sandbox does not evaluate metric math expressions (query ${q.id}).`);
  if (!q.metricName || !q.namespace) throw new SandboxAwsError('InvalidParameterValue', `Query ${q.id} needs a MetricStat with a Namespace and a MetricName.`);
  if (!q.stat) throw new SandboxAwsError('MissingParameter', `The parameter MetricDataQueries.member.MetricStat.Stat is required (query ${q.id}).`);
  const p = q.periodSeconds;
  if (p === undefined || !Number.isInteger(p) || p <= 0 || (p >= 60 ? p % 60 !== 0 : ![1, 5, 10, 30].includes(p))) {
    throw new SandboxAwsError('InvalidParameterValue', `The parameter Period must be 1, 5, 10, 30 or a multiple of 60 (query ${q.id}).`);
  }
  return p * 1000;
}

/** Where in a period a statistic is sampled: the lag only grows or holds within a period. */
function sampleAt(stat: string, ts: number, periodMs: number, now: number): number {
  if (stat === 'Maximum') return Math.min(ts + periodMs, now);
  if (stat === 'Minimum') return ts;
  return Math.min(ts + periodMs / 2, now);
}

function decodeToken(token: string | undefined, count: number): { query: number; ts?: number } {
  if (token === undefined) return { query: 0 };
  const m = /^q(\d+):(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!m || Number(m[1]) >= count) throw new SandboxAwsError('InvalidNextToken', 'The service could not find the specified NextToken.');
  return { query: Number(m[1]), ts: Number(m[2]) };
}

/** Real clients ask for "the last N minutes" by the wall clock, while the simulated clock runs ahead
 * (time scale, advance()). A window whose end is nearer the wall clock than the simulated one is
 * meant relative to now: move it onto the simulated clock, so a rehearsal reads the present lag. */
export function toSimulatedWindow(input: MetricDataInput, simNow: number, realNow: number): MetricDataInput {
  if (Math.abs(input.endMs - realNow) >= Math.abs(input.endMs - simNow)) return input;
  const shift = simNow - realNow;
  return { ...input, startMs: input.startMs + shift, endMs: input.endMs + shift };
}

function getMetricData(input: MetricDataInput, region: string, ctx: ServiceContext): { results: Result[]; nextToken?: string } {
  const state = ctx.peek<AuroraState | undefined>('aurora');
  const now = ctx.now();
  input = toSimulatedWindow(input, now, Date.now());
  const resume = decodeToken(input.nextToken, input.queries.length);
  let budget = input.maxDatapoints;
  let nextToken: string | undefined;
  const results: Result[] = [];
  input.queries.forEach((q, qi) => {
    const periodMs = checkQuery(q);
    if (!q.returnData) return;
    const result: Result = { id: q.id, label: q.label ?? q.metricName!, timestamps: [], values: [], statusCode: 'Complete' };
    results.push(result);
    const source = lagSource(q, region, state, ctx);
    if (!source || qi < resume.query || nextToken) {
      if (nextToken && source) result.statusCode = 'PartialData';
      return;
    }
    // Periods start at StartTime rounded down; no datapoint for a period that has not begun yet.
    const first = Math.floor(input.startMs / periodMs) * periodMs;
    const last = Math.floor(Math.min(input.endMs - 1, now) / periodMs) * periodMs;
    const descending = input.scanBy === 'TimestampDescending';
    let ts = qi === resume.query && resume.ts !== undefined ? resume.ts : descending ? last : first;
    while (ts >= first && ts <= last) {
      if (budget === 0) {
        nextToken = Buffer.from(`q${qi}:${ts}`).toString('base64');
        result.statusCode = 'PartialData';
        break;
      }
      const v = source(sampleAt(q.stat!, ts, periodMs, now));
      if (v !== undefined) {
        result.timestamps.push(ts);
        result.values.push(Math.round(v * 1000) / 1000);
        budget--;
      }
      ts += descending ? -periodMs : periodMs;
    }
  });
  return { results, nextToken };
}

function jsonOut(out: { results: Result[]; nextToken?: string }) {
  return {
    MetricDataResults: out.results.map((r) => ({
      Id: r.id,
      Label: r.label,
      Timestamps: r.timestamps.map(epochSeconds),
      Values: r.values,
      StatusCode: r.statusCode,
      Messages: [],
    })),
    ...(out.nextToken ? { NextToken: out.nextToken } : {}),
    Messages: [],
  };
}

function xmlOut(out: { results: Result[]; nextToken?: string }): string {
  const results = xmlList(
    'MetricDataResults',
    'member',
    out.results,
    (r) =>
      el('Id', r.id) +
      el('Label', r.label) +
      xmlList('Timestamps', 'member', r.timestamps, (t) => esc(new Date(t).toISOString())) +
      xmlList('Values', 'member', r.values, (v) => esc(v)) +
      el('StatusCode', r.statusCode) +
      wrap('Messages', ''),
  );
  return results + el('NextToken', out.nextToken) + wrap('Messages', '');
}

export const cloudWatchService: ServiceModule<Record<string, never>> = {
  signingName: 'monitoring',
  stateKey: 'cloudwatch',
  init: () => ({}),
  operation: (req) => (isJson(req) ? jsonTarget(req, TARGET_PREFIX) || 'Unknown' : queryAction(req)),
  operations: {
    // Either protocol: the current client sends awsJson 1.0, older ones and the AWS CLI may send awsQuery.
    GetMetricData: {
      mutating: false,
      handle(req, _state, ctx) {
        if (isJson(req)) return jsonResponse('1.0', jsonOut(getMetricData(fromJson(jsonBody(req)), req.region, ctx)));
        const out = getMetricData(fromQuery(decodeQuery(queryParams(req))), req.region, ctx);
        return queryResponse('GetMetricData', XMLNS, xmlOut(out), req.requestId);
      },
    },
  },
  unknownOperation: (req, operation) => (isJson(req) ? unknownOperation(req) : invalidAction(operation)),
  renderError: (err, req) =>
    isJson(req)
      ? jsonError(err, '1.0', { queryCompatible: { namespace: 'com.amazonaws.cloudwatch', shapeNames: SHAPE_NAMES } })
      : queryError(err, req.requestId),
};
