// Generated bad playbooks (`mr run <file>`) and bad saved plans (`mr apply <file>`): wrong types,
// unknown keys, unknown step kinds and regions, undeclared parameters, impossible step parameters,
// huge files, broken YAML/JSON and binary junk. One broken thing per case.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { playbooksDir } from '../helpers/paths.js';
import { junk } from './badinput-topology.js';
import type { BadInputCase } from './badinput-run.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RUN = ['run', '{dir}/playbook.yaml', '--var', 'target=eu-west-1', '--yes'];

function basePlaybook(): Doc {
  return parse(readFileSync(join(playbooksDir, 'failover.yaml'), 'utf8')) as Doc;
}

function pb(name: string, edit: (d: Doc) => void, names: RegExp): BadInputCase {
  const d = basePlaybook();
  edit(d);
  return { name: `playbook: ${name}`, files: { 'playbook.yaml': stringify(d) }, args: RUN, names };
}

function pbRaw(name: string, text: string | Buffer, names: RegExp): BadInputCase {
  return { name: `playbook: ${name}`, files: { 'playbook.yaml': text }, args: RUN, names };
}

/** The steps of failover.yaml by id, for targeted edits. */
const step = (d: Doc, id: string): Doc => d.stages.flatMap((s: Doc) => s.steps).find((s: Doc) => s.id === id);

export function playbookCases(): BadInputCase[] {
  return [
    pb('version is a string', (d) => (d.version = '1'), /version/),
    pb('version 2', (d) => (d.version = 2), /version/),
    pb('name is a number', (d) => (d.name = 5), /name/),
    pb('name in capitals', (d) => (d.name = 'Failover'), /name/),
    pb('stages is a map', (d) => (d.stages = {}), /stages/),
    pb('no stages', (d) => (d.stages = []), /stages/),
    pb('a stage with no steps', (d) => (d.stages[1].steps = []), /steps/),
    pb('parallel is a word', (d) => (d.stages[0].parallel = 'yes'), /parallel/),
    pb('a step id with spaces', (d) => (step(d, 'scale-target').id = 'Scale Target'), /id/),
    pb('an unknown step kind', (d) => (step(d, 'scale-target').kind = 'dns.flip'), /kind|dns\.flip/),
    pb('with is a string', (d) => (step(d, 'scale-target').with = 'region'), /with/),
    pb('a parameter of an unknown type', (d) => (d.params.target.type = 'continent'), /type|continent/),
    pb('required is a word', (d) => (d.params.target.required = 'yes'), /required/),
    pb('a string parameter with a number default', (d) => (d.params.bake.default = 10), /default/),
    pb('a parameter name with a dash', (d) => (d.params['max-lag'] = { type: 'number' }), /max-lag/),
    pb('description is a number', (d) => (d.description = 5), /description/),
    pb('an unknown top-level key', (d) => (d.stagez = []), /stagez/),
    pb('an unknown stage key', (d) => (d.stages[0].paralel = true), /paralel/),
    pb('an unknown step key', (d) => (step(d, 'scale-target').when = 'always'), /when/),
    pb('an unknown parameter key', (d) => (d.params.target.choices = ['eu-west-1']), /choices/),
    pb('a step id used twice', (d) => (step(d, 'promote-cache').id = 'switch-db'), /switch-db/),
    pb('an undeclared placeholder', (d) => (step(d, 'scale-target').with.region = '{{ nope }}'), /nope/),
    pb("a literal region that is not the topology's", (d) => (step(d, 'scale-target').with.region = 'mars-1'), /mars-1/),
    pb('a switchover to an unknown region', (d) => (step(d, 'switch-db').with.target = 'ap-south-1'), /ap-south-1/),
    pb('shift steps out of range', (d) => (step(d, 'shift-traffic').with.steps = [0, 200]), /steps/),
    pb('shift steps are words', (d) => (step(d, 'shift-traffic').with.steps = 'some'), /steps/),
    pb('a bake that is not a duration', (d) => (step(d, 'shift-traffic').with.bake = 'forever'), /bake/),
    pb('a lag bound that is a word', (d) => (step(d, 'switch-db').with.maxLagMs = 'lots'), /maxLagMs/),
    pb('an unknown step parameter', (d) => (step(d, 'scale-target').with.colour = 'blue'), /colour/),
    pb('a step without its region', (d) => delete step(d, 'scale-target').with.region, /region/),
    pb('a desired count of a trillion', (d) => (step(d, 'scale-target').with = { region: '{{ target }}', to: 1e12 }), /"?to"?|1000000000000/),
    pb('a 2 MB playbook', (d) => (d.description = 'x'.repeat(2_000_000)), /bytes|large|description/),
    pbRaw('an unclosed list', 'version: 1\nname: x\nstages: [\n', /YAML/),
    pbRaw('a tab for indentation', 'version: 1\nname: x\nstages:\n\t- name: a\n', /YAML/),
    pbRaw('a duplicate key', 'version: 1\nname: x\nname: y\nstages: []\n', /YAML/),
    pbRaw(
      'an alias bomb',
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
      /YAML|alias/i,
    ),
    pbRaw('an empty file', '', /playbook|empty|expected|version/),
    pbRaw('a bare word', 'hello\n', /playbook|expected|map|object/),
    ...[11, 12, 13].map((seed) => pbRaw(`random bytes #${seed}`, junk(seed, 300 * seed), /playbook|YAML|expected|map|object/)),
    pbRaw('NUL bytes', Buffer.alloc(256), /playbook|YAML|expected|map|object/),
  ];
}

