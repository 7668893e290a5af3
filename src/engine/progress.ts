// Progress of one stage. On a terminal: one spinner for the stage, one line per running step with
// its latest detail and elapsed time (one spinner, because concurrent spinners on one stream
// overwrite each other). Piped: a line when a step starts, when its detail changes, when it ends.
import type { Io, Spinner } from '../io/types.js';
import type { PlannedStep, StepStatus } from './types.js';
import { formatElapsed } from '../util/duration.js';

interface Line {
  step: PlannedStep;
  state: 'waiting' | 'running' | StepStatus;
  detail: string;
  startedMs?: number;
  endedMs?: number;
}

export class StageProgress {
  private readonly lines = new Map<string, Line>();
  private spinner: Spinner | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: Io,
    private readonly stage: string,
    steps: PlannedStep[],
    private readonly clock: () => number = Date.now,
  ) {
    for (const step of steps) this.lines.set(step.id, { step, state: 'waiting', detail: '' });
    if (io.interactive) {
      this.spinner = io.spinner(this.text());
      // Elapsed time moves between polls too.
      this.ticker = setInterval(() => this.spinner?.update(this.text()), 1000);
      this.ticker.unref();
    }
  }

  start(id: string): void {
    const line = this.line(id);
    line.state = 'running';
    line.startedMs = this.clock();
    if (this.spinner) this.spinner.update(this.text());
    else this.io.info(`▸ ${line.step.title}`);
  }

  /** Show a step's latest detail; false when it is the one already shown. */
  detail(id: string, text: string): boolean {
    const line = this.line(id);
    if (text === line.detail) return false;
    line.detail = text;
    if (this.spinner) this.spinner.update(this.text());
    else this.io.info(`  ${id}: ${text}`);
    return true;
  }

  end(id: string, state: StepStatus, error?: string): void {
    const line = this.line(id);
    line.state = state;
    line.endedMs = this.clock();
    if (error) line.detail = error;
    if (this.spinner) {
      this.spinner.update(this.text());
      return;
    }
    const took = line.startedMs !== undefined ? ` (${formatElapsed(line.endedMs - line.startedMs)})` : '';
    if (state === 'succeeded') this.io.success(`${line.step.title}${took}`);
    else if (state === 'skipped') this.io.info(`- ${line.step.title}: ${error ?? 'skipped'}`);
    else this.io.error(`${line.step.title}${took}: ${error ?? state}`);
  }

  /** Stop drawing while a prompt owns the terminal. */
  pause(): void {
    this.spinner?.stop();
    this.spinner = undefined;
  }

  resume(): void {
    if (this.io.interactive && !this.spinner && this.ticker) this.spinner = this.io.spinner(this.text());
  }

  finish(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    if (!this.spinner) return;
    const failed = [...this.lines.values()].some((l) => l.state === 'failed' || l.state === 'interrupted');
    if (failed) this.spinner.fail(this.text());
    else this.spinner.succeed(this.text());
    this.spinner = undefined;
  }

  private line(id: string): Line {
    const l = this.lines.get(id);
    if (!l) throw new Error(`no step ${id} in stage ${this.stage}`);
    return l;
  }

  private text(): string {
    const now = this.clock();
    const single = this.lines.size === 1;
    // One screen line per step: a wrapped spinner line is redrawn badly.
    const room = Math.max(20, (this.io.columns ?? 80) - (single ? 2 : 6));
    const rows = [...this.lines.values()].map((l) => {
      // A lone step needs no mark of its own: the spinner's is enough.
      const icon = single ? '' : `${{ waiting: '·', running: '…', pending: '·', succeeded: '✓', failed: '✗', skipped: '-', interrupted: '!' }[l.state]} `;
      const head = `${icon}${l.step.title}${l.startedMs !== undefined ? ` ${formatElapsed((l.endedMs ?? now) - l.startedMs)}` : ''}`;
      const left = room - head.length - 2;
      const detail = l.detail && left > 10 ? `  ${this.io.style.dim(l.detail.length > left ? `${l.detail.slice(0, left - 1)}…` : l.detail)}` : '';
      return head + detail;
    });
    return single ? rows[0] : `${this.stage}\n  ${rows.join('\n  ')}`;
  }
}
