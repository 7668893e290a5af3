// Verify probes read state while it is changing. A read that fails for a passing reason (no answer,
// throttled, a 5xx) is reported as "not yet" so the wait goes on until its timeout; any other error
// (not found, access denied) ends the wait at once.
import { isAwsCallError } from '../aws/errors.js';

export type ProbeResult<T = void> = { done: boolean; detail: string; value?: T };

export function isPassingFailure(e: unknown): boolean {
  if (!isAwsCallError(e)) return false;
  return e.details.unreachable || e.details.throttled || (e.details.httpStatus ?? 0) >= 500;
}

export function tolerant<T>(probe: () => Promise<ProbeResult<T>>): () => Promise<ProbeResult<T>> {
  return async () => {
    try {
      return await probe();
    } catch (e) {
      if (isPassingFailure(e) && isAwsCallError(e)) return { done: false, detail: `read failed, retrying: ${e.oneLine()}` };
      throw e;
    }
  };
}
