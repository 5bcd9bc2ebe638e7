import { ValidationError } from '../errors.js';

export interface LatencySummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * The p-th percentile (p in [0, 100]) by linear interpolation between the two nearest ranks
 * (numpy's default). Throws ValidationError for an empty sample, a non-finite value or p
 * outside [0, 100]. Values keep their unit (e.g. milliseconds in, milliseconds out).
 */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted(sortedCopy(values), p);
}

/** Count, min, max, mean, p50, p95 and p99 of a sample; null for an empty sample. */
export function summarizeLatencies(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = sortedCopy(values);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    mean: sum / sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
  };
}

function sortedCopy(values: readonly number[]): number[] {
  for (const value of values) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError('percentiles need finite numbers; the sample holds a non-finite value');
  }
  return [...values].sort((a, b) => a - b);
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new ValidationError('a percentile of an empty sample is undefined');
  if (!(p >= 0 && p <= 100)) throw new ValidationError(`percentile must be from 0 to 100, got ${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (rank - below);
}
