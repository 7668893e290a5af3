// The shared leaf modules: DNS names, "is this pid alive", the inter-process file lock.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalDnsName, route53DnsName, withTrailingDot } from '../../src/util/dns-name.js';
import { isPidAlive } from '../../src/util/pid.js';
import { lockFile, lockFileSync, unlockFile, withFileLock } from '../../src/util/file-lock.js';

/** The pid of a process that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('DNS names', () => {
  test('compared in lower case with the trailing dot and escapes decoded', () => {
    assert.equal(canonicalDnsName('API.Demo.Example.com'), 'api.demo.example.com.');
    assert.equal(canonicalDnsName(' api.demo.example.com. '), 'api.demo.example.com.');
    assert.equal(canonicalDnsName('\\052.demo.example.com.'), '*.demo.example.com.');
    assert.equal(withTrailingDot('a.b'), 'a.b.');
    assert.equal(withTrailingDot('a.b.'), 'a.b.');
  });

  test('written as Route 53 returns it: the wildcard and other characters as octal escapes', () => {
    assert.equal(route53DnsName('*.Demo.example.com'), '\\052.demo.example.com.');
    assert.equal(route53DnsName('\\052.demo.example.com.'), '\\052.demo.example.com.');
    assert.equal(route53DnsName('_mr-lock.demo.example.com'), '_mr-lock.demo.example.com.');
    assert.equal(route53DnsName('a@b.example.com'), 'a\\100b.example.com.');
    assert.equal(canonicalDnsName(route53DnsName('A@b.example.com')), 'a@b.example.com.');
  });
});

describe('pid alive', () => {
  test('this process is alive; one that exited and nonsense pids are not', () => {
    assert.equal(isPidAlive(process.pid), true);
    assert.equal(isPidAlive(deadPid()), false);
    assert.equal(isPidAlive(0), false);
    assert.equal(isPidAlive(-1), false);
    assert.equal(isPidAlive(1.5), false);
  });
});

describe('file lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mr-lock-'));
  const lockPath = (name: string) => join(dir, `${name}.lock`);
  test.after(() => rmSync(dir, { recursive: true, force: true }));

  test('the lock names its holder and is gone after release', () => {
    const p = lockPath('a');
    lockFileSync(p);
    const holder = JSON.parse(readFileSync(p, 'utf8')) as { pid: number; host: string };
    assert.deepEqual([holder.pid, holder.host], [process.pid, hostname()]);
    unlockFile(p);
    assert.equal(existsSync(p), false);
    unlockFile(p); // releasing twice is not an error
  });

  test('a held lock makes the next taker wait, then give up with the given error', async () => {
    const p = lockPath('held');
    lockFileSync(p);
    assert.throws(() => lockFileSync(p, { giveUpMs: 30, heldError: (lp) => new Error(`held: ${lp}`) }), { message: `held: ${p}` });
    await assert.rejects(lockFile(p, { giveUpMs: 30 }), /is held by another process/);
    unlockFile(p);
  });

  test('a lock left by a process of this host that is gone is taken over', async () => {
    const p = lockPath('dead');
    writeFileSync(p, JSON.stringify({ pid: deadPid(), host: hostname(), at: new Date().toISOString() }));
    await lockFile(p, { giveUpMs: 1000 });
    assert.equal((JSON.parse(readFileSync(p, 'utf8')) as { pid: number }).pid, process.pid);
    unlockFile(p);
  });

  test('a lock of a live process elsewhere waits, unless it is older than staleMs', () => {
    const p = lockPath('other-host');
    writeFileSync(p, JSON.stringify({ pid: deadPid(), host: 'another-host', at: new Date().toISOString() }));
    assert.throws(() => lockFileSync(p, { giveUpMs: 30 }), /is held/);
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(p, old, old);
    lockFileSync(p, { staleMs: 30_000, giveUpMs: 1000 });
    assert.equal((JSON.parse(readFileSync(p, 'utf8')) as { host: string }).host, hostname());
    unlockFile(p);
  });

  test('a lock being written (not yet JSON) is not broken while it is fresh', () => {
    const p = lockPath('writing');
    writeFileSync(p, '');
    assert.throws(() => lockFileSync(p, { giveUpMs: 30 }), /is held/);
    unlockFile(p);
  });

  test('withFileLock runs one critical section at a time and releases on failure', async () => {
    const file = join(dir, 'log');
    let inside = 0;
    let most = 0;
    const section = async () => {
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 5));
      inside--;
    };
    await Promise.all(Array.from({ length: 6 }, () => withFileLock(file, section)));
    assert.equal(most, 1);
    await assert.rejects(
      withFileLock(file, async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(existsSync(`${file}.lock`), false);
  });
});
