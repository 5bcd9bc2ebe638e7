import { ValidationError } from '../errors.js';
import { quantileOfSorted } from './score-statistics.js';

/**
 * How a model's score threshold is set from its training scores, without labels:
 * - `contamination` (the seed's rule): the (1 − contamination) quantile, so exactly that share of
 *   the training rows is flagged, whatever the data;
 * - `gap`: the midpoint of the widest gap between consecutive training scores in the upper part of
 *   the distribution (above the median, with at most MAX_GAP_TAIL of the scores above it). Ordinary
 *   rows pile up below such a gap and rows that are unusual in some respect sit above it; on data
 *   with nothing unusual the gap lies above almost every score, so the rule stays quiet;
 * - `anchor`: for feature sets with anchor rows (features that are 0 for ordinary records), the
 *   lowest score of the threshold anchors (rows unusual by ANCHOR_THRESHOLD_VALUE in a single
 *   feature, e.g. a rarity half a decade past its floor): a record is flagged when the forest
 *   isolates it at least as well as a modest surprise in any one respect. No share of anomalies
 *   is assumed (`contamination` is not read): a training window that holds an incident — a third
 *   of its rows in bursts, say — must not lift the threshold over the next, different incident.
 *   What bounds the false alarms is the features' calibration (each is an improbability past a
 *   floor learned from the window) and scoring's notable-surprise guard (record-scoring.ts): a
 *   record is flagged only when one of its features is notable. Without anchors: `gap`.
 */
export const THRESHOLD_RULES = ['contamination', 'gap', 'anchor'] as const;
export type ThresholdRule = (typeof THRESHOLD_RULES)[number];

/** The value of the anchor rows whose scores set the `anchor` threshold (feature units). */
export const ANCHOR_THRESHOLD_VALUE = 0.5;

/** Most of the training scores the `gap` rule may leave above its threshold. */
export const MAX_GAP_TAIL = 0.25;

/** Where in the gap the threshold sits, from its lower (0) to its upper (1) end. */
export const GAP_POSITION = 0.75;

/**
 * The threshold for ascending `sorted` training scores (and, for `anchor`, the scores of the
 * threshold anchor rows); scores strictly above it are anomalies.
 */
export function thresholdFor(sorted: Float64Array, rule: ThresholdRule, contamination: number, anchorScores: Float64Array | null = null): number {
  if (sorted.length === 0) throw new ValidationError('a threshold needs at least one training score');
  if (rule === 'contamination') return quantileOfSorted(sorted, 1 - contamination);
  if (rule === 'gap' || (rule === 'anchor' && (anchorScores === null || anchorScores.length === 0))) return widestUpperGap(sorted);
  if (rule === 'anchor' && anchorScores !== null) {
    let leastIsolated = Number.POSITIVE_INFINITY;
    for (const score of anchorScores) if (score < leastIsolated) leastIsolated = score;
    return leastIsolated;
  }
  throw new ValidationError(`unknown threshold rule ${JSON.stringify(String(rule))}; expected one of ${THRESHOLD_RULES.join(', ')}`);
}

/** Midpoint of the widest gap above the median leaving at most MAX_GAP_TAIL above; the maximum when there is none. */
export function widestUpperGap(sorted: Float64Array): number {
  const n = sorted.length;
  const lowest = Math.max(Math.floor((n - 1) / 2), Math.ceil((1 - MAX_GAP_TAIL) * n) - 1);
  let widest = 0;
  let at = -1;
  for (let i = lowest; i < n - 1; i++) {
    const gap = (sorted[i + 1] as number) - (sorted[i] as number);
    if (gap > widest) {
      widest = gap;
      at = i;
    }
  }
  if (at < 0) return sorted[n - 1] as number;
  return (sorted[at] as number) + GAP_POSITION * ((sorted[at + 1] as number) - (sorted[at] as number));
}
