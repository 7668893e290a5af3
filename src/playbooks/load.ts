// Read a playbook file: YAML with positions kept, so every error names the file, the line, the
// step and the problem.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { UsageError } from '../io/errors.js';
import { playbookSchema, type Playbook } from './schema.js';

export interface LoadedPlaybook {
  file: string;
  playbook: Playbook;
  /** "file:line" of a path inside the document (the nearest node that exists). */
  where(path: (string | number)[]): string;
  /** The step id a path inside stages points into, if any. */
  stepAt(path: (string | number)[]): string | undefined;
}

const MAX_BYTES = 1_000_000;

export async function loadPlaybook(file: string): Promise<LoadedPlaybook> {
  let text: string;
  try {
    const buf = await readFile(file);
    if (buf.length > MAX_BYTES) throw new UsageError(`${file}: playbook is ${buf.length} bytes, more than the ${MAX_BYTES} allowed`);
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read the playbook (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))})`);
  }
  return parsePlaybook(text, file);
}

export function parsePlaybook(text: string, file: string): LoadedPlaybook {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = lines.linePos(err.pos[0]).line;
    throw new UsageError(`${file}:${line}: not valid YAML: ${firstLine(err.message)}`);
  }
  const where = (path: (string | number)[]) => `${file}:${lineOf(doc, lines, path)}`;
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new UsageError(`${file}: not valid YAML: ${firstLine((e as Error).message)}`);
  }
  const stepAt = (path: (string | number)[]) => stepIdAt(raw, path);
  const parsed = playbookSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // An unknown key is named by its own path, so the line is the key's, not its object's.
    const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    const path = at.filter((p): p is string | number => typeof p !== 'symbol');
    throw new UsageError(describeProblem(where(path), stepAt(path), path, issue.message), more(parsed.error.issues.length));
  }
  return { file, playbook: parsed.data, where, stepAt };
}

/** "failover.yaml:12: step "switch-db": with.to: expected a region" */
export function describeProblem(where: string, step: string | undefined, path: (string | number)[], message: string): string {
  const inner = step ? path.slice(path.indexOf('steps') + 2) : path;
  const at = inner.length > 0 ? `${inner.join('.')}: ` : '';
  return `${where}: ${step ? `step "${step}": ` : ''}${at}${message}`;
}

function more(n: number): string | undefined {
  return n > 1 ? `${n - 1} more problem${n > 2 ? 's' : ''} after this one` : undefined;
}

function stepIdAt(raw: unknown, path: (string | number)[]): string | undefined {
  if (path[0] !== 'stages' || path[2] !== 'steps' || typeof path[3] !== 'number') return undefined;
  const stages = (raw as { stages?: unknown })?.stages;
  const step = Array.isArray(stages) ? (stages[path[1] as number] as { steps?: unknown[] })?.steps?.[path[3]] : undefined;
  const id = (step as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : `#${path[3] + 1} of stage ${Number(path[1]) + 1}`;
}

function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number {
  // A missing key has no node: fall back to its nearest ancestor that exists.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
