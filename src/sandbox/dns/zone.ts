// What the sandbox's DNS responder answers: the names the sandbox owns (the Aurora global writer endpoint and
// the member clusters' endpoints, src/sandbox/services/rds/global-endpoint.ts), read from the live state on
// every query. A query for an A record follows the CNAME chain inside those names, as a recursive resolver
// would hand it back; anything else is refused: the responder is not a resolver for the rest of the world.
import type { ServiceContext } from '../contract.js';
import { auroraDnsRecord, inAuroraDomain, type AuroraDnsRecord } from '../services/rds/global-endpoint.js';
import type { AuroraState } from '../services/rds/state.js';

export type DnsRecord = AuroraDnsRecord;

export interface DnsResult {
  /** NOERROR with no answers is "no record of that type" (NODATA). */
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED';
  answers: DnsRecord[];
}

/** What a lookup reads: the Aurora state, the clock, and the dns-lag fault (simulated ms). */
export interface DnsView {
  aurora: AuroraState | undefined;
  ctx: ServiceContext;
  dnsLagMs: number;
}

/** Longer chains than this are a loop (none is possible today; a guard costs nothing). */
const MAX_CHAIN = 8;

export function lookup(view: DnsView, name: string, type: string): DnsResult {
  const first = auroraDnsRecord(view.aurora, name, view.ctx, view.dnsLagMs);
  if (!first) return { rcode: inAuroraDomain(name) ? 'NXDOMAIN' : 'REFUSED', answers: [] };
  if (type === 'CNAME') return { rcode: 'NOERROR', answers: first.type === 'CNAME' ? [first] : [] };
  if (type !== 'A' && type !== 'ANY') return { rcode: 'NOERROR', answers: first.type === 'CNAME' ? [first] : [] };
  const answers: DnsRecord[] = [first];
  let last = first;
  while (last.type === 'CNAME' && answers.length < MAX_CHAIN) {
    const next = auroraDnsRecord(view.aurora, last.target, view.ctx, view.dnsLagMs);
    if (!next) break;
    answers.push(next);
    last = next;
  }
  return { rcode: 'NOERROR', answers };
}
