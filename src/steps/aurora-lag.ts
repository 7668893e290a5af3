// The lag check the Aurora gate and the switchover share: the secondary's lag, read from the metric AWS
// says to use for its engine (src/aws/aurora-engine.ts), against a bound. Two ways to fail, two overrides:
// - above the bound: raise the bound (`--max-lag <ms>`, on `mr aurora switchover` and `mr failover`);
// - no datapoint: the lag is unknown, which is never read as zero (AWS-FACTS §10). `--skip-lag-check`
//   goes ahead without it; the engine records each overridden check in the audit log (event `override`).
import type { AuroraLagMetric } from '../aws/types.js';
import type { Check } from './contract.js';

export const MAX_LAG_OVERRIDE = '--max-lag <ms>';
export const SKIP_LAG_CHECK = '--skip-lag-check';

/** CloudWatch is asked for this window (src/aws/cloudwatch.ts); said in the refusal so "none" is concrete. */
const WINDOW = 'the last 5 minutes';

export interface LagReading {
  lagMs: number | null;
  metric: AuroraLagMetric;
  error?: string;
}

export function lagBoundCheck(name: string, region: string, clusterId: string, lag: LagReading, boundMs: number): Check {
  if (lag.lagMs === null) {
    const why = lag.error ? `: ${lag.error}` : '';
    return {
      name,
      passed: false,
      observed: null,
      bound: boundMs,
      message: `no replication lag reading for ${clusterId} in ${region}: no ${lag.metric} datapoint in ${WINDOW}, so the lag is unknown (not zero)${why}`,
      override: SKIP_LAG_CHECK,
    };
  }
  const passed = lag.lagMs <= boundMs;
  return {
    name,
    passed,
    observed: lag.lagMs,
    bound: boundMs,
    message: `${region} lag ${lag.lagMs} ms is ${passed ? 'within' : 'above'} the bound ${boundMs} ms`,
    override: MAX_LAG_OVERRIDE,
  };
}
