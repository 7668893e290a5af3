import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GENESIS, sealLine, sha256, verifyLines } from '../../src/audit/chain.js';
import { REDACTED, scrub, secretsFromEnv } from '../../src/audit/scrub.js';

function chain(n: number): string[] {
  const lines: string[] = [];
  let prev = GENESIS;
  for (let i = 0; i < n; i++) {
    const line = sealLine(JSON.stringify({ v: 1, prev, ts: `2026-01-01T00:00:0${i}Z`, runId: 'r', type: 'intent', data: { i } }));
    lines.push(line);
    prev = sha256(line);
  }
  return [...lines, '']; // as split('\n') of a file ending in a newline
}

describe('audit chain', () => {
  test('an intact chain verifies, and each line carries the previous line hash', () => {
    const lines = chain(4);
    assert.equal(verifyLines(lines), null);
    assert.equal(JSON.parse(lines[0]).prev, GENESIS);
    assert.equal(JSON.parse(lines[2]).prev, sha256(lines[1]));
    assert.equal(verifyLines([]), null);
  });

  test('a changed line is named exactly, the last one included', () => {
    const lines = chain(4);
    lines[1] = lines[1].replace('"i":1', '"i":7');
    assert.deepEqual(verifyLines(lines), { line: 2, reason: 'line 2 was changed (its content does not match its hash)' });
    const last = chain(4);
    last[3] = last[3].replace('"type":"intent"', '"type":"result"');
    assert.equal(verifyLines(last)?.line, 4);
  });

  test('a changed line whose seal was recomputed breaks the chain at the next line', () => {
    const lines = chain(4);
    const event = JSON.parse(lines[1]);
    delete event.hash;
    event.data.i = 9;
    lines[1] = sealLine(JSON.stringify(event));
    assert.deepEqual(verifyLines(lines), { line: 3, reason: 'line 3 does not follow line 2 (a line was removed, inserted or moved)' });
  });

  test('a removed line breaks the chain where the gap is', () => {
    const lines = chain(5);
    lines.splice(2, 1);
    assert.equal(verifyLines(lines)?.line, 3);
    const first = chain(3);
    first.splice(0, 1);
    assert.deepEqual(verifyLines(first), { line: 1, reason: 'line 1 does not start the chain (lines before it were removed)' });
  });

  test('reordered lines break the chain at the first moved line', () => {
    const lines = chain(5);
    [lines[1], lines[2]] = [lines[2], lines[1]];
    assert.equal(verifyLines(lines)?.line, 2);
  });

  test('a line that is not JSON, or has lost its seal, is named', () => {
    const lines = chain(3);
    lines[1] = lines[1].slice(0, 40);
    assert.deepEqual(verifyLines(lines), { line: 2, reason: 'line 2 is not a JSON event (changed or cut short)' });
    const unsealed = chain(3);
    unsealed[2] = JSON.stringify({ ...JSON.parse(unsealed[2]), hash: undefined });
    assert.equal(verifyLines(unsealed)?.line, 3);
    const blank = chain(3);
    blank.splice(1, 0, '');
    assert.equal(verifyLines(blank)?.line, 2);
  });
});

describe('scrub', () => {
  const env = {
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    HOME: '/home/x',
  };

  test('env secrets, access key ids, secret keys, tokens and secret-named fields are redacted', () => {
    const secrets = secretsFromEnv(env);
    assert.deepEqual(secrets, [env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN, env.AWS_ACCESS_KEY_ID]);
    const longToken = 'FwoGZXIvYXdzE' + 'A'.repeat(120) + '==';
    const out = scrub(
      {
        argv: ['node', 'mr', '--note', `key ${env.AWS_SECRET_ACCESS_KEY}`],
        msg: `token=${env.AWS_SESSION_TOKEN} id ASIAY34FZKBOKMUTVV7A and AKIAI44QH8DHBEXAMPLE`,
        other: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY is a secret key',
        token: longToken,
        nested: [{ secretAccessKey: 'x', sessionToken: 'y', password: 'p', Authorization: 'AWS4-HMAC-SHA256 ...' }],
        keep: { arn: 'arn:aws:rds:us-east-1:123456789012:cluster:demo-use1', sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', n: 3, ok: true },
      },
      secrets,
    );
    const text = JSON.stringify(out);
    for (const s of [...secrets, 'ASIAY34FZKBOKMUTVV7A', 'AKIAI44QH8DHBEXAMPLE', 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY', longToken])
      assert.ok(!text.includes(s), `${s} leaked`);
    assert.deepEqual(out.nested, [{ secretAccessKey: REDACTED, sessionToken: REDACTED, password: REDACTED, Authorization: REDACTED }]);
    assert.deepEqual(out.keep, {
      arn: 'arn:aws:rds:us-east-1:123456789012:cluster:demo-use1',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      n: 3,
      ok: true,
    });
    assert.equal(out.argv[3], `key ${REDACTED}`);
  });

  test('short env values are not treated as secrets', () => {
    assert.deepEqual(secretsFromEnv({ AWS_SESSION_TOKEN: 'abc' }), []);
  });
});
