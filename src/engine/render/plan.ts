// The plan as the operator reads it: a table on a terminal, plain lines when piped. Pure.
import type { Style } from '../../io/types.js';
import type { Change, Check, Plan, PlannedStep, Risk } from '../types.js';

export interface PlanRenderOptions {
  style: Style;
  /** Aligned columns (a terminal) rather than one fact per line (a pipe, a log). */
  table: boolean;
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
  const values = check.observed !== undefined || check.bound !== undefined ? ` (observed ${formatValue(check.observed)}, bound ${formatValue(check.bound)})` : '';
  const tail = check.passed ? '' : check.override ? ` [override: ${check.override}]` : '';
  return `${mark} ${check.name}: ${check.message}${values}${tail}`;
}

function stepState(step: PlannedStep): string {
  if (step.noop) return 'no-op (already done)';
  if (step.inProgress) return 'in progress (will wait for it)';
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

function renderTable(plan: Plan, { style }: PlanRenderOptions): string {
  const rows: { cells: string[]; checks: string[] }[] = [];
  const stageOf: string[] = [];
  for (const stage of plan.stages) {
    for (const step of stage.steps) {
      const changes = step.noop || step.changes.length === 0 ? [null] : step.changes;
      changes.forEach((c, i) => {
        const first = i === 0;
        rows.push({
          cells: [
            first ? step.id : '',
            first ? step.kind : '',
            c ? formatChange(c) : style.dim(stepState(step) || 'no change'),
            c ? riskText(c.risk, style) : '',
          ],
          // a step's checks go under its last row
          checks: i === changes.length - 1 ? step.checks.map((k) => formatCheck(k, style)) : [],
        });
        stageOf.push(stage.name + (stage.parallel ? ' (parallel)' : ''));
      });
    }
  }
  const head = ['STEP', 'KIND', 'CHANGE', 'RISK'];
  const widths = head.map((h, col) => Math.max(visible(h), ...rows.map((r) => visible(r.cells[col]))));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd();
  const out = [style.bold(header(plan)), ''];
  let lastStage = '';
  rows.forEach((r, i) => {
    if (stageOf[i] !== lastStage) {
      if (lastStage) out.push('');
      out.push(style.bold(`Stage ${stageOf[i]}`));
      out.push(style.dim(line(head)));
      lastStage = stageOf[i];
    }
    out.push(line(r.cells));
    for (const c of r.checks) out.push(`  ${' '.repeat(widths[0])}  ${c}`);
  });
  out.push('', style.dim(`fingerprint ${plan.fingerprint}`));
  return out.join('\n');
}
