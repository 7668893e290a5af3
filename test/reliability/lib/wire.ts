// A recording proxy between mr and the sandbox: the sandbox's call log says which operation was
// called and whether it changed anything, but not with what; this keeps what went over the wire
// (method, path, target header, body), keyed by the request id the sandbox answered with.
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallLogEntry, SandboxHandle } from '../../../src/sandbox/server.js';

export interface WireRequest {
  method: string;
  path: string;
  /** x-amz-target (JSON protocols), or '' */
  target: string;
  body: string;
  /** From the sandbox's x-amzn-RequestId; undefined when the connection was reset. */
  requestId?: string;
}

export interface Recorder {
  endpoint: string;
  requests: WireRequest[];
  stop(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startRecorder(upstream: string): Promise<Recorder> {
  const to = new URL(upstream);
  const requests: WireRequest[] = [];
  const server = createServer((req, res) => {
    void readAll(req).then(
      (body) => {
        const entry: WireRequest = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          target: String(req.headers['x-amz-target'] ?? ''),
          body: body.toString('utf8'),
        };
        requests.push(entry);
        const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          entry.requestId = String(answer.headers['x-amzn-requestid'] ?? '') || undefined;
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        });
        // The sandbox reset the connection (a region down): do the same to mr.
        up.on('error', () => req.socket.destroy());
        up.end(body);
      },
      () => req.socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What makes two mutations the same: service, region, operation and exactly what was sent. */
export interface Mutation {
  key: string;
  call: CallLogEntry;
}

/**
 * Mutating calls the sandbox accepted, each with the wire request that made it. Route 53 change
 * batches lose their <Comment> (it may carry the run id, which differs between a run and its resume).
 */
export function acceptedMutations(sb: SandboxHandle, rec: Recorder): Mutation[] {
  const byId = new Map(rec.requests.filter((r) => r.requestId).map((r) => [r.requestId!, r]));
  return sb.control
    .calls()
    .filter((c) => c.mutating && c.status > 0 && c.status < 400)
    .map((call) => {
      const wire = byId.get(call.requestId);
      const body = (wire?.body ?? '(not recorded)').replace(/<Comment>[\s\S]*?<\/Comment>/g, '');
      return { call, key: [call.service, call.region, call.operation, wire?.method, wire?.path, wire?.target, body].join(' | ') };
    });
}

/** Mutations accepted more than once with the same target and parameters. */
export function repeatedMutations(muts: Mutation[]): string[] {
  const seen = new Map<string, number>();
  for (const m of muts) seen.set(m.key, (seen.get(m.key) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${n}x ${k.slice(0, 400)}`);
}
