// Where a DNS query comes from, for latency records. Route 53 answers a latency record set with the
// record of the Region that has the lowest latency for the client, judged from the EDNS0 client subnet
// when the resolver sends one, else from the resolver's address ("Latency-based routing",
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-latency.html; "How
// Amazon Route 53 uses EDNS0 to estimate the location of a user",
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-edns0.html). AWS's latency data
// is measured and changes over time; the sandbox uses a FIXED table instead, so answers are reproducible:
//
// 1. The client's address (the EDNS0 subnet cut to its mask, default /24 for IPv4 and /64 for IPv6 as
//    TestDNSAnswer documents; else the resolver's address; else, as TestDNSAnswer says for an omitted
//    ResolverIP, a resolver in us-east-1) is placed in a region by CLIENT_SUBNETS:
//      192.0.2.0/24     (TEST-NET-1, RFC 5737)  us-east-1
//      198.51.100.0/24  (TEST-NET-2)            eu-west-1
//      203.0.113.0/24   (TEST-NET-3)            ap-southeast-1
//      198.18.N.0/24    (RFC 2544 benchmarking) the Nth region of LOCATIONS below (1-based)
//      2001:db8:N::/48  (RFC 3849, N in hex)    the Nth region of LOCATIONS below
//    e.g. 198.18.1.0/24 and 2001:db8:1::/48 are us-east-1, 198.18.7.0/24 eu-west-1, 198.18.13.0/24
//    ap-southeast-1, 198.18.4.0/24 us-west-2, 198.18.10.0/24 eu-central-1.
//    An address outside the table is placed in the world's first region.
// 2. The latency records are ranked by great-circle distance from that region's city to each record's
//    Region (coordinates below); the nearest healthy one answers (answer.ts).
import { isIPv4, isIPv6 } from 'node:net';

/** Approximate city coordinates (latitude, longitude) of each Region, in a fixed order (the N above). */
export const LOCATIONS: readonly [region: string, lat: number, lon: number][] = [
  ['us-east-1', 38.9, -77.4],
  ['us-east-2', 40.0, -83.0],
  ['us-west-1', 37.4, -121.9],
  ['us-west-2', 45.8, -119.7],
  ['ca-central-1', 45.5, -73.6],
  ['sa-east-1', -23.5, -46.6],
  ['eu-west-1', 53.3, -6.3],
  ['eu-west-2', 51.5, -0.1],
  ['eu-west-3', 48.9, 2.35],
  ['eu-central-1', 50.1, 8.7],
  ['eu-north-1', 59.3, 18.1],
  ['eu-south-1', 45.5, 9.2],
  ['ap-southeast-1', 1.35, 103.8],
  ['ap-southeast-2', -33.9, 151.2],
  ['ap-northeast-1', 35.7, 139.7],
  ['ap-northeast-2', 37.6, 127.0],
  ['ap-south-1', 19.1, 72.9],
  ['ap-east-1', 22.3, 114.2],
  ['me-south-1', 26.1, 50.6],
  ['af-south-1', -33.9, 18.4],
];

interface Subnet {
  v6: boolean;
  base: bigint;
  prefix: number;
  region: string;
}

export function parseIp(text: string): { v6: boolean; value: bigint } | undefined {
  if (isIPv4(text)) return { v6: false, value: text.split('.').reduce((a, o) => (a << 8n) | BigInt(Number(o)), 0n) };
  if (!isIPv6(text) || text.includes('.')) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return { v6: true, value: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function subnet(cidr: string, region: string): Subnet {
  const [addr, bits] = cidr.split('/');
  const ip = parseIp(addr!)!;
  return { v6: ip.v6, base: ip.value, prefix: Number(bits), region };
}

export const CLIENT_SUBNETS: readonly Subnet[] = [
  subnet('192.0.2.0/24', 'us-east-1'),
  subnet('198.51.100.0/24', 'eu-west-1'),
  subnet('203.0.113.0/24', 'ap-southeast-1'),
  ...LOCATIONS.map(([region], i) => subnet(`198.18.${i + 1}.0/24`, region)),
  ...LOCATIONS.map(([region], i) => subnet(`2001:db8:${(i + 1).toString(16)}::/48`, region)),
];

export function masked(value: bigint, v6: boolean, prefix: number): bigint {
  const width = v6 ? 128n : 32n;
  const keep = BigInt(prefix);
  return keep === 0n ? 0n : (value >> (width - keep)) << (width - keep);
}

/** The region the table places an address in (cut to `mask` bits first), or undefined outside the table. */
export function regionOfAddress(ip: { v6: boolean; value: bigint }, mask?: number): string | undefined {
  const value = mask === undefined ? ip.value : masked(ip.value, ip.v6, mask);
  return CLIENT_SUBNETS.find((s) => s.v6 === ip.v6 && masked(value, s.v6, s.prefix) === s.base)?.region;
}

const FAR = 1e9;

function coords(region: string): [number, number] | undefined {
  const row = LOCATIONS.find(([r]) => r === region);
  return row ? [row[1], row[2]] : undefined;
}

/** Great-circle distance in km; a Region outside LOCATIONS is ranked after every known one (then by name). */
export function distanceKm(from: string, to: string): number {
  const a = coords(from);
  const b = coords(to);
  if (!a || !b) return from === to ? 0 : FAR;
  const rad = Math.PI / 180;
  const [la1, lo1, la2, lo2] = [a[0] * rad, a[1] * rad, b[0] * rad, b[1] * rad];
  const h = Math.sin((la2 - la1) / 2) ** 2 + Math.cos(la1) * Math.cos(la2) * Math.sin((lo2 - lo1) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** `regions` nearest first from `client`, ties broken by name so the order is total. */
export function byDistance<T extends { region?: string }>(client: string, items: T[]): T[] {
  return [...items].sort((x, y) => distanceKm(client, x.region ?? '') - distanceKm(client, y.region ?? '') || (x.region ?? '').localeCompare(y.region ?? ''));
}