const APPLY = ['apply', '{dir}/plan.json', '--yes'];

function plan(name: string, base: Doc, edit: (d: Doc) => void, names: RegExp): BadInputCase {
  const d = structuredClone(base);
  edit(d);
  return { name: `plan: ${name}`, files: { 'plan.json': JSON.stringify(d, null, 2) }, args: APPLY, names };
}

function planRaw(name: string, text: string | Buffer, names: RegExp): BadInputCase {
  return { name: `plan: ${name}`, files: { 'plan.json': text }, args: APPLY, names };
}

/** `base` is a real plan (saved with --out from a dry run of the failover). */
export function planCases(base: Doc): BadInputCase[] {
  const firstStep = (d: Doc) => d.stages[0].steps[0];
  const scaleStep = (d: Doc) => d.stages.flatMap((s: Doc) => s.steps).find((s: Doc) => s.kind === 'ecs.scale');
  return [
    planRaw('not JSON', 'this is not a plan\n', /JSON/),
    planRaw('a JSON list', '[1, 2, 3]\n', /plan/),
    planRaw('JSON null', 'null\n', /plan/),
    planRaw('an empty file', '', /JSON|plan/),
    planRaw('cut short', JSON.stringify(base).slice(0, 200), /JSON/),
    planRaw('deeply nested', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, /plan|JSON/),
    planRaw('a YAML plan', stringify(base), /JSON/),
    ...[21, 22, 23].map((seed) => planRaw(`random bytes #${seed}`, junk(seed, 500 * seed), /JSON|plan/)),
    plan('version 2', base, (d) => (d.version = 2), /version/),
    plan('version is a string', base, (d) => (d.version = '1'), /version/),
    ...['id', 'createdAt', 'topology', 'command', 'fingerprint'].map((k) => plan(`no ${k}`, base, (d) => delete d[k], new RegExp(k))),
    plan('fingerprint is a number', base, (d) => (d.fingerprint = 7), /fingerprint/),
    plan('no stages', base, (d) => (d.stages = []), /stages/),
    plan('stages is a string', base, (d) => (d.stages = 'all'), /stages/),
    plan('a stage without steps', base, (d) => delete d.stages[0].steps, /stages\[0\]/),
    plan('a step without params', base, (d) => delete firstStep(d).params, /steps\[0\]|params/),
    plan('a step without observed state', base, (d) => delete firstStep(d).observed, /observed/),
    plan('a step of an unknown kind', base, (d) => (firstStep(d).kind = 'dns.flip'), /dns\.flip|kind/),
    plan('a step in an unknown region', base, (d) => (scaleStep(d).params.region = 'mars-1'), /mars-1/),
    plan('a plan for another topology', base, (d) => (d.topology = 'prod'), /prod/),
    plan('a 5 MB topology name', base, (d) => (d.topology = 'x'.repeat(5_000_000)), /topology/),
    plan('a 5 MB step id', base, (d) => (firstStep(d).id = 'x'.repeat(5_000_000)), /id|step/),
    plan('an unknown top-level key', base, (d) => (d.padding = 'x'), /padding/),
  ];
}
