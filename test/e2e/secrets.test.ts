// Secrets: with distinctive fake AWS credentials and a session token in the environment, run what an
// operator runs, including failures and --debug, and scan every stdout/stderr and every file mr
// wrote (audit log, run records, saved plan, lock): none of the values, nor a piece of one, appears.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openWorld, type RWorld } from '../reliability/lib/world.js';
import { FAKE_SESSION_TOKEN, leaksIn, leaksUnder } from '../reliability/lib/secrets.js';

describe('secrets never reach output or audit', () => {
  let world: RWorld;
  before(async () => {
    world = await openWorld({ timeScale: 600 });
  });
  after(async () => {
    await world.close();
  });

  test('reads, a saved plan applied, failures and --debug: nothing leaks', async () => {
    const plan = join(world.stateDir, 'plan.json');
    const expect = async (args: string[], code: number) => {
      const r = await world.mr(args);
      assert.equal(r.code, code, `mr ${args.join(' ')}: ${r.stderr}`);
      return r;
    };
    await expect(['status', '--json'], 0);
    await expect(['--debug', 'status'], 0);
    await expect(['--debug', 'health', 'eu-west-1'], 0);
    await expect(['--json', 'failover', 'eu-west-1', '--var', 'bake=0s', '--dry-run', '--out', plan], 0);
    const applied = await expect(['--debug', '--json', 'apply', plan, '--yes'], 0);
    const runId = /"runId":\s*"([^"]+)"/.exec(applied.stdout)?.[1];
    assert.ok(runId, 'the applied run names its id');
    await expect(['--json', 'report', runId], 0);
    await expect(['audit', 'show', runId], 0);
    await expect(['--json', 'audit', 'list'], 0);
    await expect(['lock', 'status'], 0);
    // An AWS error mid-run, with --debug (causes and stacks printed): exit 5, partial and resumable.
    world.sandbox.control.setFaults({
      errors: [{ service: 'rds', operation: 'SwitchoverGlobalCluster', code: 'InternalFailure', message: 'injected', status: 500, count: 10 }],
    });
    await expect(['--debug', 'failover', 'us-west-2', '--yes', '--var', 'bake=0s'], 5);
    world.sandbox.control.clearFaults();
    // A region that resets connections, and Route 53 throttling, both with --debug.
    world.sandbox.control.setFaults({ regionsDown: ['us-west-2'], route53RateLimit: 2 });
    await expect(['--debug', 'status'], 1);
    world.sandbox.control.clearFaults();
    await expect(['--debug', 'traffic', 'shift', '--to', 'mars-1', '--yes'], 2);
    await expect(['--debug', '--endpoint-url', 'notaurl', 'status'], 2);

    assert.equal(world.scanned.outputs, 13, 'every output was scanned');
    assert.deepEqual(world.leaks, []);
    // The files the runs wrote, before the world is closed (close scans them again).
    const files = await leaksUnder(world.stateDir);
    assert.ok(files.files >= 4, `expected an audit log, run records and the plan, found ${files.files} files`);
    assert.deepEqual(files.leaks, []);
    // The scan itself works: it finds a token, even cut short, where it is.
    assert.ok(leaksIn(`token=${FAKE_SESSION_TOKEN.slice(0, 40)}`, 'a probe').includes('session token (start) in a probe'));
  });
});
