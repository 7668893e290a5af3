// The sandbox's DNS responder through node:dns's Resolver (issue 12: the global writer endpoint names the
// new writer): the global writer endpoint is a CNAME to the primary cluster's endpoint before and after a
// switchover, the dns-lag fault holds it back, TCP answers as UDP does, and names the sandbox does not own
// are refused or not found.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import packet from 'dns-packet';
import { DescribeGlobalClustersCommand, RDSClient, SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';

const GLOBAL = 'demo-global.global-c0ffee.global.rds.amazonaws.com';
const USE1 = 'demo-use1.cluster-c0ffee.us-east-1.rds.amazonaws.com';
const EUW1 = 'demo-euw1.cluster-c0ffee.eu-west-1.rds.amazonaws.com';
const EUW1_ARN = 'arn:aws:rds:eu-west-1:123456789012:cluster:demo-euw1';

function resolverFor(sb: SandboxHandle): Resolver {
  const r = new Resolver({ timeout: 2000, tries: 1 });
  r.setServers([`${sb.dns.address}:${sb.dns.port}`]);
  return r;
}

async function switchover(sb: SandboxHandle): Promise<void> {
  const rds = new RDSClient(sdkConfig(sb.endpoint, 'us-east-1'));
  try {
    await rds.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'demo-global', TargetDbClusterIdentifier: EUW1_ARN }));
  } finally {
    rds.destroy();
  }
}

/** One query over TCP (two-byte length prefix, RFC 1035 4.2.2), decoded. */
function tcpQuery(port: number, name: string, type: 'CNAME' | 'A'): Promise<packet.DecodedPacket & { rcode?: string }> {
  return new Promise((resolve, reject) => {
    const c = connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    c.on('connect', () => c.write(packet.streamEncode({ type: 'query', id: 7, flags: packet.RECURSION_DESIRED, questions: [{ type, name }] })));
    c.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        c.end();
        resolve(packet.streamDecode(got) as packet.DecodedPacket & { rcode?: string });
      }
    });
    c.on('error', reject);
  });
}

