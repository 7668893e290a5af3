// The plan as the operator reads it: a table on a terminal, plain lines when piped. Pure.
import type { Style } from '../../io/types.js';
import type { Change, Check, Plan, PlannedStep, Risk } from '../types.js';

export interface PlanRenderOptions {
  style: Style;
  /** Aligned columns (a terminal) rather than one fact per line (a pipe, a log). */
  table: boolean;
  /** Terminal width the table must fit (default 80). */
  columns?: number;
  /** List passed checks too (collapsed to a count otherwise). */
  verbose?: boolean;
  /** How long the last such run took here (src/engine/activity.ts lastRunDuration). */
  estimateMs?: number;
}

/** "about 40 s", "about 3 min". */
export function about(ms: number): string {
  return ms < 90_000 ? `about ${Math.max(1, Math.round(ms / 1000))} s` : `about ${Math.round(ms / 60_000)} min`;
}

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'none';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function formatChange(c: Change): string {
  return `${c.resource} ${c.attribute}: ${formatValue(c.from)} -> ${formatValue(c.to)}`;
}

function riskText(risk: Risk, style: Style): string {
  if (risk === 'data-loss') return style.bold(style.red(risk));
  if (risk === 'disruptive') return style.yellow(risk);
  return style.green(risk);
}

export function formatCheck(check: Check, style: Style): string {
  const mark = !check.passed ? style.red('✗') : check.warning ? style.yellow('!') : style.green('✓');
  const values =
    check.observed !== undefined || check.bound !== undefined ? ` (observed ${formatValue(check.observed)}, bound ${formatValue(check.bound)})` : '';
  const tail = check.passed ? '' : check.override ? ` [override: ${check.override}]` : '';
  return `${mark} ${check.name}: ${check.message}${values}${tail}`;
}

function stepState(step: PlannedStep): string {
  if (step.noop) return 'no-op (already done)';
  if (step.inProgress) return 'in progress (will wait for it)';
  if (step.deferred) return `planned when reached (${step.deferred})`;
  return '';
}

export function renderPlan(plan: Plan, opts: PlanRenderOptions): string {
  return opts.table ? renderTable(plan, opts) : renderPlain(plan, opts);
}

function header(plan: Plan): string {
  const via = plan.playbook ? ` (playbook ${plan.playbook})` : '';
  return `Plan ${plan.id} for ${plan.topology}: ${plan.command}${via}`;
}

function renderPlain(plan: Plan, { style }: PlanRenderOptions): string {
  const out = [header(plan)];
  for (const stage of plan.stages) {
    out.push(`stage ${stage.name}${stage.parallel ? ' (parallel)' : ''}`);
    for (const step of stage.steps) {
      const state = stepState(step);
      out.push(`  step ${step.id} (${step.kind}): ${step.title}${state ? ` - ${state}` : ''}`);
      if (!step.noop) for (const c of step.changes) out.push(`    change ${formatChange(c)} [${riskText(c.risk, style)}]`);
      for (const check of step.checks) out.push(`    check ${formatCheck(check, style)}`);
    }
  }
  out.push(`fingerprint ${plan.fingerprint}`);
  return out.join('\n');
}

const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;
const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - visible(s)));
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Where the plan moves things: the first change from one region to another ("us-east-1 -> eu-west-1"). */
export function direction(plan: Plan): string | undefined {
  for (const step of plan.stages.flatMap((s) => s.steps)) {
    if (step.noop) continue;
    const c = step.changes.find((x) => typeof x.from === 'string' && typeof x.to === 'string' && REGION.test(x.from) && REGION.test(x.to) && x.from !== x.to);
    if (c) return `${String(c.from)} -> ${String(c.to)}`;
  }
  return undefined;
}

/** The line an operator reads first: what, which way, how many changes of which risk, in how many stages. */
export function planSummary(plan: Plan, estimateMs?: number): string {
  const active = plan.stages.map((s) => s.steps.filter((t) => !t.noop));
  const changes = active.flat().flatMap((t) => t.changes);
  const stages = active.filter((steps) => steps.some((t) => t.changes.length > 0)).length;
  const disruptive = changes.filter((c) => c.risk === 'disruptive').length;
  const loss = changes.filter((c) => c.risk === 'data-loss').length;
  const dir = direction(plan);
  const what = dir ? `${plan.command.split(' ')[0]} ${dir}` : plan.command;
  if (changes.length === 0) return `${what}: no changes`;
  const took = estimateMs === undefined ? '' : `, ${about(estimateMs)} as last time`;
  return `${what}: ${changes.length} change${changes.length === 1 ? '' : 's'} (${disruptive} disruptive, ${loss} data loss) in ${stages} stage${stages === 1 ? '' : 's'}${took}`;
}

/** Cut text into lines of at most `width` at word boundaries (a word longer than the line is cut). */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (visible(next) <= width) {
      line = next;
      continue;
    }
    if (line) out.push(line);
    line = word;
    while (visible(line) > width) {
      out.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line || out.length === 0) out.push(line);
  return out;
}

/**
 * On a terminal: the summary first, then per stage a table of the changes that fits the width
 * (wrapped at word boundaries), passed checks collapsed to one line per step (`verbose` lists them),
 * warnings and failed checks in full.
 */
function renderTable(plan: Plan, { style, columns, verbose, estimateMs }: PlanRenderOptions): string {
  const width = Math.max(40, columns ?? 80);
  const out = [...wrap(planSummary(plan, estimateMs), width).map((l) => style.bold(l)), ...wrap(header(plan), width).map((l) => style.dim(l))];
  const steps = plan.stages.flatMap((s) => s.steps);
  const idWidth = Math.max(4, ...steps.map((t) => t.id.length));
  const riskWidth = 10;
  const changeWidth = Math.max(20, width - 2 - idWidth - 2 - 2 - riskWidth);
  const row = (id: string, change: string, risk: string) => {
    const lines = wrap(change, changeWidth);
    return lines.map((l, i) => `  ${pad(i === 0 ? id : '', idWidth)}  ${i === lines.length - 1 ? pad(l, changeWidth) + '  ' + risk : l}`.trimEnd());
  };
  const note = (text: string) => wrap(text, width - idWidth - 6).map((l) => `  ${' '.repeat(idWidth)}  ${l}`);
  for (const stage of plan.stages) {
    out.push('', style.bold(`Stage ${stage.name}${stage.parallel ? ' (parallel)' : ''}`));
    for (const step of stage.steps) {
      const state = stepState(step);
      out.push(...row(step.id, step.title + (state ? ` - ${state}` : ''), ''));
      if (!step.noop) for (const c of step.changes) out.push(...row('', `  ${formatChange(c)}`, riskText(c.risk, style)));
      const shown = step.checks.filter((k) => verbose || !k.passed || k.warning);
      const hidden = step.checks.length - shown.length;
      if (hidden > 0) out.push(...note(style.dim(`${style.green('✓')} ${hidden} check${hidden === 1 ? '' : 's'} passed (-v lists them)`)));
      for (const k of shown) out.push(...note(formatCheck(k, style)));
    }
  }
  out.push('', style.dim(`fingerprint ${plan.fingerprint}`));
  return out.join('\n');
}
