// GetMetricData input from either wire form the CloudWatch client can send: awsJson 1.0 (the installed
// @aws-sdk/client-cloudwatch default) or awsQuery (when a caller picks AwsQueryProtocol).
import { SandboxAwsError } from '../../contract.js';
import { int, str, trees, bool, type QueryTree } from '../../protocol/query.js';

export interface MetricQuery {
  id: string;
  label?: string;
  returnData: boolean;
  expression?: string;
  namespace?: string;
  metricName?: string;
  dimensions: { name: string; value: string }[];
  periodSeconds?: number;
  stat?: string;
}

export interface MetricDataInput {
  queries: MetricQuery[];
  startMs: number;
  endMs: number;
  nextToken?: string;
  scanBy: 'TimestampDescending' | 'TimestampAscending';
  maxDatapoints: number;
}

function invalid(message: string): SandboxAwsError {
  return new SandboxAwsError('InvalidParameterValue', message);
}

/** A timestamp as awsJson (epoch seconds) or awsQuery (ISO 8601) carries it, in epoch ms. */
function timeMs(v: unknown, name: string): number {
  if (v === undefined || v === null || v === '') throw new SandboxAwsError('MissingParameter', `The parameter ${name} is required.`);
  const ms = typeof v === 'number' ? v * 1000 : /^\d+(\.\d+)?$/.test(String(v)) ? Number(v) * 1000 : Date.parse(String(v));
  if (!Number.isFinite(ms)) throw invalid(`The parameter ${name} must be a timestamp.`);
  return ms;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const n = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined);

function finish(
  queries: MetricQuery[],
  start: unknown,
  end: unknown,
  nextToken: string | undefined,
  scanBy: string | undefined,
  maxDatapoints: number | undefined,
): MetricDataInput {
  if (queries.length === 0) throw new SandboxAwsError('MissingParameter', 'The parameter MetricDataQueries is required.');
  if (queries.length > 500) throw invalid('The collection MetricDataQueries must not have a size greater than 500.');
  const startMs = timeMs(start, 'StartTime');
  const endMs = timeMs(end, 'EndTime');
  if (startMs >= endMs) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  const scan = scanBy ?? 'TimestampDescending';
  if (scan !== 'TimestampDescending' && scan !== 'TimestampAscending') throw invalid(`The parameter ScanBy must be TimestampDescending or TimestampAscending.`);
  const max = maxDatapoints ?? 100_800;
  if (!Number.isInteger(max) || max < 1) throw invalid('The parameter MaxDatapoints must be a positive integer.');
  const ids = new Set<string>();
  for (const q of queries) {
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.id))
      throw invalid(
        `The value ${q.id} for parameter MetricDataQueries.member.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    if (ids.has(q.id)) throw invalid(`The value ${q.id} for parameter MetricDataQueries.member.Id is not unique.`);
    ids.add(q.id);
  }
  return { queries, startMs, endMs, nextToken, scanBy: scan, maxDatapoints: max };
}

export function fromJson(body: Obj): MetricDataInput {
  const raw = Array.isArray(body.MetricDataQueries) ? body.MetricDataQueries : [];
  const queries = raw.map((r): MetricQuery => {
    const q = obj(r);
    const stat = obj(q.MetricStat);
    const metric = obj(stat.Metric);
    const dims = Array.isArray(metric.Dimensions) ? metric.Dimensions.map(obj) : [];
    return {
      id: s(q.Id) ?? '',
      label: s(q.Label),
      returnData: q.ReturnData !== false,
      expression: s(q.Expression),
      namespace: s(metric.Namespace),
      metricName: s(metric.MetricName),
      dimensions: dims.map((d) => ({ name: s(d.Name) ?? '', value: s(d.Value) ?? '' })),
      periodSeconds: q.MetricStat ? n(stat.Period) : n(q.Period),
      stat: s(stat.Stat),
    };
  });
  return finish(queries, body.StartTime, body.EndTime, s(body.NextToken), s(body.ScanBy), n(body.MaxDatapoints));
}

export function fromQuery(q: QueryTree): MetricDataInput {
  const queries = trees(q, 'MetricDataQueries').map((m): MetricQuery => {
    const stat = typeof m.MetricStat === 'object' ? m.MetricStat : undefined;
    const metric = stat && typeof stat.Metric === 'object' ? stat.Metric : undefined;
    return {
      id: str(m, 'Id') ?? '',
      label: str(m, 'Label'),
      returnData: bool(m, 'ReturnData') !== false,
      expression: str(m, 'Expression'),
      namespace: str(metric, 'Namespace'),
      metricName: str(metric, 'MetricName'),
      dimensions: trees(metric, 'Dimensions').map((d) => ({ name: str(d, 'Name') ?? '', value: str(d, 'Value') ?? '' })),
      periodSeconds: stat ? int(stat, 'Period') : int(m, 'Period'),
      stat: str(stat, 'Stat'),
    };
  });
  return finish(queries, str(q, 'StartTime'), str(q, 'EndTime'), str(q, 'NextToken'), str(q, 'ScanBy'), int(q, 'MaxDatapoints'));
}
