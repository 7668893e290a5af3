// `mr status --dns`: for each record name of the topology, which region Route 53 answers clients near
// each region with. One TestDNSAnswer per name and client region (its EDNS0 client subnet from
// route53.clientSubnets; without any, one question from Route 53's default resolver in us-east-1), all
// through the process's Route 53 pacing (src/aws/pacer.ts), so the 5 req/s account limit holds.
// TestDNSAnswer: https://docs.aws.amazon.com/Route53/latest/APIReference/API_TestDNSAnswer.html.
// An alias record answers with its target's values ("Choosing between alias and non-alias records").
import type { Aws, RecordSet, Region } from '../aws/types.js';
import type { Topology } from '../config/schema.js';
import { fqdn } from './gather.js';
import { observe } from './observe.js';
import type { Observed } from './types.js';

export interface DnsAnswerView {
  /** The region whose record the answer is; undefined when no record of the topology's matches it. */
  region?: Region;
  data: string[];
  responseCode: string;
}

export interface DnsRecordView {
  name: string;
  type: string;
  /** By client region ("default": Route 53's default resolver, when no client subnet is configured). */
  answers: Record<string, Observed<DnsAnswerView>>;
}

const norm = (v: string) => v.toLowerCase().replace(/\.$/, '');

/** What each region's record of this name answers, by set identifier, aliases in the zone followed once. */
async function valuesByRegion(aws: Aws, zoneId: string, name: string, type: string, setIdentifiers: Record<Region, string>): Promise<Record<Region, string[]>> {
  const sets: RecordSet[] = await aws.route53().readRecords(zoneId, name, type, Object.keys(setIdentifiers).length);
  const out: Record<Region, string[]> = {};
  for (const [region, id] of Object.entries(setIdentifiers)) {
    const set = sets.find((s) => s.setIdentifier === id);
    if (!set) continue;
    if (set.aliasTarget && set.aliasTarget.hostedZoneId.replace(/^\/hostedzone\//, '') === zoneId) {
      const target = await aws.route53().readRecords(zoneId, fqdn(set.aliasTarget.dnsName), type, 1);
      out[region] = target.find((t) => t.setIdentifier === undefined)?.values ?? [];
    } else out[region] = set.values ?? [];
  }
  return out;
}

export async function readDnsAnswers(t: Topology, aws: Aws, timeoutMs: number): Promise<DnsRecordView[]> {
  const r53 = t.route53;
  if (!r53) return [];
  const subnets = Object.entries(r53.clientSubnets ?? {});
  const clients: [string, string | undefined][] = subnets.length ? subnets : [['default', undefined]];
  const out: DnsRecordView[] = [];
  for (const rec of r53.records) {
    const name = fqdn(rec.name);
    const values = await valuesByRegion(aws, r53.hostedZoneId, name, rec.type, rec.setIdentifiers).catch(() => ({}) as Record<Region, string[]>);
    const answers: Record<string, Observed<DnsAnswerView>> = {};
    for (const [near, subnet] of clients) {
      answers[near] = await observe(
        async () => {
          const a = await aws.route53().testDnsAnswer(r53.hostedZoneId, name, rec.type, subnet ? { clientSubnet: subnet } : {});
          const got = new Set(a.data.map(norm));
          const region = Object.entries(values).find(([, v]) => v.length > 0 && v.every((x) => got.has(norm(x))))?.[0];
          return { ...(region ? { region } : {}), data: a.data, responseCode: a.responseCode };
        },
        timeoutMs + (aws.route53QueueMs?.(1) ?? 0),
      );
    }
    out.push({ name, type: rec.type, answers });
  }
  return out;
}
