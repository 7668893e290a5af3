// Which region names AWS has, from the SDK's own partition data (the table its endpoint resolver
// uses), not a hand-kept list: a typo in the topology ("us-esat-1") would otherwise pass the name
// rule and show up at 3 a.m. as a region whose every call fails to resolve.
// Loaded only when a topology is checked: the file is small, but it is not needed for --help.
// AWS lists its regions at https://docs.aws.amazon.com/general/latest/gr/rande.html; it says nothing of
// how a client should treat a name it does not know, hence the safer split below (typo: refuse; unknown: warn).
import { readFile } from 'node:fs/promises';
import { closest } from '../util/closest.js';

interface PartitionsInfo {
  partitions: { id: string; regions: Record<string, unknown> }[];
}

let known: Promise<Set<string> | undefined> | undefined;

/**
 * The regions of every partition (aws, aws-cn, aws-us-gov, ...). The SDK exports only a lookup by
 * name (`partition()`, which accepts any name its pattern matches), so the table is read from the
 * file it is generated into (`export const partitionsInfo = {JSON};`); undefined when the SDK's
 * layout changes: the check is then skipped rather than wrong.
 */
export function awsRegionNames(): Promise<Set<string> | undefined> {
  known ??= (async () => {
    try {
      const entry = import.meta.resolve('@aws-sdk/core/client');
      const table = new URL('./util-endpoints/lib/aws/partitions.js', entry.replace(/\/dist-cjs\//, '/dist-es/'));
      const text = await readFile(table, 'utf8');
      const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
      const info = JSON.parse(json) as PartitionsInfo;
      const names = info.partitions.flatMap((p) => Object.keys(p.regions));
      return names?.length ? new Set(names) : undefined;
    } catch {
      return undefined;
    }
  })();
  return known;
}

export interface UnknownRegion {
  name: string;
  /** The known region it is most likely a typo of. */
  near?: string;
  message: string;
}

/**
 * Region names AWS does not have, as far as this SDK knows. A name near a known one is a typo; a
 * name near none may be a region newer than this SDK, so callers refuse only the first kind (a new
 * region must not block a failover at 3 a.m.).
 */
export async function unknownRegions(names: readonly string[]): Promise<UnknownRegion[]> {
  const all = await awsRegionNames();
  if (!all) return [];
  return names
    .filter((n) => !all.has(n))
    .map((name) => {
      const near = closest(name, [...all]);
      return near
        ? { name, near, message: `"${name}" is not an AWS region; did you mean ${near}?` }
        : { name, message: `"${name}" is not a region this version of mr's AWS SDK knows (a newer region, or a typo)` };
    });
}
