// Issue #11 item 10: when nothing answers, status says so once, names the endpoint, and the process
// ends when it has printed (the SDK would otherwise go on retrying the reads it gave up on).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { demoTopology } from '../helpers/paths.js';
import { runMr, startMr } from '../helpers/run-mr.js';

let silent: Server;
const sockets: Socket[] = [];
let port: number;
before(async () => {
  // Accepts connections and never answers.
  silent = createServer((s) => sockets.push(s));
  await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
  port = (silent.address() as AddressInfo).port;
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((done) => silent.close(() => done()));
});

describe('nothing answers', () => {
  test('a refused endpoint: one critical finding naming it, exit 1', async () => {
    const r = await runMr(['--endpoint-url', 'http://127.0.0.1:1', '--config', demoTopology, 'status']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^demo {2}\S+ {2}DEGRADED {2}via http:\/\/127\.0\.0\.1:1$/m);
    const findings = r.stdout
      .slice(r.stdout.indexOf('Findings'))
      .split('\n')
      .filter((l) => /^ {2}(critical|warning|info) /.test(l));
    assert.deepEqual(findings, [
      '  critical  nothing answered at http://127.0.0.1:1: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1; check the network, VPN, proxy and --endpoint-url',
    ]);
  });

  test('a listener that never answers: one finding, and the process exits as soon as it has printed', async () => {
    const run = startMr(['--endpoint-url', `http://127.0.0.1:${port}`, '--config', demoTopology, 'status']);
    let printedAt = 0;
    run.child.stdout!.on('data', () => (printedAt = Date.now()));
    const r = await run.done;
    const exitedAt = Date.now();
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /critical {2}nothing answered at http:\/\/127\.0\.0\.1:\d+: no answer within 3s/);
    assert.equal((r.stdout.match(/^ {2}critical /gm) ?? []).length, 1);
    // The SDK would retry the abandoned reads for up to 3 x 3 s more; the exit does not wait for them.
    assert.ok(exitedAt - printedAt < 1500, `exited ${exitedAt - printedAt} ms after printing`);
  });
});
