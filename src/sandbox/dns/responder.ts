// The sandbox's DNS responder: UDP and TCP on 127.0.0.1, one ephemeral port for both, so node:dns's
// Resolver (and dig) can ask it for the names the sandbox owns (zone.ts). The wire format is dns-packet's
// (RFC 1035 messages; over TCP each is prefixed by its two-byte length, RFC 1035 4.2.2).
// Models no AWS behaviour itself: the answers come from zone.ts, whose sources are cited there.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import packet from 'dns-packet';
import type { DnsResult } from './zone.js';

export interface DnsResponder {
  /** The port both the UDP and the TCP listener have, on 127.0.0.1. */
  port: number;
  stop(): Promise<void>;
}

export type Answerer = (name: string, type: string) => DnsResult;

const HOST = '127.0.0.1';
/** A free UDP port may be taken for TCP: try a few. */
const BIND_TRIES = 5;

/** The reply to one query message, or undefined when the bytes are not a DNS query at all. */
export function reply(query: Buffer, answer: Answerer, log: (m: string) => void = () => {}): Buffer | undefined {
  let q: packet.DecodedPacket;
  try {
    q = packet.decode(query);
  } catch {
    return undefined;
  }
  if (q.type !== 'query') return undefined;
  const question = q.questions?.[0];
  const base = { id: q.id, type: 'response' as const, questions: q.questions ?? [] };
  // One question per message is what resolvers send; anything else is a format error.
  if (!question || (q.questions?.length ?? 0) !== 1) return packet.encode({ ...base, flags: rcodeFlag('FORMERR') });
  let result: DnsResult;
  try {
    result = answer(question.name, question.type);
  } catch (e) {
    log(`sandbox dns: answering ${question.name} ${question.type} failed: ${(e as Error).message}`);
    return packet.encode({ ...base, flags: rcodeFlag('SERVFAIL') });
  }
  const authoritative = result.rcode === 'REFUSED' ? 0 : packet.AUTHORITATIVE_ANSWER;
  const answers = result.answers.map((r) =>
    r.type === 'CNAME'
      ? { type: 'CNAME' as const, name: r.name, ttl: r.ttl, class: 'IN' as const, data: r.target }
      : { type: 'A' as const, name: r.name, ttl: r.ttl, class: 'IN' as const, data: r.address },
  );
  return packet.encode({ ...base, flags: authoritative | rcodeFlag(result.rcode), answers });
}

/** RCODE is the low 4 bits of the flags word (RFC 1035 4.1.1). */
function rcodeFlag(rcode: 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'REFUSED'): number {
  return { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 }[rcode];
}

function bindUdp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(port, HOST, () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

function bindTcp(port: number, onSocket: (c: TcpSocket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(onSocket);
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function serveTcp(c: TcpSocket, answer: Answerer, log: (m: string) => void): void {
  let buffered = Buffer.alloc(0);
  c.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) return;
      const message = buffered.subarray(2, 2 + length);
      buffered = buffered.subarray(2 + length);
      const out = reply(message, answer, log);
      if (!out) return void c.destroy();
      const framed = Buffer.alloc(2 + out.length);
      framed.writeUInt16BE(out.length, 0);
      out.copy(framed, 2);
      c.write(framed);
    }
  });
  c.on('error', () => c.destroy());
  // An idle connection is closed, as name servers do.
  c.setTimeout(10_000, () => c.destroy());
}

/** Listen on 127.0.0.1: `port` 0 picks a free one (UDP first, then TCP on the same number). */
export async function startDnsResponder(answer: Answerer, opts: { port?: number; log?: (m: string) => void } = {}): Promise<DnsResponder> {
  const log = opts.log ?? (() => {});
  const connections = new Set<TcpSocket>();
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(opts.port ?? 0);
    const port = udp.address().port;
    let tcp: Server;
    try {
      tcp = await bindTcp(port, (c) => {
        connections.add(c);
        c.on('close', () => connections.delete(c));
        serveTcp(c, answer, log);
      });
    } catch (e) {
      udp.close();
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' && !opts.port && attempt < BIND_TRIES) continue;
      throw e;
    }
    udp.on('message', (msg, from) => {
      const out = reply(msg, answer, log);
      if (out) udp.send(out, from.port, from.address);
    });
    udp.on('error', (e) => log(`sandbox dns: ${e.message}`));
    let stopped: Promise<void> | undefined;
    return {
      port,
      stop() {
        stopped ??= new Promise<void>((resolve) => {
          for (const c of connections) c.destroy();
          udp.close(() => tcp.close(() => resolve()));
        });
        return stopped;
      },
    };
  }
}
