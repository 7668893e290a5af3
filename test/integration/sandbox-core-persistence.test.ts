// The shared state file: a second process continues a transition the first started, both processes
// change the same zone at once without losing a write, and a reset reaches every process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ChangeResourceRecordSetsCommand, GetChangeCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { distRoot } from '../helpers/paths.js';
import { sdkConfig, withSandbox, type SandboxHandle } from '../helpers/sandbox.js';
import { SandboxControlClient } from '../../src/sandbox/control-client.js';
import { resetStateFile } from '../../src/sandbox/server.js';

const ZONE = 'Z0MRDEMO0000001';

/** A sandbox in another process on the same state file; prints its endpoint, stops when stdin closes. */
function childSandbox(statePath: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const server = join(distRoot, 'src/sandbox/server.js');
  const script = `
    const { startSandbox } = await import(${JSON.stringify(server)});
    const sb = await startSandbox({ statePath: ${JSON.stringify(statePath)}, port: 0 });
    process.stdout.write(JSON.stringify({ endpoint: sb.endpoint }) + '\\n');
    process.stdin.resume();
    process.stdin.on('end', async () => { await sb.stop(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child sandbox exited early with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ endpoint: (JSON.parse(line) as { endpoint: string }).endpoint, child }));
  });
}

function txt(name: string) {
  return {
    Action: 'CREATE' as const,
    ResourceRecordSet: { Name: `${name}.demo.example.com.`, Type: 'TXT' as const, TTL: 60, ResourceRecords: [{ Value: `"${name}"` }] },
  };
}

describe('sandbox state shared between processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mr-sandbox-state-'));
  const statePath = join(dir, 'state.json');
  let first: SandboxHandle;
  let second: { endpoint: string; child: ChildProcess };
  let r53First: Route53Client;
  let r53Second: Route53Client;
  let changeId: string;

  before(async () => {
    // Time scale 1: nothing settles unless a test advances the clock.
    first = await withSandbox({ statePath, timeScale: 1 });
    r53First = new Route53Client(sdkConfig(first.endpoint, 'us-east-1', 1));
  });
  after(async () => {
    r53First.destroy();
    r53Second?.destroy();
    if (second && second.child.exitCode === null) {
      second.child.stdin!.end();
      await new Promise((resolve) => second.child.once('exit', resolve));
    }
    await first.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a change started in one process is PENDING in a second process, and INSYNC there after time passes', async () => {
    const started = await r53First.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: [txt('started-in-first')] } }));
    changeId = started.ChangeInfo!.Id!;
    first.control.setFaults({ unhealthyApps: ['eu-west-1'] });
    const since = first.control.faults().since.unhealthyApps['eu-west-1'];
    assert.equal(statSync(statePath).mode & 0o777, 0o600);

    second = await childSandbox(statePath);
    r53Second = new Route53Client(sdkConfig(second.endpoint, 'us-east-1', 1));
    const control = new SandboxControlClient(second.endpoint);
    assert.equal((await r53Second.send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status, 'PENDING');
    const listed = await r53Second.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'started-in-first.demo.example.com.', MaxItems: 1 }),
    );
    assert.equal(listed.ResourceRecordSets?.[0]?.Name, 'started-in-first.demo.example.com.');
    const faults = await control.faults();
    assert.deepEqual(faults.unhealthyApps, ['eu-west-1']);
    assert.equal(faults.since.unhealthyApps['eu-west-1'], since);

    // Time passes in the second process; both see the change settle.
    await control.advance(30_000);
    assert.equal((await r53Second.send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status, 'INSYNC');
    assert.equal((await r53First.send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status, 'INSYNC');
  });

  test('both processes change the zone at the same time: every change lands, none is lost', async () => {
    const a = Array.from({ length: 12 }, (_, i) =>
      r53First.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: [txt(`first-${i}`)] } })),
    );
    const b = Array.from({ length: 12 }, (_, i) =>
      r53Second.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: [txt(`second-${i}`)] } })),
    );
    await Promise.all([...a, ...b]);
    for (const client of [r53First, r53Second]) {
      const all = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE }));
      const names = all.ResourceRecordSets!.filter((r) => r.Type === 'TXT').map((r) => r.Name!.split('.')[0]);
      assert.equal(names.filter((n) => n!.startsWith('first-')).length, 12);
      assert.equal(names.filter((n) => n!.startsWith('second-')).length, 12);
    }
    assert.equal(existsSync(`${statePath}.lock`), false);
  });

  test('two sandboxes in one process on the same file serve concurrent changes without blocking each other', async () => {
    const third = await withSandbox({ statePath });
    const r53Third = new Route53Client(sdkConfig(third.endpoint, 'us-east-1', 1));
    try {
      const a = Array.from({ length: 8 }, (_, i) =>
        r53First.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: [txt(`same-a-${i}`)] } })),
      );
      const b = Array.from({ length: 8 }, (_, i) =>
        r53Third.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: [txt(`same-b-${i}`)] } })),
      );
      await Promise.all([...a, ...b]);
      const all = await r53Third.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE }));
      assert.equal(all.ResourceRecordSets?.filter((r) => r.Name?.startsWith('same-')).length, 16);
    } finally {
      r53Third.destroy();
      await third.stop();
    }
  });

  test('resetStateFile puts the shared file back to its world; running sandboxes pick it up', async () => {
    assert.deepEqual(resetStateFile(statePath), { world: `the world recorded in ${statePath}` });
    for (const client of [r53First, r53Second]) {
      const all = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE }));
      assert.equal(all.ResourceRecordSets?.filter((r) => r.Type === 'TXT').length, 0);
      await assert.rejects(client.send(new GetChangeCommand({ Id: changeId })), { name: 'NoSuchChange' });
    }
    assert.deepEqual(first.control.faults().unhealthyApps, []);
    second.child.stdin!.end();
    const code = await new Promise((resolve) => second.child.once('exit', resolve));
    assert.equal(code, 0);
  });
});
