// Asks made in the same tick, handed over together (route53-batch.ts: one listing for many record reads).
export interface Ask<Req, Res> {
  req: Req;
  resolve(value: Res): void;
  reject(error: unknown): void;
}

/** Collects the asks of one tick and hands them over together. */
export class Microbatch<Req, Res> {
  private asks: Ask<Req, Res>[] = [];
  constructor(private readonly flush: (asks: Ask<Req, Res>[]) => Promise<void>) {}

  ask(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.asks.push({ req, resolve, reject });
      if (this.asks.length === 1) {
        setImmediate(() => {
          const asks = this.asks;
          this.asks = [];
          this.flush(asks).catch((e) => asks.forEach((a) => a.reject(e)));
        });
      }
    });
  }
}
