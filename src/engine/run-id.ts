// Run ids sort by start time and read as one: 20261121T071600Z-3fa9c2.
import { randomBytes } from 'node:crypto';

export function newRunId(now: Date = new Date(), suffix: string = randomBytes(3).toString('hex')): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${suffix}`;
}

export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;
