// The topology's records by how mr moves them. Kept apart from schema.ts (zod) so the commands that
// only read a topology already validated (status, from the topology cache: cached.ts) load no zod.
// Typed by shape rather than by schema.ts's Topology, which re-exports these (no import cycle).
interface WithRecords<R extends { kind: string }> {
  route53?: { records?: R[] };
}

/** Records moved by weight (route53.shift, status's weights). */
export function weightedRecords<R extends { kind: string }>(t: WithRecords<R>): R[] {
  return (t.route53?.records ?? []).filter((r) => r.kind === 'weighted');
}

/** Records moved by health check (route53.drain/restore). */
export function healthRoutedRecords<R extends { kind: string }>(t: WithRecords<R>): R[] {
  return (t.route53?.records ?? []).filter((r) => r.kind !== 'weighted');
}
