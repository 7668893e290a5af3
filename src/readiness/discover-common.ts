// What the `mr init` sections share: the chooser, YAML quoting, and naming a region from a name.
import type { Region } from '../aws/types.js';

export interface Candidate<T> {
  label: string;
  value: T;
}

/** Pick one candidate (a terminal prompt), or undefined when there is no one to ask. */
export type Chooser = <T>(question: string, candidates: Candidate<T>[]) => Promise<T | undefined>;

export interface DiscoverOptions {
  regions: Region[];
  /** Hosted zone name (with or without the trailing dot) or id. */
  zone?: string;
  name?: string;
  choose: Chooser;
}

export const q = (s: string) => (/^[A-Za-z_][A-Za-z0-9._/-]*$/.test(s) && !/^(true|false|null|yes|no|on|off)$/i.test(s) ? s : JSON.stringify(s));

/** use1 for us-east-1, euw1 for eu-west-1: the short form set identifiers and resource names often use. */
export function regionShort(region: Region): string {
  const [geo, dir, n] = [region.split('-')[0]!, region.split('-').slice(1, -1).join('-'), region.split('-').at(-1)!];
  return `${geo}${dir
    .split('-')
    .map((d) => d[0])
    .join('')}${n}`;
}

/** The region a name (set identifier, endpoint) names (us-east-1 or use1 in it), if exactly one of `regions` fits. */
export function regionOfSet(setIdentifier: string, regions: Region[]): Region | undefined {
  const id = setIdentifier.toLowerCase();
  const hits = regions.filter((r) => id.includes(r) || new RegExp(`(^|[^a-z0-9])${regionShort(r)}($|[^a-z0-9])`).test(id));
  return hits.length === 1 ? hits[0] : undefined;
}

export async function pick<T>(choose: Chooser, question: string, candidates: Candidate<T>[]): Promise<T | undefined> {
  if (candidates.length === 1) return candidates[0]!.value;
  if (candidates.length === 0) return undefined;
  return choose(question, candidates);
}
