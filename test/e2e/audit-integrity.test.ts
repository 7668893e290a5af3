// Audit integrity: a real failover's audit log, then every way of tampering with it line by line
// (change one character, remove the line, swap it with the next): `mr audit verify` must fail and
// name the line each time. Each tampered copy sits beside the original with the original's head
// file (as an edit in place would leave it), and one `mr audit verify --json` checks them all.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openWorld, type RWorld } from '../reliability/lib/world.js';

interface Tamper {
  name: string;
  lines: string[];
  /** The line verify must name. */
  expectLine: number;
}

/** Change one character inside the value of "ts" (still valid JSON, same length). */
function changeOne(line: string): string {
  const at = line.indexOf('"ts":"') + 6;
  const c = line[at + 3];
  return line.slice(0, at + 3) + (c === '9' ? '8' : String.fromCharCode(c.charCodeAt(0) + 1)) + line.slice(at + 4);
}

function tampers(lines: string[]): Tamper[] {
  const out: Tamper[] = [];
  lines.forEach((_, i) => {
    const n = i + 1;
    out.push({ name: `change-${n}`, lines: lines.map((l, j) => (j === i ? changeOne(l) : l)), expectLine: n });
    // Removing line n: the next line no longer follows (or, for the last, the log is cut short).
    out.push({ name: `remove-${n}`, lines: lines.filter((_, j) => j !== i), expectLine: n });
    if (n < lines.length)
      out.push({ name: `swap-${n}-${n + 1}`, lines: lines.map((l, j) => (j === i ? lines[i + 1] : j === i + 1 ? lines[i] : l)), expectLine: n });
  });
  return out;
}

describe('audit integrity', () => {
  let world: RWorld;
  let log: string;
  let lines: string[];

  before(async () => {
    world = await openWorld({ timeScale: 600 });
    const run = await world.mr(['failover', 'eu-west-1', '--yes', '--var', 'bake=0s']);
    assert.equal(run.code, 0, run.stderr);
    log = join(world.stateDir, 'audit', 'demo.ndjson');
    lines = (await readFile(log, 'utf8')).split('\n').filter((l) => l !== '');
  });

  after(async () => {
    await world.close();
  });

  test('the untouched log verifies', async () => {
    assert.ok(lines.length >= 20, `a failover should leave a long log, got ${lines.length} lines`);
    const r = await world.mr(['audit', 'verify']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`demo\\.ndjson: ${lines.length} lines, chain intact`));
  });

  test('every changed, removed or reordered line makes verify fail and name it', async () => {
    const all = tampers(lines);
    assert.equal(all.length, lines.length * 3 - 1);
    for (const t of all) {
      const file = join(world.stateDir, 'audit', `t-${t.name}.ndjson`);
      await writeFile(file, t.lines.join('\n') + '\n');
      await copyFile(`${log}.head`, `${file}.head`);
    }
    const r = await world.mr(['--json', 'audit', 'verify']);
    assert.equal(r.code, 1, 'verify fails when any file is broken');
    const doc = JSON.parse(r.stdout) as { files: { path: string; ok: boolean; brokenLine?: number; reason?: string }[] };
    const wrong: string[] = [];
    for (const t of all) {
      const got = doc.files.find((f) => f.path.endsWith(`/t-${t.name}.ndjson`));
      if (!got) wrong.push(`${t.name}: not verified`);
      else if (got.ok || got.brokenLine !== t.expectLine)
        wrong.push(`${t.name}: ${got.ok ? 'passed' : `named line ${got.brokenLine} (${got.reason})`}, expected line ${t.expectLine}`);
      // The operator reads it on stderr too: the file and the line, in one line.
      if (!new RegExp(`t-${t.name}\\.ndjson: chain broken at line ${t.expectLine}: `).test(r.stderr))
        wrong.push(`${t.name}: stderr does not name line ${t.expectLine}`);
    }
    assert.equal(wrong.join('\n'), '');
    assert.equal(doc.files.find((f) => f.path === log)?.ok, true, 'the original still verifies');
  });
});
