// Issue 11 item 5: every refusal names only flags the command accepts. Walks every `override` and
// `instead` text in the step kinds' source against the options of every mutating command.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandDefs, type CommandDef } from '../../src/cli/defs/index.js';
import { refusalFor } from '../../src/engine/refusal.js';
import { plan, step } from '../helpers/engine-fixtures.js';
import { repoRoot } from '../helpers/paths.js';

const stepsDir = join(repoRoot, 'src/steps');

/** Every `override: ...` and `instead: ...` value in src/steps, constants resolved. */
async function texts(field: 'override' | 'instead'): Promise<string[]> {
  const out = new Set<string>();
  for (const file of readdirSync(stepsDir).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(join(stepsDir, file), 'utf8');
    for (const m of src.matchAll(new RegExp(`\\b${field}: ('([^']+)'|([A-Z_]+))`, 'g'))) {
      if (m[2]) out.add(m[2]);
      else {
        const mod = (await import(`../../src/steps/${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
        assert.equal(typeof mod[m[3]], 'string', `${file}: ${m[3]} is an exported string`);
        out.add(mod[m[3]] as string);
      }
    }
  }
  return [...out];
}

function mutating(defs: CommandDef[], prefix = ''): { name: string; flags: string[] }[] {
  return defs.flatMap((d) => {
    const name = `${prefix}${d.name}`;
    const own = d.options?.some((o) => o.flags.includes('--yes')) ? [{ name, flags: (d.options ?? []).map((o) => /--[a-z][a-z-]*/.exec(o.flags)![0]) }] : [];
    return [...own, ...mutating(d.subcommands ?? [], `${name} `)];
  });
}

const named = (hint: string | undefined) => [...(hint ?? '').matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);

describe('refusal hints name only flags the command accepts', () => {
  test('every override and instead text, against every mutating command', async () => {
    const overrides = await texts('override');
    const insteads = await texts('instead');
    assert.ok(overrides.includes('--max-lag <ms>') && overrides.includes('--no-gate'), `found ${overrides.join(', ')}`);
    assert.ok(insteads.includes('--unplanned'));
    const commands = mutating(commandDefs);
    assert.ok(commands.some((c) => c.name === 'failover') && commands.some((c) => c.name === 'aurora switchover'));
    for (const c of commands) {
      for (const [field, value] of [...overrides.map((o) => ['override', o] as const), ...insteads.map((o) => ['instead', o] as const)]) {
        const p = plan([
          step('s', {
            changes: [{ resource: 'r', attribute: 'a', from: 1, to: 2, risk: 'safe' }],
            checks: [{ name: 'c', passed: false, message: 'failed', [field]: value }],
          }),
        ]);
        const r = refusalFor(p, [], c.flags);
        for (const flag of named(r?.hint)) assert.ok(c.flags.includes(flag), `mr ${c.name}: the hint "${r?.hint}" names ${flag}, which it does not accept`);
      }
    }
  });

  test('a lag refusal: mr aurora switchover and mr failover name --max-lag, mr run (which has no --max-lag) does not; source unreachable points to --unplanned', () => {
    const lag = plan([
      step('switch-db', {
        changes: [{ resource: 'r', attribute: 'writer', from: 'us-east-1', to: 'eu-west-1', risk: 'disruptive' }],
        checks: [{ name: 'target lag under bound', passed: false, message: 'lag 2400 ms is above the bound 1000 ms', override: '--max-lag <ms>' }],
      }),
    ]);
    const flagsOf = (name: string) => mutating(commandDefs).find((c) => c.name === name)!.flags;
    assert.equal(refusalFor(lag, [], flagsOf('aurora switchover'))?.hint, 'to override, re-run with --max-lag <ms>');
    assert.equal(refusalFor(lag, [], flagsOf('failover'))?.hint, 'to override, re-run with --max-lag <ms>');
    assert.equal(refusalFor(lag, [], flagsOf('run'))?.hint, undefined);
    const down = structuredClone(lag);
    down.stages[0].steps[0].checks.push({
      name: 'source region reachable',
      passed: false,
      message: "the writer's region us-east-1 does not answer",
      instead: '--unplanned',
    });
    assert.equal(refusalFor(down, [], flagsOf('failover'))?.hint, 're-run with --unplanned instead');
  });
});
