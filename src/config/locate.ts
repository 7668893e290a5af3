// Where a path inside the topology file is written: YAML nodes keep their source offsets, and a
// LineCounter turns offsets into line numbers.
import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

/** "route53.records[0].setIdentifiers"; "(top level)" for the root. */
export function formatPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s || '(top level)';
}

function lineOf(node: Node | undefined, lines: LineCounter): number | undefined {
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

/**
 * The line of the deepest part of `path` that exists in the file. With `key`, the line of that key
 * inside the map at `path` (for unknown keys).
 */
export function lineFor(doc: Document, lines: LineCounter, path: readonly PathSegment[], key?: string): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (!node || !('range' in node)) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      const at = pair && isScalar(pair.key) ? lineOf(pair.key, lines) : undefined;
      if (at !== undefined) return at;
    }
    // The key of a mapping entry is a better place to point at than its value on the next line.
    if (n > 0) {
      const parent = doc.getIn(path.slice(0, n - 1), true) as Node | undefined;
      const seg = path[n - 1];
      if (parent && isMap(parent) && typeof seg === 'string') {
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
        const at = pair && isScalar(pair.key) ? lineOf(pair.key, lines) : undefined;
        if (at !== undefined) return at;
      }
    }
    const at = lineOf(node, lines);
    if (at !== undefined) return at;
  }
  return 1;
}
