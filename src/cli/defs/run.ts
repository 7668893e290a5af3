import type { CommandDef, OptionDef } from './types.js';

/**
 * How every mutating command asks, and what it records (all of them: the playbook runs and the
 * single-service commands). Not a bare --force: at 3 a.m. that reads as "past every safety check".
 */
export const approvalOptions: OptionDef[] = [
  {
    flags: '--require-approval <policy>',
    description:
      "which plans ask first: any (every change), destructive (only disruptive or data-loss changes), never (as --yes); default: the topology's requireApproval, else any",
    choices: ['any', 'destructive', 'never'],
  },
  {
    flags: '--approval-timeout <duration>',
    description: "give up at a prompt left unanswered this long, releasing the lock (default: the topology's timeouts.approval, 10m)",
  },
  { flags: '--force-audit', description: 'append to an audit log whose hash chain is broken (see mr audit verify; the run records that it did)' },
];

/** The flags of every playbook-shaped run (run, failover, apply, resume). */
export const playbookRunOptions: OptionDef[] = [
  { flags: '--dry-run', description: 'plan only: show every step and what it would change, change nothing (exit 0)' },
  { flags: '-y, --yes', description: 'approve without asking, including approval steps (recorded in the audit log)' },
  { flags: '--allow-data-loss', description: 'with --yes: approve steps that may lose data (unplanned Aurora failover)' },
  {
    flags: '--no-lock',
    description: "run without the topology's run lock (audited, loudly warned): for when Route 53's control plane, where the lock lives, is down",
  },
  skipLagCheckOption(),
  ...approvalOptions,
];

/** Go ahead when an Aurora lag check cannot read a datapoint (recorded in the audit log as an override). */
export function skipLagCheckOption(): OptionDef {
  return {
    flags: '--skip-lag-check',
    description: 'go ahead when an Aurora lag check finds no datapoint (the lag is unknown); recorded in the audit log as an override',
  };
}

export const varOption: OptionDef = { flags: '--var <name=value...>', description: 'set a playbook parameter (repeatable: --var a=1 --var b=2)' };
export const outOption: OptionDef = { flags: '--out <file>', description: 'also save the plan as JSON, to review and `mr apply` later' };

export const runDef: CommandDef = {
  name: 'run',
  description: 'run a playbook: a YAML file of stages and steps, or a bundled one by name',
  args: [{ name: 'playbook', description: 'a playbook file, or failover | failover-unplanned | drain | restore | gameday', required: true }],
  options: [varOption, ...playbookRunOptions, outOption],
  load: () => import('../commands/run.js'),
  handler: 'run',
  handlesSignal: true,
  helpText:
    'Parameters are checked against what the playbook declares (unknown or missing ones exit 2).\n' +
    'Put --var after the playbook: it takes every word up to the next flag.\n\n' +
    'Examples:\n  mr run drain --var region=us-west-2 --var to=us-east-1\n  mr run ./gameday.yaml --var target=eu-west-1 --yes --json\n  mr config schema --playbook > playbook.schema.json',
};
