// The one place where SDK failures become AwsCallError. Adapters wrap every SDK call in call().
import { AwsCallError } from './errors.js';

/** Socket-level failures: the endpoint never gave an HTTP answer. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Error names the SDK retries as throttling (smithy-typescript service-error-classification, AWS-FACTS §7). */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

/** Translate anything an SDK call threw into an AwsCallError. Pure: unit-tested with fabricated errors. */
export function toAwsCallError(service: string, region: string, operation: string, err: unknown): AwsCallError {
  if (err instanceof AwsCallError) return err;
  const e: SdkErrorShape = typeof err === 'object' && err !== null ? (err as SdkErrorShape) : { message: String(err) };
  const meta = e.$metadata ?? {};
  const name = typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
  const rawCode = typeof e.code === 'string' ? e.code : undefined;
  // An HTTP status or a fault side means the service answered; its modelled name is the code.
  const answered = meta.httpStatusCode !== undefined || e.$fault === 'client' || e.$fault === 'server';
  let code: string;
  let unreachable = false;
  if (answered) {
    code = name;
  } else if (rawCode !== undefined && NETWORK_CODES.has(rawCode)) {
    // The node http handler renames ECONNRESET/EPIPE/ETIMEDOUT errors to TimeoutError but keeps the code;
    // a reset says more to an operator than "timeout", so the socket code wins, except for our own
    // request timeout (ETIMEDOUT), which is reported as TimeoutError.
    code = rawCode === 'ETIMEDOUT' && name === 'TimeoutError' ? 'TimeoutError' : rawCode;
    unreachable = true;
  } else if (name === 'TimeoutError') {
    code = 'TimeoutError';
    unreachable = true;
  } else {
    code = rawCode ?? name;
  }
  const throttled = THROTTLING_CODES.has(code) || meta.httpStatusCode === 429;
  return new AwsCallError(service, region, operation, code, cleanMessage(e.message, code), {
    requestId: meta.requestId,
    httpStatus: meta.httpStatusCode,
    unreachable,
    throttled,
    attempts: meta.attempts,
  });
}

function cleanMessage(message: unknown, code: string): string {
  const text = typeof message === 'string' ? message.trim() : '';
  // The SDK's own network messages start with its package name; an operator does not need it.
  const stripped = text.replace(/^@smithy\/[\w-]+\s*-\s*/, '').replace(/^\[(ERROR|WARN)\]\s*/, '');
  return stripped === '' || stripped === 'UnknownError' || stripped === 'Unknown' ? code : stripped;
}

/** Run one SDK call; whatever it throws comes out as an AwsCallError naming service, region and operation. */
export async function call<T>(service: string, region: string, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toAwsCallError(service, region, operation, err);
  }
}
