// The sandbox DNS responder's message handling (src/sandbox/dns/responder.ts), byte for byte through
// dns-packet: answers keep the query's id and question, set AA and the RCODE, and bad input gets no reply
// (not a DNS message) or FORMERR (more than one question).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import packet from 'dns-packet';
import { reply } from '../../src/sandbox/dns/responder.js';
import type { DnsResult } from '../../src/sandbox/dns/zone.js';

const query = (questions: packet.Question[], id = 4242) => packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions });
const decode = (b: Buffer | undefined) => {
  assert.ok(b, 'a reply');
  return packet.decode(b) as packet.DecodedPacket & { rcode: string; flag_aa: boolean };
};

test('a CNAME answer: same id and question, authoritative, NOERROR, the record with its TTL', () => {
  const seen: string[] = [];
  const answer = (name: string, type: string): DnsResult => {
    seen.push(`${name} ${type}`);
    return { rcode: 'NOERROR', answers: [{ type: 'CNAME', name, target: 'c.cluster-x.us-east-1.rds.amazonaws.com', ttl: 5 }] };
  };
  const r = decode(reply(query([{ type: 'CNAME', name: 'g.global-x.global.rds.amazonaws.com' }]), answer));
  assert.deepEqual(seen, ['g.global-x.global.rds.amazonaws.com CNAME']);
  assert.equal(r.id, 4242);
  assert.equal(r.type, 'response');
  assert.equal(r.rcode, 'NOERROR');
  assert.equal(r.flag_aa, true);
  assert.deepEqual(r.questions, [{ type: 'CNAME', name: 'g.global-x.global.rds.amazonaws.com', class: 'IN' }]);
  assert.deepEqual(
    r.answers?.map((a) => ('data' in a ? [a.type, a.name, a.ttl, a.data] : [])),
    [['CNAME', 'g.global-x.global.rds.amazonaws.com', 5, 'c.cluster-x.us-east-1.rds.amazonaws.com']],
  );
});

test('NXDOMAIN and REFUSED are carried as RCODEs; REFUSED is not authoritative', () => {
  const nx = decode(reply(query([{ type: 'A', name: 'nope.rds.amazonaws.com' }]), () => ({ rcode: 'NXDOMAIN', answers: [] })));
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.equal(nx.flag_aa, true);
  const refused = decode(reply(query([{ type: 'A', name: 'example.com' }]), () => ({ rcode: 'REFUSED', answers: [] })));
  assert.equal(refused.rcode, 'REFUSED');
  assert.equal(refused.flag_aa, false);
  assert.deepEqual(refused.answers, []);
});

test('bad input: bytes that are not a query get no reply; two questions get FORMERR; a failing lookup SERVFAIL', () => {
  const never = () => assert.fail('not asked');
  assert.equal(reply(Buffer.from('hello'), never), undefined);
  const response = packet.encode({ type: 'response', id: 1, questions: [{ type: 'A', name: 'a.rds.amazonaws.com' }] });
  assert.equal(reply(response, never), undefined, 'a response is not answered');
  const two = decode(
    reply(
      query([
        { type: 'A', name: 'a.rds.amazonaws.com' },
        { type: 'A', name: 'b.rds.amazonaws.com' },
      ]),
      never,
    ),
  );
  assert.equal(two.rcode, 'FORMERR');
  const logged: string[] = [];
  const failing = decode(
    reply(
      query([{ type: 'A', name: 'a.rds.amazonaws.com' }]),
      () => {
        throw new Error('boom');
      },
      (m) => logged.push(m),
    ),
  );
  assert.equal(failing.rcode, 'SERVFAIL');
  assert.match(logged[0], /a\.rds\.amazonaws\.com A failed: boom/);
});
