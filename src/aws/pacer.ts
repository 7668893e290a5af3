// A FIFO token bucket: callers wait their turn instead of going out together and being throttled.
// Route 53 uses one per process (factory.ts), taken by every attempt of every Route 53 call.
//
// Route 53 quotas, "Limits on API requests": "Five requests per second per AWS account. If you submit
// more than five requests per second, Amazon Route 53 returns an HTTP 400 error (Bad request). The
// response header also includes a Code element with a value of Throttling"
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests).
// AWS does not document a burst; the safer reading is a burst no larger than the per-second rate.

export interface PacerOptions {
  /** Calls per second. */
  rate: number;
  /** Calls that may start together; default the rate (at least 1). */
  burst?: number;
  now?: () => number;
}

export const ROUTE53_RATE = 5;
/**
 * The window is stretched by 1/0.9: a call's arrival at AWS is late by a varying network delay (the
 * first calls of a burst open connections), so calls sent exactly one window apart can arrive closer
 * than that and be throttled.
 */
const MARGIN = 0.9;

/**
 * At most `burst` calls start in any window of burst/rate seconds (stretched by the margin): for
 * 5 req/s, five calls at once, then the next five a window later, so no 1 s window ever holds more
 * than five, which is the safer reading of "five requests per second" than a token bucket whose
 * burst and refill together would let ten start within one second.
 */
export class Pacer {
  /** Calls per second this pacer lets through at most, sustained. */
  readonly rate: number;
  readonly burst: number;
  private readonly windowMs: number;
  private readonly starts: number[] = [];
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(opts: PacerOptions) {
    if (!(opts.rate > 0)) throw new RangeError(`pacer rate must be positive, got ${opts.rate}`);
    this.burst = Math.max(1, Math.floor(opts.burst ?? opts.rate));
    this.windowMs = ((this.burst / opts.rate) * 1000) / MARGIN;
    this.rate = (this.burst / this.windowMs) * 1000;
    // Monotonic ms. process.hrtime rather than performance.now(): Node loads perf_hooks on the first use
    // of the `performance` global, about 2 ms of every `mr status` (CPU profile).
    this.now = opts.now ?? (() => Number(process.hrtime.bigint()) / 1e6);
  }

  /** Calls waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  /** How long a call asked for now, with `extraCalls` more already ahead of it, would wait, in ms. */
  delayMs(extraCalls = 0): number {
    this.forget();
    const position = this.starts.length + this.waiting.length + extraCalls;
    if (position < this.burst) return 0;
    // The call is in the k-th window after the one that holds the oldest start still counted.
    const windows = Math.floor(position / this.burst);
    const oldest = this.starts[0] ?? this.now();
    return Math.max(0, Math.ceil(oldest + windows * this.windowMs - this.now()));
  }

  /** Resolves when the caller may start its call; callers are served in order. */
  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.release();
    });
  }

  private forget(): void {
    const t = this.now();
    while (this.starts.length > 0 && t - this.starts[0] >= this.windowMs) this.starts.shift();
  }

  private release(): void {
    if (this.timer !== undefined) return;
    this.forget();
    while (this.waiting.length > 0 && this.starts.length < this.burst) {
      this.starts.push(this.now());
      this.waiting.shift()!();
    }
    if (this.waiting.length === 0) return;
    const wait = Math.max(1, Math.ceil(this.starts[0] + this.windowMs - this.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.release();
    }, wait);
  }
}
