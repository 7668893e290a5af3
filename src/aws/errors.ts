// Adapters translate every SDK failure into this one plain error, so nothing above src/aws
// needs to know SDK error classes.
// AWS source for "throttled" and "passing" failures: the SDKs' standard retry mode treats throttling
// errors, timeouts, connection resets and 5xx as transient
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html; AWS-FACTS §10).

export class AwsCallError extends Error {
  constructor(
    readonly service: string,
    readonly region: string,
    readonly operation: string,
    /** AWS error code as the SDK names it (e.g. InvalidGlobalClusterStateFault), or a network code (ECONNRESET, TimeoutError). */
    readonly code: string,
    message: string,
    readonly details: {
      requestId?: string;
      httpStatus?: number;
      /** The endpoint did not answer at all (connection reset or refused, DNS failure, timeout). */
      unreachable: boolean;
      throttled: boolean;
      attempts?: number;
    },
  ) {
    super(message);
    this.name = 'AwsCallError';
  }

  /** One line for an operator: "rds SwitchoverGlobalCluster in us-east-1: InvalidGlobalClusterStateFault: ..." */
  oneLine(): string {
    return `${this.service} ${this.operation} in ${this.region}: ${this.code}: ${this.message}`;
  }
}

export function isAwsCallError(e: unknown): e is AwsCallError {
  return e instanceof AwsCallError;
}

/** A read that failed for a passing reason (no answer, throttled, a server error): worth polling again. */
export function isPassingFailure(e: unknown): e is AwsCallError {
  return isAwsCallError(e) && (e.details.unreachable || e.details.throttled || (e.details.httpStatus ?? 0) >= 500);
}
