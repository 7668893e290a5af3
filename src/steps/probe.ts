// The retry rule for polls lives in one place, StepContext.waitFor (src/engine/step-context.ts): a
// read that fails for a passing reason (no answer, throttled, a 5xx) makes the wait go on until its
// timeout; any other error ends it.
import { isPassingFailure } from '../aws/errors.js';
import type { Topology } from '../config/schema.js';
import { parseDuration } from '../util/duration.js';

export type ProbeResult<T = void> = { done: boolean; detail: string; value?: T };

export { isPassingFailure };

export type ExpectedOperation = 'route53Sync' | 'auroraSwitchover' | 'auroraFailover' | 'redisFailover' | 'ecsStart';

/** The operation's typical duration from the topology (timeouts.expected), for waitFor's poll schedule. */
export function expectedMs(topology: Topology, op: ExpectedOperation): number | undefined {
  const d = topology.timeouts.expected?.[op];
  return d === undefined ? undefined : parseDuration(d);
}
