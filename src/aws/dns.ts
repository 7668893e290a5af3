// Resolving the DNS names AWS hands out (the Aurora global writer endpoint) the way an application would:
// node:dns's Resolver, which asks name servers directly (not getaddrinfo), so a CNAME is seen as the CNAME.
// Against AWS it asks the system's name servers. Behind an endpoint override that is mr's sandbox, it asks
// the sandbox's DNS responder, whose port the sandbox's control endpoint tells (GET /_sandbox/dns); an
// explicit server (AwsOptions.dnsServer) wins over both.
// No AWS API is called here; what the names should answer is the callers' to say (src/steps/aurora-writer-endpoint.ts).
import { Resolver } from 'node:dns/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';

export interface CnameAnswer {
  /** The CNAME's targets (one for an AWS endpoint); empty when the name has no CNAME or does not exist. */
  names: string[];
  /** Why nothing could be read, when nothing could: the name server did not answer, refused, ... */
  error?: string;
  /** The name servers asked, for messages: "the system resolver" or "the sandbox's DNS at 127.0.0.1:PORT". */
  via: string;
}

export interface DnsApi {
  resolveCname(name: string): Promise<CnameAnswer>;
}

/** "host:port" of a DNS server; undefined for anything else. */
export function parseDnsServer(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text.trim());
  return m && Number(m[2]) > 0 && Number(m[2]) <= 65535 ? `${m[1]}:${m[2]}` : undefined;
}

/**
 * The JSON body of a 200 answer to a GET, or undefined for anything else (no answer in time included).
 * node:http rather than fetch: the SDK has node:http loaded already, while the first fetch() of a process
 * loads and starts undici (about 50 ms of CPU, measured on `mr status`).
 */
function getJson(url: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    let req: ReturnType<typeof httpGet>;
    try {
      req = get(url, { timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', () => resolve(undefined));
        res.on('end', () => {
          try {
            resolve(res.statusCode === 200 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined);
          } catch {
            resolve(undefined);
          }
        });
      });
    } catch {
      return resolve(undefined); // not an http(s) URL
    }
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** The sandbox's DNS responder behind `endpoint`, or undefined when nothing there answers as one. */
async function sandboxDnsServer(endpoint: string, timeoutMs: number): Promise<string | undefined> {
  const doc = (await getJson(`${endpoint.replace(/\/+$/, '')}/_sandbox/dns`, timeoutMs)) as { address?: unknown; port?: unknown } | undefined;
  return typeof doc?.address === 'string' && typeof doc.port === 'number' ? parseDnsServer(`${doc.address}:${doc.port}`) : undefined;
}

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA']);

export function dnsAdapter(opts: { server?: string; endpointUrl?: string; timeoutMs: number }): DnsApi {
  // Found once per process: the sandbox's port does not change while it runs.
  let servers: Promise<string | undefined> | undefined;
  const serverToAsk = () => (servers ??= Promise.resolve(opts.server ?? (opts.endpointUrl ? sandboxDnsServer(opts.endpointUrl, opts.timeoutMs) : undefined)));
  return {
    async resolveCname(name) {
      const server = await serverToAsk();
      const via = server ? `the DNS server at ${server}` : 'the system resolver';
      const r = new Resolver({ timeout: opts.timeoutMs, tries: 2 });
      if (server) r.setServers([server]);
      try {
        return { names: (await r.resolveCname(name)).map((n) => n.toLowerCase().replace(/\.$/, '')), via };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (NOT_FOUND.has(code)) return { names: [], via };
        return { names: [], error: `${code || (e as Error).message} resolving ${name} with ${via}`, via };
      } finally {
        r.cancel();
      }
    },
  };
}
