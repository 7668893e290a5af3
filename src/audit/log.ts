// The audit writer: append-only, hash-chained NDJSON, one file per topology
// (<stateDir>/audit/<topology>.ndjson, file 0600, directory 0700). Each append takes the file lock,
// reads the hash of the last line, writes one sealed line and fsyncs, so appends from concurrent
// processes keep one unbroken chain.
import { chmod, mkdir, open, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GENESIS, sealLine, sha256 } from './chain.js';
import { withFileLock } from '../util/file-lock.js';
import { scrub, secretsFromEnv } from './scrub.js';
import type { Actor, AuditEventType } from './types.js';

export function auditDir(stateDir: string): string {
  return join(stateDir, 'audit');
}

export function auditPath(stateDir: string, topology: string): string {
  return join(auditDir(stateDir), `${topology}.ndjson`);
}

/**
 * "<log>.head": the hash of the last line written. A hash chain cannot see lines cut from its end;
 * verify checks the head's line is still in the log. (It may lag behind after a crash, never lead.)
 */
export function headPath(logPath: string): string {
  return `${logPath}.head`;
}

/** The audit log could not be written. Nothing may be applied without it. */
export class AuditWriteError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    super(`cannot write the audit log ${path}: ${code ?? (cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'AuditWriteError';
  }
}

export interface AuditWriter {
  readonly path: string;
  readonly runId: string;
  /** Append one event; rejects with AuditWriteError when the line could not be made durable. */
  append(type: AuditEventType, data?: Record<string, unknown>): Promise<void>;
}

export interface AuditWriterOptions {
  path: string;
  runId: string;
  actor: Actor;
  argv: string[];
  /** Whose secret values to redact; default process.env. */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export function openAuditLog(opts: AuditWriterOptions): AuditWriter {
  const secrets = secretsFromEnv(opts.env ?? process.env);
  const now = opts.now ?? (() => new Date());
  const actor = scrub(opts.actor, secrets);
  const argv = scrub(opts.argv, secrets);
  let prepared = false;
  // Appends of one process go out in call order (parallel steps share one writer).
  let queue: Promise<unknown> = Promise.resolve();

  const appendNow = async (type: AuditEventType, data: Record<string, unknown> | undefined) => {
    if (!prepared) {
      await mkdir(dirname(opts.path), { recursive: true, mode: 0o700 });
      prepared = true;
    }
    await withFileLock(opts.path, async () => {
      const { prev, needsNewline } = await tail(opts.path);
      const event = { v: 1, prev, ts: now().toISOString(), runId: opts.runId, type, actor, argv, ...(data ? { data: scrub(data, secrets) } : {}) };
      const line = sealLine(JSON.stringify(event));
      const handle = await open(opts.path, 'a', 0o600);
      try {
        await handle.write((needsNewline ? '\n' : '') + line + '\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      const head = headPath(opts.path);
      await writeFile(`${head}.${process.pid}.tmp`, `${JSON.stringify({ hash: sha256(line) })}\n`, { mode: 0o600 });
      await rename(`${head}.${process.pid}.tmp`, head);
    });
    // open() applies the mode only when it creates the file; an existing file is tightened too.
    if ((await stat(opts.path)).mode & 0o077) await chmod(opts.path, 0o600);
  };

  return {
    path: opts.path,
    runId: opts.runId,
    append(type, data) {
      const next = queue
        .then(() => appendNow(type, data))
        .catch((e: unknown) => {
          throw e instanceof AuditWriteError ? e : new AuditWriteError(opts.path, e);
        });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/**
 * The hash of the file's last line (GENESIS for an empty or missing file), read backwards from the
 * end so an append costs the same however long the log is. A last line without its newline (a
 * torn write) is chained to as it is; verify() will name it.
 */
async function tail(path: string): Promise<{ prev: string; needsNewline: boolean }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { prev: GENESIS, needsNewline: false };
    throw e;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { prev: GENESIS, needsNewline: false };
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    const needsNewline = last[0] !== 0x0a;
    const chunks: Buffer[] = [];
    let pos = needsNewline ? size : size - 1;
    while (pos > 0) {
      const len = Math.min(64 * 1024, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      await handle.read(buf, 0, len, pos);
      const nl = buf.lastIndexOf(0x0a);
      if (nl >= 0) {
        chunks.unshift(buf.subarray(nl + 1));
        break;
      }
      chunks.unshift(buf);
    }
    return { prev: sha256(Buffer.concat(chunks).toString('utf8')), needsNewline };
  } finally {
    await handle.close();
  }
}
