/**
 * Progress on stderr: on a terminal one line redrawn in place (a bar for the suite and one for the
 * current run's phase); elsewhere (CI, pipes) a plain line at most every `quietIntervalMs`.
 */
import { formatSeconds } from './duration.js';
import type { RunProgress } from './run-experiment.js';

export function bar(fraction: number, width = 20): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(clamped * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

/** "measuring [#####.....] 12s/60s  sent 1,234  stored 1,200  lag 34" */
export function runLine(progress: RunProgress): string {
  const { phase, phaseElapsedSeconds: elapsed, phaseSeconds: total } = progress;
  const timing = total === null ? formatSeconds(elapsed) : `${formatSeconds(Math.min(elapsed, total))}/${formatSeconds(total)}`;
  const phaseBar = total === null || phase === 'draining' ? '' : ` ${bar(elapsed / Math.max(total, 1e-3), 16)}`;
  const lag = progress.lag === null ? '' : `  lag ${progress.lag.toLocaleString('en-US')}`;
  return `${phase}${phaseBar} ${timing}  sent ${progress.sent.toLocaleString('en-US')}  stored ${progress.stored.toLocaleString('en-US')}${lag}`;
}

export class ProgressDisplay {
  private lastQuietAt = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly quietIntervalMs = 10_000,
  ) {}

  update(line: string): void {
    if (this.stream.isTTY) {
      const width = Math.max(20, (this.stream.columns ?? 120) - 1);
      this.stream.write(`\r\u001b[2K${line.slice(0, width)}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastQuietAt < this.quietIntervalMs) return;
    this.lastQuietAt = now;
    this.stream.write(`${line}\n`);
  }

  /** Writes a line of its own (ending the redrawn line first). */
  note(line: string): void {
    this.clear();
    this.stream.write(`${line}\n`);
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }
}
