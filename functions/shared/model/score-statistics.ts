import { ValidationError } from '../errors.js';
import type { ScoreStats } from './model-artifact.js';

/**
 * The q-quantile (q in [0, 1]) of ascending `sorted` values, interpolating linearly between the two
 * nearest ranks (Hyndman & Fan type 7, the default of R and NumPy). Pure.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new ValidationError('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new ValidationError(`quantile must be in [0, 1], got ${q}`);
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

/** Count, mean, population standard deviation, extremes and p50/p90/p99 of `scores`. Pure. */
export function describeScores(scores: ArrayLike<number>): ScoreStats {
  const n = scores.length;
  if (n === 0) throw new ValidationError('no scores to describe');
  const sorted = Float64Array.from(scores).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const mean = sum / n;
  let squares = 0;
  for (const value of sorted) squares += (value - mean) ** 2;
  return {
    count: n,
    mean,
    std: Math.sqrt(squares / n),
    min: sorted[0] as number,
    p50: quantileOfSorted(sorted, 0.5),
    p90: quantileOfSorted(sorted, 0.9),
    p99: quantileOfSorted(sorted, 0.99),
    max: sorted[n - 1] as number,
  };
}
