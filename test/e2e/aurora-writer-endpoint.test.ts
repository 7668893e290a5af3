// Issue 12: after the data cut, verify checks that the Aurora global writer endpoint names the new writer,
// resolving it with node:dns against the sandbox's DNS responder; `mr status` shows where it points. With the
// dns-lag fault the name stays on the old writer: the run still succeeds, verified with a warning that names
// both names (stderr, audit log, report), and status flags the mismatch (exit 1).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMr } from '../helpers/run-mr.js';
import { useLatencyWorld, type LatencyEnv } from './latency-world.js';

const GLOBAL = 'lat-global.global-c0ffee.global.rds.amazonaws.com';
const USE1 = 'lat-use1.cluster-c0ffee.us-east-1.rds.amazonaws.com';
const EUW1 = 'lat-euw1.cluster-c0ffee.eu-west-1.rds.amazonaws.com';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface AuditLine {
  type: string;
  data?: { step?: string; message?: string };
}

async function audit(e: LatencyEnv): Promise<AuditLine[]> {
  const text = await readFile(join(e.stateDir, 'audit', 'latency.ndjson'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditLine);
}

describe('the Aurora global writer endpoint after a failover', () => {
  let e: LatencyEnv;
  // A short bound, so the frozen name is given up on in seconds rather than the default 60 s.
  useLatencyWorld({ topology: (y) => y.replace(/^(\s*verify:.*)$/m, '$1\n  writerEndpoint: 2s') }, (x) => (e = x));

  test('it follows the switchover: verified naming the new writer, in the audit log and the report; status shows it', async () => {
    const r = await e.mr(['failover', 'eu-west-1', '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const notes = (await audit(e)).filter((l) => l.type === 'step.note');
    assert.deepEqual(
      notes.map((l) => [l.data?.step, l.data?.message?.replace(/127\.0\.0\.1:\d+/, 'DNS')]),
      [['switch-db', `the global writer endpoint ${GLOBAL} names the new writer ${EUW1} (resolved with the DNS server at DNS)`]],
    );
    assert.equal((await audit(e)).filter((l) => l.type === 'step.warning').length, 0);
    assert.match(r.stdout, new RegExp(`switch-db: the global writer endpoint ${esc(GLOBAL)} names the new writer ${esc(EUW1)}`));
    const status = await e.mr(['status', '--json']);
    const doc = JSON.parse(status.stdout) as { aurora: { writerEndpoint?: { ok: boolean; value?: { names: string[] } } }; findings: { message: string }[] };
    assert.deepEqual(doc.aurora.writerEndpoint?.value?.names, [EUW1]);
    assert.ok(!doc.findings.some((f) => /global writer endpoint/.test(f.message)));
    assert.match((await e.mr(['status'])).stdout, /global name\s+-\s+names this writer\s+-/);
  });

  test('dns-lag freezes it: the failover still succeeds, verified with a warning naming both; status flags it (exit 1)', async () => {
    const fault = await e.mr(['sandbox', 'fault', 'add', 'dns-lag', '86400000']);
    assert.equal(fault.code, 0, fault.stderr);
    const r = await e.mr(['failover', 'eu-west-1', '--yes']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const aurora = e.sb.control.snapshot().services.aurora as { globalClusters: { writer: string }[] };
    assert.equal(aurora.globalClusters[0].writer, 'lat-euw1', 'the data moved');
    const warning = new RegExp(`the global writer endpoint ${esc(GLOBAL)} still names ${esc(USE1)}, not the new writer ${esc(EUW1)}, 2s after the switch`);
    assert.match(r.stderr, warning);
    const warnings = (await audit(e)).filter((l) => l.type === 'step.warning');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].data?.step, 'switch-db');
    assert.match(warnings[0].data?.message ?? '', warning);
    // The run report keeps it (the step succeeded, with the warning as its note).
    const report = await e.mr(['report']);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /switch-db\s+aurora\.switchover\s.*succeeded/);
    assert.match(report.stdout, new RegExp(`switch-db: warning: ${warning.source}`));
    // Status: the name still points at us-east-1's cluster while the writer is in eu-west-1.
    const status = await e.mr(['status']);
    assert.equal(status.code, 1, status.stdout);
    assert.match(status.stdout, /global name\s+names this \(not the writer\)\s+not named\s+-/);
    assert.match(status.stdout, new RegExp(`the global writer endpoint ${esc(GLOBAL)} names ${esc(USE1)}, not the writer lat-euw1 \\(${esc(EUW1)}\\)`));
  });
});

describe('mr --sandbox failover: the in-process sandbox answers DNS too', () => {
  test('the demo world: the switch-db step is verified naming the new writer', async () => {
    const state = await mkdtemp(join(tmpdir(), 'mr-writer-endpoint-'));
    try {
      const env = { XDG_STATE_HOME: state, MR_SANDBOX_TIME_SCALE: '300' };
      const r = await runMr(['--sandbox', 'failover', 'eu-west-1', '--yes'], { env, killAfterMs: 120_000 });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const log = await readFile(join(state, 'mr', 'audit', 'demo.ndjson'), 'utf8');
      const notes = log
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditLine)
        .filter((l) => l.type === 'step.note');
      assert.equal(notes.length, 1, log);
      assert.match(
        notes[0].data?.message ?? '',
        /demo-global\.global-c0ffee\.global\.rds\.amazonaws\.com names the new writer demo-euw1\.cluster-c0ffee\.eu-west-1/,
      );
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
});
