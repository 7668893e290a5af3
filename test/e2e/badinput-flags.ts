// Generated bad command lines against the demo topology: regions that are not the topology's,
// numbers that are not numbers, malformed lists and durations, conflicting and missing flags,
// unknown commands and options. Every command here would mutate if its input were good.
import type { BadInputCase } from './badinput-run.js';

const BAD_REGIONS: { value: string; names: RegExp }[] = [
  { value: 'mars-1', names: /mars-1/ },
  { value: 'us-east-2', names: /us-east-2/ },
  { value: 'EU-WEST-1', names: /EU-WEST-1/ },
  { value: 'eu-west-1;rm -rf /', names: /eu-west-1;rm/ },
  { value: 'x'.repeat(5000), names: /region/ },
];

/** Commands that take a target region as their one word. */
const REGION_COMMANDS: { label: string; args: (region: string) => string[] }[] = [
  { label: 'traffic shift --to', args: (r) => ['traffic', 'shift', '--to', r, '--yes'] },
  { label: 'ecs scale', args: (r) => ['ecs', 'scale', r, '--yes'] },
  { label: 'aurora switchover', args: (r) => ['aurora', 'switchover', r, '--yes'] },
  { label: 'aurora failover', args: (r) => ['aurora', 'failover', r, '--yes', '--allow-data-loss'] },
  { label: 'redis promote', args: (r) => ['redis', 'promote', r, '--yes'] },
];

const flag = (name: string, args: string[], names: RegExp): BadInputCase => ({ name: `flags: ${name}`, args, names });

export function flagCases(): BadInputCase[] {
  const cases: BadInputCase[] = [];
  for (const cmd of REGION_COMMANDS) {
    for (const r of BAD_REGIONS) cases.push(flag(`${cmd.label} ${r.value.slice(0, 20)}`, cmd.args(r.value), r.names));
  }
  const shift = (...extra: string[]) => ['traffic', 'shift', ...extra, '--yes'];
  for (const w of [
    'us-east-1=abc',
    'us-east-1=300',
    'garbage',
    'us-east-1=-1',
    'mars-1=100',
    'us-east-1=1.5',
    '=100',
    'us-east-1=',
    'us-east-1=100,us-east-1=0',
  ]) {
    cases.push(flag(`--weights ${w}`, shift('--weights', w), /weights|us-east-1|mars-1/));
  }
  for (const s of ['0,200', 'abc', '-10', '50,,100', '101', '10,50,100,abc'])
    cases.push(flag(`--steps ${s}`, shift('--to', 'eu-west-1', '--steps', s), /steps/));
  for (const b of ['forever', '-1s', '10y', '1e999s', '5 minutes'])
    cases.push(flag(`--bake ${b}`, shift('--to', 'eu-west-1', '--steps', '50,100', '--bake', b), /bake/));
  const scale = (...extra: string[]) => ['ecs', 'scale', 'eu-west-1', ...extra, '--yes'];
  for (const n of ['-3', 'abc', '1.5', '1e9', '99999999999999999999', '0x10', '', 'NaN', 'Infinity', '10001'])
    cases.push(flag(`ecs --to ${JSON.stringify(n)}`, scale('--to', n), /--to/));
  cases.push(
    flag('ecs --services that do not exist', scale('--services', 'nosuch'), /nosuch/),
    flag('ecs --to and --capacity', scale('--to', '3', '--capacity'), /--capacity/),
    flag('shift with neither --to nor --weights', shift(), /--to|--weights/),
    flag('shift with --to and --weights', shift('--to', 'eu-west-1', '--weights', 'us-east-1=0'), /--to|--weights/),
    flag('shift --to without its value', ['traffic', 'shift', '--to'], /--to/),
    flag('ecs scale without a region', ['ecs', 'scale', '--yes'], /region/),
    flag('aurora switchover without a region', ['aurora', 'switchover', '--yes'], /region/),
    flag('redis promote without a region', ['redis', 'promote', '--yes'], /region/),
    flag('an empty region', ['ecs', 'scale', '', '--yes'], /region/),
    flag('an unknown command', ['frobnicate', '--yes'], /frobnicate/),
    flag('an unknown option', ['traffic', 'shift', '--to', 'eu-west-1', '--frob', '--yes'], /--frob/),
    flag('an unknown global option', ['--frob', 'ecs', 'scale', 'eu-west-1', '--yes'], /--frob/),
    flag('--state-dir without its value', ['ecs', 'scale', 'eu-west-1', '--yes', '--state-dir'], /--state-dir/),
    flag('an endpoint that is not a URL', ['--endpoint-url', 'notaurl', 'ecs', 'scale', 'eu-west-1', '--yes'], /endpoint/),
    flag('an endpoint with another scheme', ['--endpoint-url', 'ftp://127.0.0.1', 'ecs', 'scale', 'eu-west-1', '--yes'], /endpoint/),
    flag('status --timeout abc', ['status', '--timeout', 'abc'], /--timeout/),
    flag('status --timeout -1', ['status', '--timeout', '-1'], /--timeout/),
    flag('status --watch abc', ['status', '--watch', 'abc'], /--watch/),
    flag('health of an unknown region', ['health', 'mars-1'], /mars-1/),
  );
  return cases;
}

/** Playbook-shaped commands (failover, run, resume, apply, report, lock). */
export function runFlagCases(): BadInputCase[] {
  const cases: BadInputCase[] = [];
  for (const r of BAD_REGIONS) {
    cases.push(flag(`failover ${r.value.slice(0, 20)}`, ['failover', r.value, '--yes'], r.names));
    cases.push(flag(`run failover --var target=${r.value.slice(0, 20)}`, ['run', 'failover', '--var', `target=${r.value}`, '--yes'], r.names));
  }
  cases.push(
    flag('failover with an undeclared parameter', ['failover', 'eu-west-1', '--var', 'nope=1', '--yes'], /nope/),
    flag('failover with a malformed --var', ['failover', 'eu-west-1', '--var', 'novalue', '--yes'], /novalue|--var/),
    flag('failover --unplanned without --allow-data-loss... and no region', ['failover', '--unplanned', '--yes'], /region/),
    flag('failover with a number parameter that is not one', ['failover', 'eu-west-1', '--var', 'maxLagMs=lots', '--yes'], /maxLagMs/),
    flag('run without its required parameter', ['run', 'failover', '--yes'], /target/),
    flag('run a playbook that does not exist', ['run', 'no-such-playbook', '--yes'], /no-such-playbook/),
    flag('run a playbook path that does not exist', ['run', './nowhere/playbook.yaml', '--yes'], /playbook\.yaml/),
    flag('resume a run that does not exist', ['resume', '20260101T000000Z-000000', '--yes'], /20260101T000000Z-000000/),
    flag('resume a malformed run id', ['resume', '../../etc/passwd', '--yes'], /passwd|run/),
    flag('resume without a run id', ['resume', '--yes'], /run-id/),
    flag('apply a plan file that does not exist', ['apply', 'nowhere.json', '--yes'], /nowhere\.json/),
    flag('apply without a plan file', ['apply', '--yes'], /plan/),
    flag('report of a run that does not exist', ['report', '20260101T000000Z-000000'], /20260101T000000Z-000000/),
  );
  return cases;
}
