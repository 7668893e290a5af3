// Load and validate the topology file. Every problem becomes one line
// "<file>:<line>: <path in file>: <what is expected>", and all of them together one UsageError (exit 2).
import { LineCounter, parseDocument } from 'yaml';
import { topologySchema, type Topology } from './schema.js';
import { UsageError } from '../io/errors.js';
import { readTopologyText } from './read.js';
import { formatPath, lineFor, type PathSegment } from './locate.js';
import { allowedKeys, issueText } from './issues.js';

// Reading the file lives in read.ts (no YAML parser, no zod), for the topology cache (cached.ts).
export { CONFIG_HINT, readTopologyText } from './read.js';

/** More than this many lines would scroll the first (usually the cause) out of sight. */
const MAX_LINES = 20;

/** Every problem in the text, one line each, in file order; empty when it is a valid topology. */
export function topologyProblems(text: string, label: string): { problems: string[]; topology?: Topology } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The first syntax error only: the ones after it are mostly its echo (binary junk makes hundreds).
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line;
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more after it)` : '';
    return { problems: [`${label}:${line}: not valid YAML: ${clip(e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''))}${more}`] };
  }
  let data: unknown;
  try {
    // Aliases are expanded here: an undefined one, or a few lines that expand to millions of nodes, throw.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { problems: [`${label}: not valid YAML: ${clip((e as Error).message.split('\n')[0])}`] };
  }
  if (data === null || data === undefined)
    return { problems: [`${label}:1: (top level): the file is empty; expected a topology map (see \`mr config schema\`)`] };
  const parsed = topologySchema.safeParse(data);
  if (parsed.success) return { problems: [], topology: parsed.data };

  const found: { line: number; where: string; text: string }[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path as PathSegment[];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(topologySchema, path);
      for (const key of issue.keys) {
        const expect = allowed.length ? `; expected one of ${allowed.join(', ')}` : '';
        const line = lineFor(doc, lines, path, key);
        found.push({ line, where: formatPath([...path, key]), text: `${label}:${line}: ${formatPath([...path, key])}: unknown key${expect}` });
      }
      continue;
    }
    const line = lineFor(doc, lines, path);
    const text = `${label}:${line}: ${formatPath(path)}: ${issueText(issue, data)}`;
    // Our own cross-checks (custom) may say several things about one place; zod's do not.
    found.push({ line, where: issue.code === 'custom' ? text : formatPath(path), text });
  }
  found.sort((a, b) => a.line - b.line);
  // One problem per place: zod may report a wrong type and then a size check on the same value.
  const seen = new Set<string>();
  const problems = found.filter((f) => !seen.has(f.where) && seen.add(f.where)).map((f) => f.text);
  return { problems };
}

/** Long enough to show the offending text, short enough to stay one line on a terminal. */
function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Validate text; throws UsageError whose message is the problem lines. */
export function parseTopology(text: string, label: string): Topology {
  const { problems, topology } = topologyProblems(text, label);
  if (topology) return topology;
  const shown = problems.slice(0, MAX_LINES);
  if (problems.length > MAX_LINES) shown.push(`${label}: ... and ${problems.length - MAX_LINES} more`);
  throw new UsageError(shown.join('\n'));
}

export async function loadTopologyFile(path: string, label = path): Promise<Topology> {
  return parseTopology(await readTopologyText(path, label), label);
}
