// THE mutation choke point. It lives in the AWS layer, next to the connection that sends the
// command, so the audited call is the call sent: the intent is written from the SDK command being
// sent (service, region, operation, its input) before it goes out, and the result carries the AWS
// request id of its answer. An adapter's mutating methods exist only on `aws.mutating(sink)`: no
// sink, no way to mutate. The engine implements the sink (the audit log); src/aws knows only this
// interface, so it imports nothing of the engine or the audit layer.
// AWS sources: a mutating call is sent once (maxAttempts 1) because the SDK's standard retry mode
// retries timeouts and resets whatever the operation (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html);
// a 5xx or no answer leaves the outcome unknown (AWS does not say a 5xx means "not applied"), so the
// safer reading is a read-back before any resend. The request id is the x-amzn-RequestId AWS returns.
import { isAwsCallError } from './errors.js';

/** What every mutating adapter call returns, so the audit log can carry the AWS request id. */
export interface MutationResult {
  requestId?: string;
}

/** One mutating call as the audit log's `intent` event names it. */
export interface MutationCall {
  /** 'sandbox': a game-day fault (sandbox-control.ts), audited here like a change but not an AWS call. */
  service: 'route53' | 'rds' | 'elasticache' | 'ecs' | 'application-autoscaling' | 'sandbox';
  region: string;
  operation: string; // the AWS operation, e.g. "SwitchoverGlobalCluster"
  target: string; // the resource it changes, e.g. "ecs demo-euw1/api"
  /** The adapter call's arguments in mr's terms (plus the caller's note, e.g. the lock's `why`); no secrets. */
  params: Record<string, unknown>;
  /** The SDK command's input exactly as sent (absent only for a fake AWS layer, which sends no command). */
  input?: unknown;
}

export type MutationError = { code: string; message: string; requestId?: string; unreachable: boolean } | { message: string };

/** How one call ended, as the audit log's `result` event says it. */
export interface MutationEnd {
  ok: boolean;
  requestId?: string;
  /** Only for a call whose answer was lost and was settled by reading the resource back. */
  outcome?: 'applied (answer lost)' | 'not applied (answer lost, read back)';
  error?: MutationError;
  durationMs: number;
  /** The call took effect, or may have (no answer): a failure after it leaves the world partly changed. */
  applied: boolean;
}

/**
 * Where the choke point writes. intent() is awaited before the command is sent: when it rejects
 * (the audit log cannot be written, the run was interrupted) nothing is sent.
 */
export interface MutationSink {
  intent(call: MutationCall): Promise<void>;
  result(call: MutationCall, end: MutationEnd): Promise<void>;
  /** The clock for durations; default Date.now. */
  now?(): number;
}

/**
 * How a mutation whose outcome is unknown is settled. Mutations are sent once (factory.ts), so a
 * timeout, a connection reset or a 5xx leaves it open whether AWS took the call.
 */
export interface MutateOptions<T> {
  /** Read the resource: what stands for the call's answer when it took effect, undefined when it did not. */
  reconcile?: () => Promise<T | undefined>;
  /** When the read shows it did not take effect: send it once more (a second intent on record). */
  resend?: boolean;
  /** What the caller changes, in its words, instead of the adapter's (the lock: "lock <record name>"). */
  target?: string;
  /** More for the intent's params, e.g. `{ why: 'take the run lock' }`. */
  note?: Record<string, unknown>;
}

/** One attempt, made ready: the input of the command about to go out, and the sending of it. */
export interface Prepared<T> {
  input?: unknown;
  send(): Promise<T>;
}

/** No answer at all, or a 5xx: AWS may have taken the call. A 4xx answer means it did not. */
export function outcomeUnknown(e: unknown): boolean {
  if (!isAwsCallError(e)) return true;
  return e.details.unreachable || (e.details.httpStatus ?? 0) >= 500;
}

function errorOf(e: unknown): MutationError {
  return isAwsCallError(e)
    ? { code: e.code, message: e.message, requestId: e.details.requestId, unreachable: e.details.unreachable }
    : { message: (e as Error).message };
}

/**
 * Intent on record, then the call, then its result. An unknown outcome is settled with the caller's
 * reconcile read: applied -> recorded as "applied (answer lost)" and the caller goes on; not applied
 * -> the error stands, or, with `resend`, the call is prepared and sent once more under a second intent.
 * `prepare` is called once per attempt, so each intent carries the input of the command that attempt sends.
 */
export async function sendMutation<T extends MutationResult>(
  sink: MutationSink,
  described: Omit<MutationCall, 'input'>,
  prepare: () => Promise<Prepared<T>>,
  opts: MutateOptions<T> = {},
): Promise<T> {
  const now = () => (sink.now ? sink.now() : Date.now());
  const attempt = await prepare();
  const call: MutationCall = {
    ...described,
    target: opts.target ?? described.target,
    params: opts.note ? { ...opts.note, ...described.params } : described.params,
    ...(attempt.input !== undefined ? { input: attempt.input } : {}),
  };
  // No intent on record, no call: a sink failure here rejects before anything is sent.
  await sink.intent(call);
  const started = now();
  const durationMs = () => now() - started;
  let result: T;
  try {
    result = await attempt.send();
  } catch (e) {
    const error = errorOf(e);
    if (opts.reconcile && outcomeUnknown(e)) {
      const seen = await opts.reconcile().then(
        (r) => (r === undefined ? ('not applied' as const) : { applied: r }),
        () => 'unknown' as const, // the read failed too: the outcome stays unknown
      );
      if (typeof seen === 'object') {
        await sink.result(call, { ok: true, outcome: 'applied (answer lost)', error, durationMs: durationMs(), applied: true });
        return seen.applied;
      }
      if (seen === 'not applied') {
        await sink.result(call, { ok: false, outcome: 'not applied (answer lost, read back)', error, durationMs: durationMs(), applied: false });
        if (opts.resend) return sendMutation(sink, described, prepare, { reconcile: opts.reconcile, target: opts.target, note: opts.note });
        throw e;
      }
    }
    // An AWS error answer means the call did not take effect; no answer at all means it may have.
    const applied = !isAwsCallError(e) || e.details.unreachable;
    // The call's own error is the one to report; if even this line cannot be written, the intent
    // without a result is itself the record that the outcome is unknown.
    await sink.result(call, { ok: false, error, durationMs: durationMs(), applied }).catch(() => undefined);
    throw e;
  }
  await sink.result(call, { ok: true, requestId: result.requestId, durationMs: durationMs(), applied: true });
  return result;
}
