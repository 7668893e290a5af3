// Asks made in the same tick, handed over together (route53-batch.ts: one listing for many record reads).
export interface Ask<Req, Res> {
  req: Req;
  resolve(value: Res): void;
  reject(error: unknown): void;
}

/**
 * Collects the asks of one tick and hands them over together. A hold (an ask still being worked out,
 * e.g. a record named after a zone whose name is being read) keeps the batch open until it settles,
 * so that ask goes out with the others instead of in a listing of its own.
 */
export class Microbatch<Req, Res> {
  private asks: Ask<Req, Res>[] = [];
  private holds = new Set<Promise<unknown>>();
  private scheduled = false;
  constructor(private readonly flush: (asks: Ask<Req, Res>[]) => Promise<void>) {}

  ask(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.asks.push({ req, resolve, reject });
      this.schedule();
    });
  }

  /** Keep the batch of this tick open until `p` settles (`p` makes its own ask before it settles). */
  hold(p: Promise<unknown>): void {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.holds.add(settled);
    void settled.then(() => this.holds.delete(settled));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    while (this.holds.size > 0) {
      await Promise.all([...this.holds]);
      // One more turn, so asks made as the holds settled are in.
      await new Promise((r) => setImmediate(r));
    }
    this.scheduled = false;
    const asks = this.asks;
    this.asks = [];
    if (asks.length > 0) this.flush(asks).catch((e) => asks.forEach((a) => a.reject(e)));
  }
}
