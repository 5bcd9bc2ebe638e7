import type { ModelManifest } from './model-artifact.js';

/**
 * Drift test: has the distribution of recent scores moved away from the one the model was trained on?
 *
 * Over the last `window` scores produced by the current model (only once that many exist), the
 * scores have shifted when EITHER
 *   (a) the flagged share (scores > threshold) exceeds `flaggedRatio` × contamination — under the
 *       `contamination` rule the training rows' share is contamination by construction, so e.g. 3×
 *       means the model now flags three times as much as it was calibrated to; under `anchor` the
 *       training share is whatever the window's own surprises made it (no share is assumed), and
 *       this reads as "the model flags over 30 % of recent records", an incident or a new system
 *       worth retraining on; OR
 *   (b) |mean(recent) − mean(training)| exceeds `meanShiftStds` × std(training) — the typical score
 *       moved by a sizeable fraction of the training spread (an effect size, not a significance
 *       test: with hundreds of scores a standard-error test would fire on harmless noise, and
 *       in-sample training scores run slightly lower than fresh ones).
 * Cost: O(1) per score (running sums) and O(window) memory.
 */
export interface ShiftPolicy {
  /** How many recent scores the test looks at; 0 disables it. */
  readonly window: number;
  /** Test (a): multiple of contamination the flagged share must exceed. */
  readonly flaggedRatio: number;
  /** Test (b): training standard deviations the mean must move by. */
  readonly meanShiftStds: number;
}

export const defaultShiftPolicy: ShiftPolicy = Object.freeze({ window: 500, flaggedRatio: 3, meanShiftStds: 1 });

export type ShiftVerdict = { readonly shifted: false } | { readonly shifted: true; readonly reason: string };

type Baseline = Pick<ModelManifest, 'threshold' | 'contamination' | 'scoreStats'>;

/** The last `capacity` scores with their running sum and flagged count (ring buffer). */
export class ScoreWindow {
  private readonly scores: Float64Array;
  private next = 0;
  private filled = 0;
  private sum = 0;
  private flagged = 0;

  constructor(
    readonly capacity: number,
    private readonly threshold: number,
  ) {
    this.scores = new Float64Array(Math.max(0, capacity));
  }

  get size(): number {
    return this.filled;
  }

  get full(): boolean {
    return this.capacity > 0 && this.filled === this.capacity;
  }

  push(score: number): void {
    if (this.capacity === 0) return;
    if (this.filled === this.capacity) {
      const dropped = this.scores[this.next] as number;
      this.sum -= dropped;
      if (dropped > this.threshold) this.flagged--;
    } else {
      this.filled++;
    }
    this.scores[this.next] = score;
    this.sum += score;
    if (score > this.threshold) this.flagged++;
    this.next = (this.next + 1) % this.capacity;
  }

  mean(): number {
    return this.filled === 0 ? Number.NaN : this.sum / this.filled;
  }

  flaggedShare(): number {
    return this.filled === 0 ? Number.NaN : this.flagged / this.filled;
  }
}

/** Applies tests (a) and (b) above; says nothing until the window is full. Pure given the window. */
export function detectScoreShift(window: ScoreWindow, baseline: Baseline, policy: ShiftPolicy): ShiftVerdict {
  if (!window.full) return { shifted: false };
  const share = window.flaggedShare();
  const shareLimit = policy.flaggedRatio * baseline.contamination;
  if (share > shareLimit) {
    return { shifted: true, reason: `flagged share ${format(share)} over the last ${window.size} scores exceeds ${policy.flaggedRatio} × contamination ${baseline.contamination}` };
  }
  const mean = window.mean();
  const distance = Math.abs(mean - baseline.scoreStats.mean);
  if (distance > policy.meanShiftStds * baseline.scoreStats.std) {
    return {
      shifted: true,
      reason: `mean score ${format(mean)} over the last ${window.size} scores is ${format(distance)} from the training mean ${format(baseline.scoreStats.mean)} (limit ${policy.meanShiftStds} × std ${format(baseline.scoreStats.std)})`,
    };
  }
  return { shifted: false };
}

function format(value: number): string {
  return value.toPrecision(4);
}
