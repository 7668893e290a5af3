// Route 53's control plane lives in us-east-1 only. When it does not answer, no weight can change:
// say so in one line and point the operator at what still works (AWS-FACTS 2.3).
import { isAwsCallError } from '../aws/errors.js';
import { FailedError } from '../io/errors.js';

export const ROUTE53_DOWN_MESSAGE =
  "Route 53's control plane (us-east-1) does not answer, so record weights cannot be changed now; " +
  "rely on health-check-driven failover: the records' health checks keep DNS answering with healthy regions only";

export const ROUTE53_DOWN_HINT =
  'DNS answers and health checks are served by the data plane, which keeps working; retry the shift when the control plane answers';

export function isRoute53Unreachable(e: unknown): boolean {
  return isAwsCallError(e) && e.service.toLowerCase().replace(/[^a-z0-9]/g, '') === 'route53' && e.details.unreachable;
}

/** Run a Route 53 call; an unreachable control plane becomes the one-line FailedError above. */
export async function route53Call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isRoute53Unreachable(e)) throw new FailedError(ROUTE53_DOWN_MESSAGE, ROUTE53_DOWN_HINT, { cause: e });
    throw e;
  }
}