describe('sandbox DNS responder', () => {
  let sb: SandboxHandle;
  before(async () => {
    // A switchover of a simulated hour (6 s at the test scale): it ends when the test advances the clock, not before.
    sb = await withSandbox({ worldOverrides: (w) => void (w.durations.auroraSwitchover = 3600) });
  });
  after(() => sb.stop());
  beforeEach(() => sb.control.reset());

  test('listens on 127.0.0.1, an ephemeral port other than the HTTP one; the control endpoint names it', async () => {
    assert.equal(sb.dns.address, '127.0.0.1');
    assert.ok(sb.dns.port > 0 && sb.dns.port !== sb.port);
    const res = await fetch(`${sb.endpoint}/_sandbox/dns`);
    assert.deepEqual(await res.json(), { address: '127.0.0.1', port: sb.dns.port });
  });

  test('the global writer endpoint is a CNAME to the primary cluster endpoint, before and after a switchover', async () => {
    const r = resolverFor(sb);
    // The name DescribeGlobalClusters gives is the one DNS answers for.
    const rds = new RDSClient(sdkConfig(sb.endpoint, 'eu-west-1'));
    try {
      const out = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'demo-global' }));
      assert.equal(out.GlobalClusters?.[0]?.Endpoint, GLOBAL);
    } finally {
      rds.destroy();
    }
    assert.deepEqual(await r.resolveCname(GLOBAL), [USE1]);
    await switchover(sb);
    // While the switchover runs the writer has not moved: neither has the name.
    assert.deepEqual(await r.resolveCname(GLOBAL), [USE1]);
    sb.control.advance(2 * 3600_000);
    assert.deepEqual(await r.resolveCname(GLOBAL), [EUW1]);
    // An A query follows the chain to the new primary's address, with Aurora's 5-second TTL.
    const a = await r.resolve4(GLOBAL, { ttl: true });
    const direct = await r.resolve4(EUW1, { ttl: true });
    assert.deepEqual(a, direct);
    assert.equal(a[0].ttl, 5);
    assert.match(a[0].address, /^127\.0\.\d+\.\d+$/);
    assert.notDeepEqual(
      await r.resolve4(USE1),
      a.map((x) => x.address),
    );
  });

  test('dns-lag holds the global writer endpoint on the old writer for that long, then it follows', async () => {
    const r = resolverFor(sb);
    sb.control.addFault({ kind: 'dns-lag', ms: 30 * 60_000 });
    assert.ok(sb.control.listFaults().some((f) => f.id === 'dns-lag'));
    await switchover(sb);
    // The switchover ends after an hour; four minutes later (plus what the clock ran meanwhile) the name still lags it.
    sb.control.advance(64 * 60_000);
    const rds = new RDSClient(sdkConfig(sb.endpoint, 'eu-west-1'));
    try {
      const gc = (await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'demo-global' }))).GlobalClusters?.[0];
      assert.equal(gc?.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn, EUW1_ARN, 'the writer moved');
    } finally {
      rds.destroy();
    }
    assert.deepEqual(await r.resolveCname(GLOBAL), [USE1], 'the name has not');
    sb.control.advance(30 * 60_000);
    assert.deepEqual(await r.resolveCname(GLOBAL), [EUW1]);
    sb.control.clearFault('dns-lag');
    assert.deepEqual(await r.resolveCname(GLOBAL), [EUW1]);
  });

  test('TCP answers as UDP does', async () => {
    const res = await tcpQuery(sb.dns.port, GLOBAL, 'A');
    assert.equal(res.id, 7);
    assert.equal(res.rcode, 'NOERROR');
    assert.deepEqual(
      res.answers?.map((a) => [a.type, a.name, 'data' in a ? a.data : undefined]),
      [
        ['CNAME', GLOBAL, USE1],
        ['A', USE1, (await resolverFor(sb).resolve4(USE1))[0]],
      ],
    );
  });

  test('an unknown RDS name is not found; a name outside the sandbox is refused', async () => {
    const r = resolverFor(sb);
    await assert.rejects(r.resolveCname('nope.global-c0ffee.global.rds.amazonaws.com'), (e: NodeJS.ErrnoException) => e.code === 'ENOTFOUND');
    await assert.rejects(r.resolve4('example.com'), (e: NodeJS.ErrnoException) => e.code === 'EREFUSED');
    // A cluster endpoint is an address, not an alias.
    await assert.rejects(r.resolveCname(USE1), (e: NodeJS.ErrnoException) => e.code === 'ENODATA');
  });

  test('a global cluster without a global writer endpoint: DescribeGlobalClusters has no Endpoint and DNS has no such name', async () => {
    await withSandbox({ worldOverrides: (w) => void ((w.aurora!.globalClusters[0] as Record<string, unknown>).writerEndpoint = false) }, async (other) => {
      const rds = new RDSClient(sdkConfig(other.endpoint, 'eu-west-1'));
      try {
        const gc = (await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'demo-global' }))).GlobalClusters?.[0];
        assert.equal(gc?.GlobalClusterIdentifier, 'demo-global');
        assert.equal(gc?.Endpoint, undefined);
      } finally {
        rds.destroy();
      }
      await assert.rejects(resolverFor(other).resolveCname(GLOBAL), (e: NodeJS.ErrnoException) => e.code === 'ENOTFOUND');
      assert.deepEqual((await resolverFor(other).resolve4(USE1)).length, 1);
    });
  });

  test('stop() closes both listeners', async () => {
    const other = await withSandbox();
    const port = other.dns.port;
    await other.stop();
    const r = new Resolver({ timeout: 300, tries: 1 });
    r.setServers([`127.0.0.1:${port}`]);
    await assert.rejects(r.resolveCname(GLOBAL));
  });
});
